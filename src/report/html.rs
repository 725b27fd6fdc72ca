//! `--html FILE`: one self-contained page (no script, no network) with the totals, the jobs as
//! an inline SVG gantt chart, and the tables. Everything from the repository is HTML-escaped.

use super::tables::{self, Table};
use super::{duration, Report};
use fanout_core::escape::html;
use std::fmt::Write as _;

const ROW: f64 = 22.0;
const LABEL: f64 = 360.0;
const BARS: f64 = 600.0;

/// The jobs as bars on one time axis, earliest start at 0; a failed job is red.
fn svg(report: &Report) -> String {
    let mut jobs: Vec<&super::JobRow> = report.jobs.iter().collect();
    jobs.sort_by(|a, b| {
        a.start
            .total_cmp(&b.start)
            .then(a.job_name.cmp(&b.job_name))
    });
    let origin = jobs.iter().map(|j| j.start).fold(f64::INFINITY, f64::min);
    let span = jobs.iter().map(|j| j.end).fold(0.0, f64::max) - origin;
    let scale = if span > 0.0 { BARS / span } else { 0.0 };
    #[allow(clippy::cast_precision_loss)] // a few thousand jobs at most
    let height = ROW * (jobs.len() as f64 + 1.0);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"jobs over time\">\n",
        LABEL + BARS + 80.0
    );
    for (i, job) in jobs.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let y = ROW * i as f64;
        let x = LABEL + (job.start - origin) * scale;
        let width = ((job.end - job.start) * scale).max(1.0);
        let fill = match job.status {
            fanout_timings::JobStatus::Passed => "#4c8bf5",
            _ => "#d93f3f",
        };
        let name = html(&job.job_name);
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"{:.1}\" font-size=\"12\">{name}</text><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"{fill}\"><title>{name}: {}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{}</text>",
            y + 15.0,
            y + 3.0,
            ROW - 6.0,
            duration(job.seconds),
            x + width + 4.0,
            y + 15.0,
            duration(job.seconds)
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{LABEL}\" y=\"{:.1}\" font-size=\"11\">0s</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{}</text>\n</svg>",
        height - 4.0,
        LABEL + BARS - 30.0,
        height - 4.0,
        duration(span.max(0.0))
    );
    out
}

pub fn render(report: &Report, top: usize) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>fanout report</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{padding:2px 8px;text-align:left}td.n{text-align:right}</style>\n</head>\n<body>\n<h1>fanout report</h1>\n",
    );
    let _ = writeln!(
        out,
        "<p><strong>Wall time {}</strong> (the longest job) · machine time {} (the sum of {} jobs) · one runner would take about {}: <strong>{:.1}× faster</strong></p>",
        duration(report.wall_seconds),
        duration(report.machine_seconds),
        report.jobs.len(),
        duration(report.sequential_seconds),
        report.speedup
    );
    out.push_str(&svg(report));
    table(&mut out, &tables::slowest_jobs(report, top));
    table(&mut out, &tables::slowest_tests(report));
    out.push_str("</body>\n</html>\n");
    out
}

fn table(out: &mut String, table: &Table<'_>) {
    out.push_str("<table>\n<tr>");
    for cell in table.header {
        let _ = write!(out, "<th>{cell}</th>");
    }
    out.push_str("</tr>\n");
    for row in &table.rows {
        let [a, b, c, d] = row.shown("—");
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{a}</td><td class=\"n\">{b}</td><td class=\"n\">{c}</td><td>{d}</td></tr>",
            html(row.name)
        );
    }
    out.push_str("</table>\n");
}
