//! `fanout collect`: every test with its group.

use crate::cli::{CollectArgs, Format};
use crate::render::{self, Style};
use crate::session::{self, Session};
use fanout_core::diagnostic::exit_code;
use fanout_core::{GroupSource, TestItem};
use serde_json::{json, Value};
use std::io::Write;

pub fn run(args: &CollectArgs, out: &mut dyn Write) -> std::io::Result<i32> {
    let style = Style::for_stderr(args.selection.color);
    let session = match session::run(&args.selection) {
        Ok(s) => s,
        Err(session::Fatal(message)) => {
            render::fatal(&message, &style);
            return Ok(2);
        }
    };
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &document(&session))?;
            writeln!(out)?;
        }
        Format::Human => human(&session, out)?,
    }
    render::diagnostics(&session.diagnostics, &style);
    Ok(exit_code(&session.diagnostics))
}

fn human(session: &Session, out: &mut dyn Write) -> std::io::Result<()> {
    let width = session
        .tests
        .iter()
        .map(|t| t.node_id.len())
        .max()
        .unwrap_or(0);
    for t in &session.tests {
        let group = match (&t.group, t.group_source) {
            (Some(id), Some(source)) => format!("group {id} ({})", source_name(source)),
            _ if t.group_error => "group ? (see errors)".to_owned(),
            _ => "no group".to_owned(),
        };
        writeln!(out, "{:width$}  {group}", t.node_id)?;
    }
    let mut jobs: Vec<(&str, Option<String>)> = session
        .tests
        .iter()
        .map(|t| (t.path.as_str(), t.group.as_ref().map(ToString::to_string)))
        .collect();
    jobs.sort();
    jobs.dedup();
    let deselected = session.collected - session.tests.len();
    let mut summary = format!(
        "{}, {}, {}",
        plural(session.tests.len(), "test"),
        plural(jobs.len(), "(file, group) job"),
        plural(session.files, "file")
    );
    if deselected > 0 {
        summary.push_str(&format!(", {deselected} deselected by -m"));
    }
    writeln!(out, "{summary}")
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn source_name(source: GroupSource) -> &'static str {
    match source {
        GroupSource::Function => "function",
        GroupSource::Class => "class",
        GroupSource::Module => "module",
    }
}

fn test_json(t: &TestItem) -> Value {
    let mut v = json!({
        "node_id": t.node_id,
        "path": t.path,
        "class": t.class,
        "function": t.function,
        "line": t.line,
        "group_id": t.group.as_ref().map(ToString::to_string),
        "group_source": t.group_source.map(source_name),
    });
    if let (Some(map), Some(runner)) = (v.as_object_mut(), &t.runner) {
        map.insert("runner".into(), json!(runner));
    }
    v
}

pub fn document(session: &Session) -> Value {
    json!({
        "schema": fanout_core::SCHEMA_VERSION,
        "rootdir": session.config.rootdir,
        "inifile": session.config.inifile,
        "tests": session.tests.iter().map(test_json).collect::<Vec<_>>(),
        "diagnostics": session.diagnostics,
    })
}
