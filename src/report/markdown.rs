//! The report as GitHub Markdown for the step summary: the totals, the gantt chart, and tables
//! of the slowest jobs and tests. Text from the repository is escaped for Markdown.

use super::{duration, gantt, percent, Report};
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
    out.push_str("| Slowest jobs | Time | Setup share | Tests | Status |\n| --- | ---: | ---: | ---: | --- |\n");
    for j in report.jobs.iter().take(top) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            markdown(&j.job_name),
            duration(j.seconds),
            j.setup_share.map_or_else(|| "—".to_owned(), percent),
            j.tests,
            super::word(j.status)
        );
    }
    out.push_str(
        "\n| Slowest tests | Time | Setup | Call | Outcome |\n| --- | ---: | ---: | ---: | --- |\n",
    );
    let phase = |p: Option<f64>| p.map_or_else(|| "—".to_owned(), duration);
    for t in &report.slowest_tests {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            markdown(&t.node_id),
            duration(t.seconds),
            phase(t.setup),
            phase(t.call),
            super::word(t.outcome)
        );
    }
    out.push('\n');
    out
}
