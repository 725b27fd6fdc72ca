//! `fanout verify`: run pytest's own collection in the user's environment and compare it with
//! fanout's static one, in human, JSON or GitHub workflow command form.

use super::Context;
use crate::cli::{VerifyArgs, VerifyFormat};
use crate::comparison::{self, Difference, DifferenceKind, StaticTest};
use crate::environment::Environment;
use crate::pipeline::{self, Failure};
use crate::pytest_run::{self, CollectionError, Invocation, PytestCollection};
use crate::render::github::workflow_command;
use crate::render::human::{self, plural, thousands, Paint};
use crate::settings::{self, Style, VerifySettings};
use fanout_core::escape::terminal;
use fanout_core::{Code, Diagnostic, ExitStatus, SCHEMA_VERSION};
use serde::Serialize;
use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub fn run(args: &VerifyArgs, cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    let style = Style::resolve(args.color, cx.env);
    let settings = settings::verify(args, cx.env);
    match verify(settings, cx.env) {
        Ok(verified) => emit(&verified, args.format, cx, Paint::new(style.color_stderr)),
        Err(failure) => fail(&failure, args.format, cx, Paint::new(style.color_stderr)),
    }
}

/// Both collections and how they differ.
struct Verified {
    pytest: PytestCollection,
    rootdir: PathBuf,
    fanout_tests: usize,
    differences: Vec<Difference>,
    /// pytest's collection errors, and a rootdir pytest chose differently.
    diagnostics: Vec<Diagnostic>,
}

impl Verified {
    fn agree(&self) -> bool {
        self.differences.is_empty() && self.diagnostics.is_empty()
    }

    /// pytest's items no difference names.
    fn agreeing(&self) -> usize {
        let differing: HashSet<&str> = self
            .differences
            .iter()
            .filter(|d| d.kind != DifferenceKind::OnlyFanout)
            .map(|d| d.node_id.as_str())
            .collect();
        self.pytest.items.len() - differing.len()
    }

    fn status(&self) -> ExitStatus {
        let findings = if self.differences.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Findings
        };
        findings.max(ExitStatus::of(&self.diagnostics))
    }
}

fn verify(settings: VerifySettings, env: &Environment) -> Result<Verified, Failure> {
    let (project, selected) = pipeline::select_tests(&settings.project, &settings.select, env)?;
    let launcher = settings.launcher?;
    let dir = crate::pipeline::invocation_dir();
    let pytest = pytest_run::collect(&Invocation {
        launcher: &launcher,
        args: settings.pytest_args,
        dir: &dir,
        env: env.vars(),
    })?;
    let rootdir = project.rootdir().to_owned();
    let mut diagnostics: Vec<Diagnostic> = pytest
        .errors
        .iter()
        .map(CollectionError::diagnostic)
        .collect();
    let differences = if pytest_run::same_dir(&pytest.rootdir, &rootdir) {
        let tests: Vec<StaticTest<'_>> = selected.tests.iter().map(StaticTest::of).collect();
        comparison::compare(&tests, &pytest.items, &pytest.errors)
    } else {
        // Node ids are relative to the rootdir: with two rootdirs every test would differ.
        diagnostics.push(
            Diagnostic::error(
                Code::VerifyMismatch,
                "",
                format!(
                    "pytest's rootdir is {}, fanout's is {}: node ids cannot be compared",
                    pytest.rootdir.display(),
                    rootdir.display()
                ),
            )
            .with_hint("pass --rootdir to both, and please report how pytest chose its rootdir"),
        );
        Vec::new()
    };
    Ok(Verified {
        fanout_tests: selected.tests.len(),
        rootdir,
        pytest,
        differences,
        diagnostics,
    })
}

fn difference_diagnostic(d: &Difference) -> Diagnostic {
    let diagnostic =
        Diagnostic::error(Code::VerifyMismatch, d.path.clone(), d.message()).at(d.line, 0);
    match d.kind {
        DifferenceKind::OnlyPytest | DifferenceKind::Group | DifferenceKind::Runner => diagnostic
            .with_hint(
                "a conftest hook or plugin changes this at run time, where fanout cannot see it; put the mark in the test module",
            ),
        DifferenceKind::OnlyFanout => diagnostic.with_hint(
            "a conftest hook, plugin or `collect_ignore` leaves it out at run time; its job would run nothing of it",
        ),
    }
}

fn emit(
    verified: &Verified,
    format: VerifyFormat,
    cx: &mut Context<'_>,
    paint: Paint,
) -> io::Result<ExitStatus> {
    let out = &mut cx.streams.out;
    match format {
        VerifyFormat::Human => {
            human_report(verified, out)?;
            out.flush()?;
            cx.report(&verified.diagnostics, paint)?;
        }
        VerifyFormat::Json => write_json(out, &Document::of(verified))?,
        VerifyFormat::Github => {
            for d in &verified.diagnostics {
                out.command(&workflow_command(d))?;
            }
            for d in &verified.differences {
                out.command(&workflow_command(&difference_diagnostic(d)))?;
            }
        }
    }
    if format == VerifyFormat::Json {
        cx.annotate(&verified.diagnostics)?;
    }
    Ok(verified.status())
}

fn human_report(verified: &Verified, out: &mut dyn Write) -> io::Result<()> {
    let differences = &verified.differences;
    let mut start = 0;
    while start < differences.len() {
        let kind = differences[start].kind;
        let end = start
            + differences[start..]
                .iter()
                .take_while(|d| d.kind == kind)
                .count();
        writeln!(out, "{} ({}):", kind.heading(), end - start)?;
        for d in &differences[start..end] {
            match (&d.pytest, &d.fanout) {
                (Some(pytest), Some(fanout)) => writeln!(
                    out,
                    "  {}  pytest: {}  fanout: {}",
                    terminal(&d.node_id),
                    terminal(pytest),
                    terminal(fanout)
                )?,
                _ => writeln!(out, "  {}", terminal(&d.node_id))?,
            }
        }
        start = end;
    }
    let version = terminal(&verified.pytest.pytest_version);
    if verified.agree() {
        return writeln!(
            out,
            "verify: {} agree (pytest {version}; fanout lists {})",
            plural_thousands(verified.agreeing(), "test"),
            thousands(verified.fanout_tests)
        );
    }
    let mut problems = vec![plural(differences.len(), "difference")];
    if !verified.diagnostics.is_empty() {
        problems.push(plural(verified.diagnostics.len(), "error"));
    }
    writeln!(
        out,
        "verify: {}; {} of {} pytest collects agree (pytest {version})",
        problems.join(", "),
        thousands(verified.agreeing()),
        plural_thousands(verified.pytest.items.len(), "test"),
    )
}

fn plural_thousands(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", thousands(n))
    }
}

/// `verify --format json`; on failure the same document with the failure in `diagnostics`.
#[derive(Serialize)]
struct Document<'a> {
    schema: u32,
    agree: bool,
    pytest_version: Option<&'a str>,
    rootdir: Option<&'a Path>,
    counts: Option<Counts>,
    differences: &'a [Difference],
    /// pytest's reports of what it could not collect.
    collection_errors: &'a [CollectionError],
    /// The end of pytest's output when it stopped before collecting.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pytest_output: &'a [String],
    diagnostics: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct Counts {
    /// Items pytest collected.
    pytest: usize,
    /// Tests fanout lists (a parametrized function is one).
    fanout: usize,
    /// pytest's items no difference names.
    agreeing: usize,
    differences: usize,
}

impl<'a> Document<'a> {
    fn of(verified: &'a Verified) -> Self {
        Document {
            schema: SCHEMA_VERSION,
            agree: verified.agree(),
            pytest_version: Some(&verified.pytest.pytest_version),
            rootdir: Some(&verified.rootdir),
            counts: Some(Counts {
                pytest: verified.pytest.items.len(),
                fanout: verified.fanout_tests,
                agreeing: verified.agreeing(),
                differences: verified.differences.len(),
            }),
            differences: &verified.differences,
            collection_errors: &verified.pytest.errors,
            pytest_output: &[],
            diagnostics: verified.diagnostics.clone(),
        }
    }

    fn failed(diagnostic: Diagnostic, pytest_output: &'a [String]) -> Self {
        Document {
            schema: SCHEMA_VERSION,
            agree: false,
            pytest_version: None,
            rootdir: None,
            counts: None,
            differences: &[],
            collection_errors: &[],
            pytest_output,
            diagnostics: vec![diagnostic],
        }
    }
}

fn write_json(out: &mut dyn Write, document: &Document<'_>) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, document)?;
    writeln!(out)
}

/// A failure in the chosen format, and on stderr with the end of pytest's output.
fn fail(
    failure: &Failure,
    format: VerifyFormat,
    cx: &mut Context<'_>,
    paint: Paint,
) -> io::Result<ExitStatus> {
    let d = failure.diagnostic(&crate::pipeline::invocation_dir());
    let tail = match failure {
        Failure::Pytest(e) => e.output_tail(),
        _ => &[],
    };
    let out = &mut cx.streams.out;
    match format {
        VerifyFormat::Json => write_json(out, &Document::failed(d.clone(), tail))?,
        VerifyFormat::Github => out.command(&workflow_command(&d))?,
        VerifyFormat::Human => {}
    }
    out.flush()?;
    let err = &mut cx.streams.err;
    if !tail.is_empty() {
        writeln!(err, "pytest's output ended with:")?;
        for line in tail {
            writeln!(err, "  | {}", terminal(line))?;
        }
    }
    human::diagnostics(err, std::slice::from_ref(&d), paint)?;
    if format != VerifyFormat::Github {
        cx.annotate(std::slice::from_ref(&d))?;
    }
    Ok(failure.exit_status())
}
