//! The report for a terminal: the totals, then aligned tables of the slowest jobs and tests.

use super::tables::{self, Table};
use super::{duration, Report};
use fanout_core::escape::terminal;
use std::fmt::Write as _;

/// A table: left-aligned first column, the others right-aligned, two spaces apart.
fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut line = |cells: &[String]| {
        let mut text = String::from("  ");
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w - cell.chars().count());
            if i == 0 {
                let _ = write!(text, "{cell}{pad}");
            } else {
                let _ = write!(text, "  {pad}{cell}");
            }
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(&header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>());
    for row in rows {
        line(row);
    }
}

pub fn render(report: &Report, top: usize) -> String {
    let mut out = String::new();
    let tests: usize = report.jobs.iter().map(|j| j.tests).sum();
    let _ = writeln!(
        out,
        "{} jobs, {tests} tests\n  wall time     {:>8}  (the longest job)\n  machine time  {:>8}  (the sum of the jobs)\n  one runner    {:>8}  (estimated: the machine time less the setup repeated per job)\n  speed-up      {:>7.1}x",
        report.jobs.len(),
        duration(report.wall_seconds),
        duration(report.machine_seconds),
        duration(report.sequential_seconds),
        report.speedup,
    );
    let _ = writeln!(out, "\nslowest jobs");
    table(
        &mut out,
        &["job", "time", "setup", "tests", "status"],
        &rows(&tables::slowest_jobs(report, top)),
    );
    let _ = writeln!(out, "\nslowest tests");
    table(
        &mut out,
        &["test", "time", "setup", "call", "outcome"],
        &rows(&tables::slowest_tests(report)),
    );
    let shared: Vec<Vec<String>> = report
        .files
        .iter()
        .filter(|f| f.setup_seconds > 0.0)
        .map(|f| {
            vec![
                terminal(&f.path).into_owned(),
                duration(f.setup_seconds),
                f.jobs.to_string(),
            ]
        })
        .collect();
    if !shared.is_empty() {
        let _ = writeln!(out, "\nshared setup per job (estimated)");
        table(&mut out, &["file", "setup", "jobs"], &shared);
    }
    if report.runs.len() > 1 {
        let _ = writeln!(
            out,
            "\nruns, oldest first (the figures above are the newest run's)"
        );
        let trend = tables::trend(report);
        table(&mut out, &trend.header, &rows(&trend));
    }
    out
}

fn rows(table: &Table<'_>) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![terminal(row.name).into_owned()];
            cells.extend(row.shown("-"));
            cells
        })
        .collect()
}
