//! `fanout collect`: every test with its group.

use super::Context;
use crate::cli::{CollectArgs, Format};
use crate::pipeline::{self, Selection};
use crate::render::human::{plural, Paint};
use crate::settings::{self, Style};
use fanout_core::escape::terminal;
use fanout_core::{Diagnostic, ExitStatus, GroupSource, Runner, TestItem, SCHEMA_VERSION};
use serde::Serialize;
use std::io::{self, Write};
use std::path::Path;

pub fn run(args: &CollectArgs, cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    let style = Style::resolve(args.selection.color, cx.env);
    let paint = Paint::new(style.color_stderr);
    let (project_args, select_args) = settings::selection(&args.selection, cx.env);
    let dynamic_files =
        settings::dynamic_files(&args.resolve, select_args.markexpr.as_deref(), cx.env);
    let selection = pipeline::select(&project_args, &select_args, &dynamic_files, cx.env);
    let out = &mut cx.streams.out;
    let selection = match selection {
        Ok(selection) => selection,
        Err(failure) => {
            if args.format == Format::Json {
                let d = failure.diagnostic(&crate::pipeline::invocation_dir());
                write_json(out, &Document::failed(std::slice::from_ref(&d)))?;
            }
            return cx.fail(&failure, paint);
        }
    };
    match args.format {
        Format::Json => write_json(out, &Document::of(&selection))?,
        Format::Human => human_list(&selection, out)?,
    }
    out.flush()?;
    let err = &mut cx.streams.err;
    super::selection_notes(err, &selection, select_args.markexpr.is_some(), paint)?;
    cx.report(&selection.diagnostics, paint)?;
    Ok(ExitStatus::of(&selection.diagnostics))
}

/// Node ids line up to this width at most; longer ones push their group to the right.
const MAX_ALIGN: usize = 100;

fn human_list(selection: &Selection, out: &mut dyn Write) -> io::Result<()> {
    let tests = &selection.selected.tests;
    let width = tests
        .iter()
        .map(|t| t.node_id.chars().count())
        .max()
        .unwrap_or(0)
        .min(MAX_ALIGN);
    for t in tests {
        let group = match (&t.group, t.group_source) {
            (Some(id), Some(source)) => format!(
                "group {} ({})",
                terminal(&id.to_string()),
                source_name(source)
            ),
            _ if t.group_error => "group ? (see errors)".to_owned(),
            _ => "no group".to_owned(),
        };
        let id = terminal(&t.node_id);
        let pad = width.saturating_sub(t.node_id.chars().count());
        writeln!(out, "{id}{}  {group}", " ".repeat(pad))?;
    }
    let mut jobs: Vec<(&str, Option<String>)> = tests
        .iter()
        .map(|t| (t.path.as_str(), t.group.as_ref().map(ToString::to_string)))
        .collect();
    jobs.sort();
    jobs.dedup();
    let files = selection.selected.files;
    let mut summary = format!(
        "{}, {}, {}",
        plural(tests.len(), "test"),
        plural(jobs.len(), "(file, group) job"),
        plural(files, "file")
    );
    if selection.selected.deselected > 0 {
        summary.push_str(&format!(
            ", {} deselected by -m",
            selection.selected.deselected
        ));
    }
    writeln!(out, "{summary}")
}

fn source_name(source: GroupSource) -> &'static str {
    match source {
        GroupSource::Function => "function",
        GroupSource::Parameter => "parameter",
        GroupSource::Class => "class",
        GroupSource::Module => "module",
        GroupSource::Pytest => "pytest",
    }
}

/// `collect --format json`; on failure the same document with no tests and the failure in
/// `diagnostics`.
#[derive(Serialize)]
struct Document<'a> {
    schema: u32,
    rootdir: Option<&'a Path>,
    inifile: Option<&'a Path>,
    tests: Vec<TestRecord<'a>>,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct TestRecord<'a> {
    node_id: &'a str,
    path: &'a str,
    class: Option<&'a str>,
    function: &'a str,
    /// The case's id when fanout lists a parametrized function case by case.
    #[serde(skip_serializing_if = "Option::is_none")]
    param_id: Option<&'a str>,
    line: u32,
    group_id: Option<String>,
    group_source: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    runner: Option<&'a Runner>,
}

impl<'a> TestRecord<'a> {
    fn of(t: &'a TestItem) -> Self {
        TestRecord {
            node_id: &t.node_id,
            path: &t.path,
            class: t.class.as_deref(),
            function: &t.function,
            param_id: t.param.as_ref().map(|c| c.id.as_str()),
            line: t.line,
            group_id: t.group.as_ref().map(ToString::to_string),
            group_source: t.group_source.map(source_name),
            runner: t.runner.as_deref(),
        }
    }
}

impl<'a> Document<'a> {
    fn of(selection: &'a Selection) -> Self {
        let config = &selection.project.config;
        Document {
            schema: SCHEMA_VERSION,
            rootdir: Some(&config.rootdir),
            inifile: config.inifile.as_deref(),
            tests: selection
                .selected
                .tests
                .iter()
                .map(TestRecord::of)
                .collect(),
            diagnostics: &selection.diagnostics,
        }
    }

    fn failed(diagnostics: &'a [Diagnostic]) -> Self {
        Document {
            schema: SCHEMA_VERSION,
            rootdir: None,
            inifile: None,
            tests: Vec::new(),
            diagnostics,
        }
    }
}

fn write_json(out: &mut dyn Write, document: &Document<'_>) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, document)?;
    writeln!(out)
}
