//! The plan for people: per file, the shared setup and how it was estimated, current against
//! proposed jobs, wall and machine time, and the proposed groups; then the totals.

use super::{Cost, Prepared};
use crate::report::duration;
use fanout_core::escape::terminal;
use fanout_plan::{Plan, PlannedFile};
use std::fmt::Write as _;

fn cost_line(out: &mut String, label: &str, cost: Cost) {
    let _ = writeln!(
        out,
        "  {label:<9} {:>3} {}  wall {:>7}  machine {:>7}",
        cost.jobs,
        if cost.jobs == 1 { "job " } else { "jobs" },
        duration(cost.wall),
        duration(cost.machine)
    );
}

pub fn proposed(files: &[PlannedFile]) -> Cost {
    Cost {
        jobs: files.iter().map(|f| f.groups.len()).sum(),
        wall: fanout_plan::wall(files),
        machine: fanout_plan::machine(files),
    }
}

pub fn render(prepared: &Prepared, plan: &Plan, slow_threshold: f64) -> String {
    let mut out = String::new();
    for (file, planned) in prepared.files.iter().zip(&plan.files) {
        let input = &file.input;
        let _ = writeln!(
            out,
            "{}: shared setup {} per job ({})",
            terminal(&input.path),
            duration(input.setup),
            file.method.describe()
        );
        cost_line(&mut out, "current", file.current);
        cost_line(
            &mut out,
            "proposed",
            proposed(std::slice::from_ref(planned)),
        );
        for (i, (group, seconds)) in planned.groups.iter().zip(planned.job_seconds()).enumerate() {
            let names: Vec<String> = group
                .units
                .iter()
                .map(|&u| {
                    let cost = input.units[u].cost;
                    let slow = cost > 0.0 && cost >= slow_threshold * input.setup;
                    format!(
                        "{}{} ({})",
                        terminal(&file.names[u]),
                        if slow { " [slow]" } else { "" },
                        duration(cost)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "  group {:<3} {:>7}  {}",
                i + 1,
                duration(seconds),
                names.join(", ")
            );
        }
        if file.unmeasured > 0 {
            let _ = writeln!(
                out,
                "  ({} without timings, estimated: see the notes)",
                crate::render::human::plural(file.unmeasured, "test")
            );
        }
        out.push('\n');
    }
    out.push_str("total\n");
    cost_line(&mut out, "current", prepared.current);
    cost_line(&mut out, "proposed", proposed(&plan.files));
    out
}
