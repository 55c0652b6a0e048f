//! The (interval, queue) grid: per-interval figures of every queue, stored
//! interval-major. The one place that knows how a cell is indexed.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value per (interval, queue), interval-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid<T> {
    queues: usize,
    cells: Vec<T>,
}

impl<T: Clone> Grid<T> {
    /// `intervals × queues` copies of `value`.
    pub fn filled(intervals: usize, queues: usize, value: T) -> Self {
        Grid {
            queues,
            cells: vec![value; intervals * queues],
        }
    }
}

impl<T> Grid<T> {
    /// A grid from its cells, interval-major; `None` unless they fill
    /// whole intervals of `queues` cells.
    pub fn from_cells(queues: usize, cells: Vec<T>) -> Option<Self> {
        (queues > 0 && cells.len() % queues == 0).then_some(Grid { queues, cells })
    }

    #[inline]
    fn at(&self, interval: usize, queue: usize) -> usize {
        debug_assert!(queue < self.queues, "queue {queue} of {}", self.queues);
        interval * self.queues + queue
    }

    #[inline]
    pub fn get(&self, interval: usize, queue: usize) -> &T {
        &self.cells[self.at(interval, queue)]
    }

    #[inline]
    pub fn get_mut(&mut self, interval: usize, queue: usize) -> &mut T {
        let i = self.at(interval, queue);
        &mut self.cells[i]
    }

    pub fn queues(&self) -> usize {
        self.queues
    }

    pub fn intervals(&self) -> usize {
        self.cells.len().checked_div(self.queues).unwrap_or(0)
    }

    /// Every cell with its (interval, queue), interval-major.
    pub fn iter(&self) -> impl Iterator<Item = (usize, usize, &T)> {
        let nq = self.queues.max(1);
        self.cells
            .iter()
            .enumerate()
            .map(move |(i, c)| (i / nq, i % nq, c))
    }

    /// The cells, interval-major.
    pub fn cells(&self) -> &[T] {
        &self.cells
    }

    /// Into its cells, interval-major.
    pub fn into_cells(self) -> Vec<T> {
        self.cells
    }

    /// A grid of the same shape, each cell mapped with its (interval, queue).
    pub fn map<U>(&self, mut f: impl FnMut(usize, usize, &T) -> U) -> Grid<U> {
        Grid {
            queues: self.queues,
            cells: self.iter().map(|(k, q, c)| f(k, q, c)).collect(),
        }
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
        Ok(Grid { queues: 1, cells })
    }
}

impl<T> Grid<T> {
    /// Gives cells read from a file their scenario's shape: `Err` with
    /// the number of cells unless they fill `intervals × queues`.
    pub fn reshape(&mut self, intervals: usize, queues: usize) -> Result<(), usize> {
        if queues == 0 || self.cells.len() != intervals * queues {
            return Err(self.cells.len());
        }
        self.queues = queues;
        Ok(())
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
        assert_eq!((g.intervals(), g.queues()), (3, 2));
        let listed: Vec<_> = g.iter().map(|(k, q, &v)| (k, q, v)).collect();
        assert_eq!(listed[3], (1, 1, 7));
        assert_eq!(listed[4], (2, 0, 9));
        assert!(Grid::from_cells(2, vec![1, 2, 3]).is_none());
        let mut read: Grid<i32> = serde_json::from_str("[1,2,3,4]").unwrap();
        assert_eq!(read.reshape(3, 2), Err(4));
        assert_eq!(read.reshape(2, 2), Ok(()));
        assert_eq!(*read.get(1, 0), 3);
        assert_eq!(serde_json::to_string(&read).unwrap(), "[1,2,3,4]");
    }
}
