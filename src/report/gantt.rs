//! A mermaid `gantt` chart of the jobs: one bar per job from its start to its end, a section
//! per test file. Names come from the repository: [`name`] keeps them from breaking a line.

use super::{duration, Report};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A job or section name as mermaid reads it: `:` ends a task name, `;` ends a statement,
/// `#` starts an entity, `%%` a comment, and a backtick run could close the Markdown fence;
/// each becomes a look-alike, control characters a space, and bidirectional overrides their
/// visible `\u{202e}` form. The name then starts with a word joiner (U+2060, invisible, and
/// neither a letter nor white space to mermaid's lexer), so a name that begins like one of
/// mermaid's statements (`gantt`, `section`, `title`, `click`, `topAxis`, a date such as
/// `2024-01-01`...) is read as text: the lexer tries its keywords only at a statement's
/// first character. An empty name is shown as `(unnamed)`.
pub fn name(text: &str) -> String {
    let mut out = String::from(WORD_JOINER);
    let shown: String = text
        .chars()
        .map(|c| match c {
            ':' => "\u{2236}".to_owned(),
            ';' => "\u{037e}".to_owned(),
            '#' => "\u{266f}".to_owned(),
            '%' => "\u{066a}".to_owned(),
            '`' => "\u{2035}".to_owned(),
            c if c.is_control() => " ".to_owned(),
            c if fanout_core::escape::is_invisible_control(c) => {
                fanout_core::escape::terminal(c.encode_utf8(&mut [0; 4])).into_owned()
            }
            c => c.to_string(),
        })
        .collect();
    match shown.trim() {
        "" => out.push_str("(unnamed)"),
        trimmed => out.push_str(trimmed),
    }
    out
}

const WORD_JOINER: char = '\u{2060}';

/// The chart, without the Markdown fence. Times are the jobs' own clock times, in ms
/// (`dateFormat x`); the axis shows the viewer's local time.
pub fn chart(report: &Report) -> String {
    let mut out = String::from("gantt\n");
    let _ = writeln!(
        out,
        "    title Jobs: wall {}, machine {}",
        duration(report.wall_seconds),
        duration(report.machine_seconds)
    );
    out.push_str("    dateFormat x\n    axisFormat %H:%M:%S\n");
    let mut sections: BTreeMap<&str, Vec<&super::JobRow>> = BTreeMap::new();
    for job in &report.jobs {
        let file = job
            .path_to_test_file
            .as_deref()
            .unwrap_or("(several files)");
        sections.entry(file).or_default().push(job);
    }
    for (file, mut jobs) in sections {
        jobs.sort_by(|a, b| {
            a.start
                .total_cmp(&b.start)
                .then(a.job_name.cmp(&b.job_name))
        });
        let _ = writeln!(out, "    section {}", name(file));
        for job in jobs {
            let tag = match job.status {
                fanout_timings::JobStatus::Passed => "",
                _ => "crit, ",
            };
            let label = name(&format!("{} ({})", job.job_name, duration(job.seconds)));
            let _ = writeln!(
                out,
                "    {label} :{tag}{}, {}",
                millis(job.start),
                millis(job.end.max(job.start))
            );
        }
    }
    out
}

fn millis(seconds: f64) -> String {
    format!("{:.0}", seconds * 1000.0)
}
