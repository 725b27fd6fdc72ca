//! The report as GitHub Markdown for the step summary: the totals, the gantt chart, and tables
//! of the slowest jobs and tests. Text from the repository is escaped for Markdown.

use super::tables::{self, Table};
use super::{duration, gantt, Report};
use fanout_core::escape::markdown;
use std::fmt::Write as _;

pub fn render(report: &Report, top: usize) -> String {
    let mut out = String::from("### fanout report\n\n");
    let _ = writeln!(
        out,
        "**Wall time {}** (the longest job) · machine time {} (the sum of {} jobs) · one runner \
         would take about {}: **{:.1}× faster**\n",
        duration(report.wall_seconds),
        duration(report.machine_seconds),
        report.jobs.len(),
        duration(report.sequential_seconds),
        report.speedup
    );
    let _ = writeln!(out, "```mermaid\n{}```\n", gantt::chart(report));
    table(&mut out, &tables::slowest_jobs(report, top));
    out.push('\n');
    table(&mut out, &tables::slowest_tests(report));
    out.push('\n');
    if report.runs.len() > 1 {
        out.push_str("Runs, oldest first (the figures above are the newest run's):\n\n");
        table(&mut out, &tables::trend(report));
        out.push('\n');
    }
    out
}

fn table(out: &mut String, table: &Table<'_>) {
    let _ = writeln!(out, "| {} |", table.header.join(" | "));
    out.push_str("| --- | ---: | ---: | ---: | --- |\n");
    for row in &table.rows {
        let [a, b, c, d] = row.shown("—");
        let _ = writeln!(out, "| {} | {a} | {b} | {c} | {d} |", markdown(row.name));
    }
}
