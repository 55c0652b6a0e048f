//! The report of `ccsim staff`: what each group's staffing costs, its
//! staffing by interval against the classic per-interval Erlang sizing,
//! then the found day's report (each queue's figures by interval with
//! their confidence bands, each group's occupancy).

use super::charts::{Timed, staffing_chart, time_grid};
use super::{figure_sized, run_page};
use crate::report::staffing::totals;
use crate::staffing::Found;
use maud::{Markup, html};

pub fn body(f: &Found) -> Markup {
    let m = &f.model;
    let h = m.horizon();
    let g = time_grid(h);
    let timed = |staffing: &[u32]| -> Vec<Timed<u32>> {
        (0..h.intervals)
            .map(|k| Timed {
                start: h.interval_start(k),
                end: h.interval_end(k),
                value: staffing[k],
            })
            .collect()
    };
    html! {
        h1 { "Staffing found: " (m.name()) }
        p.sub {
            (f.summary.replications) " replications · seed " (f.summary.seed) " · "
            (f.evaluations) " staffings simulated on them · every target met on the mean"
        }
        h2 { "Agent-hours and cost" }
        div.wide {
            table {
                tr.head { th.l { "group" } th { "agent-hours" } th { "scheduled hours" } th { "cost" } }
                @for (i, grp) in m.groups().iter().enumerate() {
                    @let t = totals(m, i);
                    tr {
                        td.l { (grp.name) }
                        td { (format!("{:.1}", t.agent_hours)) }
                        td { (format!("{:.1}", t.scheduled_hours)) }
                        td { (format!("{:.1}", t.cost)) }
                    }
                }
            }
        }
        p.note {
            "Scheduled = staffing ÷ (1 − shrinkage), rounded up. Cost = agent-hours × the group's cost."
        }
        h2 { "Staffing by interval" }
        @for (i, grp) in m.groups().iter().enumerate() {
            @let erlang = f.erlang.iter().find(|e| e.group == i);
            @let found = timed(&grp.staffing);
            @let classic = erlang.map(|e| timed(&e.staffing));
            @let label = erlang.map(|e| format!(
                "per-interval Erlang {} for {}",
                if m.queues()[e.queue].patience.is_some() { "A" } else { "C" },
                m.queues()[e.queue].name
            ));
            (figure_sized(&grp.name, |size| staffing_chart(
                size,
                &g,
                &grp.name,
                &found,
                label.as_deref().zip(classic.as_deref()),
            )))
        }
        (run_page::body(m, &f.summary))
    }
}
