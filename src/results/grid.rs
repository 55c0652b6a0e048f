//! The (interval, queue) grid: per-interval figures of every queue (or
//! agent group), stored interval-major. The one place that knows how a
//! cell is indexed.

use crate::serde_f64::Floats;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value per (interval, column), interval-major; the columns are the
/// queues or the agent groups.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid<T> {
    columns: usize,
    cells: Vec<T>,
}

impl<T: Clone> Grid<T> {
    /// `intervals × columns` copies of `value`.
    pub fn filled(intervals: usize, columns: usize, value: T) -> Self {
        Grid {
            columns,
            cells: vec![value; intervals * columns],
        }
    }
}

impl<T> Grid<T> {
    /// A grid from its cells, interval-major; `None` unless they fill
    /// whole intervals of `columns` cells.
    pub fn from_cells(columns: usize, cells: Vec<T>) -> Option<Self> {
        (columns > 0 && cells.len().is_multiple_of(columns)).then_some(Grid { columns, cells })
    }

    /// A grid of `intervals × columns` cells made by `f(interval, column)`.
    pub fn from_fn(intervals: usize, columns: usize, mut f: impl FnMut(usize, usize) -> T) -> Self {
        let cells = (0..intervals)
            .flat_map(|k| (0..columns).map(move |c| (k, c)))
            .map(|(k, c)| f(k, c))
            .collect();
        Grid { columns, cells }
    }

    #[inline]
    fn at(&self, interval: usize, column: usize) -> usize {
        debug_assert!(column < self.columns, "column {column} of {}", self.columns);
        interval * self.columns + column
    }

    #[inline]
    pub fn get(&self, interval: usize, column: usize) -> &T {
        &self.cells[self.at(interval, column)]
    }

    #[inline]
    pub fn get_mut(&mut self, interval: usize, column: usize) -> &mut T {
        let i = self.at(interval, column);
        &mut self.cells[i]
    }

    /// The cells of interval `k`, one per column.
    pub fn row(&self, k: usize) -> &[T] {
        &self.cells[k * self.columns..(k + 1) * self.columns]
    }

    pub fn columns(&self) -> usize {
        self.columns
    }

    pub fn intervals(&self) -> usize {
        self.cells.len().checked_div(self.columns).unwrap_or(0)
    }

    /// The cells, interval-major.
    pub fn cells(&self) -> &[T] {
        &self.cells
    }
}

/// Written as the list of cells: the shape comes from the scenario, which
/// every reader has (a shard file's scenario, say); see [`Grid::from_cells`].
impl<T: Serialize> Serialize for Grid<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.cells.serialize(s)
    }
}

/// Read as a list of cells, of one queue per interval until
/// [`Grid::reshape`] gives it its scenario's shape.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Grid<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let cells = Vec::<T>::deserialize(d)?;
        Ok(Grid { columns: 1, cells })
    }
}

impl<T> Grid<T> {
    /// Gives cells read from a file their scenario's shape: `Err` with
    /// the number of cells unless they fill `intervals × columns`.
    pub fn reshape(&mut self, intervals: usize, columns: usize) -> Result<(), usize> {
        if columns == 0 || self.cells.len() != intervals * columns {
            return Err(self.cells.len());
        }
        self.columns = columns;
        Ok(())
    }
}

/// Exact figures in shard files (see [`serde_f64`](crate::serde_f64)),
/// written as the list of cells like the plain form.
impl<T> Floats for Grid<T>
where
    Vec<T>: Floats,
{
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.cells.write(s)
    }

    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Grid {
            columns: 1,
            cells: Vec::<T>::read(d)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_major_cells() {
        let mut g = Grid::filled(3, 2, 0);
        *g.get_mut(1, 1) = 7;
        *g.get_mut(2, 0) = 9;
        assert_eq!(g.cells(), &[0, 0, 0, 7, 9, 0]);
        assert_eq!((g.intervals(), g.columns()), (3, 2));
        assert_eq!(g.row(1), &[0, 7]);
        assert!(Grid::from_cells(2, vec![1, 2, 3]).is_none());
        let mut read: Grid<i32> = serde_json::from_str("[1,2,3,4]").unwrap();
        assert_eq!(read.reshape(3, 2), Err(4));
        assert_eq!(read.reshape(2, 2), Ok(()));
        assert_eq!(*read.get(1, 0), 3);
        assert_eq!(serde_json::to_string(&read).unwrap(), "[1,2,3,4]");
    }
}
