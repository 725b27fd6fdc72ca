//! `fanout check`: marker registration and grouping lint, in human, JSON or GitHub workflow
//! command form; `--fix` and `--diff` register missing markers in the file pytest reads.

use super::Context;
use crate::cli::{CheckArgs, CheckFormat};
use crate::pipeline::{self, Failure, Project};
use crate::render::github::workflow_command;
use crate::render::gitlab::code_quality;
use crate::render::human::{self, Paint};
use crate::settings::{self, DynamicFiles, Style};
use fanout_check::{fix, CheckInput, Report};
use fanout_core::escape::terminal;
use fanout_core::files::FileEdit;
use fanout_core::matrix;
use fanout_core::{Code, Diagnostic, ExitStatus, SCHEMA_VERSION};
use serde::Serialize;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub fn run(args: &CheckArgs, cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    let style = Style::resolve(args.color, cx.env);
    let format = settings::check_format(args, cx.env);
    let out_paint = Paint::new(style.color_stdout);
    if let Some(name) = &args.explain {
        return explain(name, cx, format, Paint::new(style.color_stderr));
    }
    let project_args = settings::check_project(args);
    // Check looks at every test: no `-m` for pytest either.
    let dynamic_files = settings::dynamic_files(&args.resolve, None, cx.env);
    let (project, report, tasks) = match check(&project_args, &dynamic_files, cx) {
        Ok(found) => found,
        Err(failure) => return fail(&failure, format, cx),
    };
    if !(args.fix || args.diff) {
        return emit(&project, &report, format, cx, out_paint);
    }
    let markers = match fix::plan(&project.config, &report.missing) {
        Ok(edit) => edit,
        Err(message) => return fail(&Failure::Fix(message), format, cx),
    };
    let tasks = match tasks {
        Ok(tasks) => tasks.unwrap_or_default(),
        Err(message) => return fail(&Failure::Fix(message), format, cx),
    };
    let marker_file = markers.as_ref().map(|e| e.rel.clone());
    let writes: Vec<FileEdit> = markers.into_iter().chain(tasks.writes).collect();
    let removals = tasks.removals;
    if args.diff {
        for edit in &writes {
            write!(cx.streams.out, "{}", edit.unified_diff())?;
        }
        for edit in &removals {
            write!(cx.streams.out, "{}", removal_diff(edit))?;
        }
        return Ok(if writes.is_empty() && removals.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Findings
        });
    }
    if writes.is_empty() && removals.is_empty() {
        return emit(&project, &report, format, cx, out_paint);
    }
    // Every file is checked before any is written: a refusal leaves them all as they are.
    let refused = writes.iter().chain(&removals).find_map(|edit| {
        fanout_core::files::check_edit(edit)
            .err()
            .map(|source| (edit.path.clone(), source))
    });
    if let Some((path, source)) = refused {
        return fail(&Failure::WriteFix { path, source }, format, cx);
    }
    for edit in &writes {
        if let Err(source) = fanout_core::files::apply_edit(edit) {
            let path = edit.path.clone();
            return fail(&Failure::WriteFix { path, source }, format, cx);
        }
    }
    for edit in &removals {
        if let Err(source) = fanout_core::files::remove_edit(edit) {
            let path = edit.path.clone();
            return fail(&Failure::WriteFix { path, source }, format, cx);
        }
    }
    let paint = Paint::new(style.color_stderr);
    if let Some(rel) = &marker_file {
        let names: Vec<String> = report.missing.iter().map(|m| format!("`{m}`")).collect();
        human::line(
            &mut cx.streams.err,
            "fixed:",
            &format!("registered {} in {rel}", names.join(", ")),
            paint,
        )?;
    }
    let tasks: Vec<&str> = writes
        .iter()
        .filter(|e| Some(&e.rel) != marker_file.as_ref())
        .map(|e| e.rel.as_str())
        .collect();
    if !tasks.is_empty() {
        human::line(
            &mut cx.streams.err,
            "fixed:",
            &format!("wrote the spread tasks {}", tasks.join(", ")),
            paint,
        )?;
    }
    if !removals.is_empty() {
        let gone: Vec<&str> = removals.iter().map(|e| e.rel.as_str()).collect();
        human::line(
            &mut cx.streams.err,
            "fixed:",
            &format!("removed the generated spread tasks {}", gone.join(", ")),
            paint,
        )?;
    }
    // Report what is left, as the next plain run would.
    match check(&project_args, &dynamic_files, cx) {
        Ok((project, report, _)) => emit(&project, &report, format, cx, out_paint),
        Err(failure) => fail(&failure, format, cx),
    }
}

/// A generated task `--fix` removes, as a diff to `/dev/null`.
fn removal_diff(edit: &FileEdit) -> String {
    similar::TextDiff::from_lines(edit.before.as_deref().unwrap_or(""), "")
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{}", edit.rel), "/dev/null")
        .to_string()
}

/// Load, collect (no `-m`: check looks at every test), `--resolve-dynamic`, grouping rules,
/// then the checks. The files pytest resolved are noted on stderr.
/// What `--fix` would do to the spread suite (`None` without one or without a template).
type TaskPlan = Result<Option<fanout_check::spread::TaskPlan>, String>;

fn check(
    args: &settings::ProjectArgs,
    dynamic_files: &DynamicFiles,
    cx: &mut Context<'_>,
) -> Result<(Project, Report, TaskPlan), Failure> {
    let project = Project::load(args, cx.env)?;
    let mut collected = project.collect();
    let resolved = pipeline::dynamic::apply(&project, &mut collected, dynamic_files, cx.env);
    // A failed write to stderr must not hide the check's result.
    let _ = super::resolved_notes(&mut cx.streams.err, &resolved, Paint::new(false));
    collected.diagnostics.extend(matrix::check_grouping(
        &collected.tests,
        project.ungrouped_policy(),
    ));
    let files: Vec<(PathBuf, String)> = collected
        .files
        .iter()
        .map(|f| (f.abs.clone(), f.rel.clone()))
        .collect();
    let input = CheckInput {
        config: &project.config,
        settings: &project.settings,
        settings_file: project.settings_file.as_deref(),
        tests: &collected.tests,
        collect_diagnostics: &collected.diagnostics,
        test_files: &files,
    };
    let mut report = fanout_check::check(&input);
    let tasks = fanout_check::spread::plan_tasks(&input);
    pipeline::finish(&mut report.diagnostics);
    Ok((project, report, tasks))
}

fn explain(
    name: &str,
    cx: &mut Context<'_>,
    format: CheckFormat,
    paint: Paint,
) -> io::Result<ExitStatus> {
    match name.parse::<Code>() {
        Ok(code) => {
            writeln!(cx.streams.out, "{code}\n\n{}", code.explanation())?;
            Ok(ExitStatus::Success)
        }
        Err(message) => {
            let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            let failure = Failure::UnknownCode(format!(
                "{}; known codes: {}",
                terminal(&message),
                known.join(", ")
            ));
            if format == CheckFormat::Human {
                cx.fail(&failure, paint)
            } else {
                fail(&failure, format, cx)
            }
        }
    }
}

/// A failure in the chosen format: a JSON document, a workflow command, or text on stderr.
fn fail(failure: &Failure, format: CheckFormat, cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    let d = failure.diagnostic(&crate::pipeline::invocation_dir());
    match format {
        CheckFormat::Json => {
            let doc = Document {
                schema: SCHEMA_VERSION,
                rootdir: None,
                inifile: None,
                strict_markers: None,
                config: Vec::new(),
                fixable_markers: &[],
                diagnostics: std::slice::from_ref(&d),
            };
            serde_json::to_writer_pretty(&mut cx.streams.out, &doc)?;
            writeln!(cx.streams.out)?;
        }
        CheckFormat::Github => cx.streams.out.command(&workflow_command(&d))?,
        CheckFormat::Gitlab => code_quality(&mut cx.streams.out, std::slice::from_ref(&d))?,
        CheckFormat::Human => {}
    }
    cx.streams.out.flush()?;
    human::diagnostics(
        &mut cx.streams.err,
        std::slice::from_ref(&d),
        Paint::new(false),
    )?;
    if format != CheckFormat::Github {
        cx.annotate(std::slice::from_ref(&d))?;
    }
    Ok(failure.exit_status())
}

#[derive(Serialize)]
struct Document<'a> {
    schema: u32,
    rootdir: Option<&'a Path>,
    inifile: Option<&'a Path>,
    strict_markers: Option<bool>,
    config: Vec<&'a str>,
    fixable_markers: &'a [String],
    diagnostics: &'a [Diagnostic],
}

fn emit(
    project: &Project,
    report: &Report,
    format: CheckFormat,
    cx: &mut Context<'_>,
    paint: Paint,
) -> io::Result<ExitStatus> {
    let diagnostics = &report.diagnostics;
    let out = &mut cx.streams.out;
    match format {
        CheckFormat::Human => {
            for line in report.config_summary.lines() {
                writeln!(out, "{}", terminal(line))?;
            }
            writeln!(out)?;
            for d in diagnostics {
                human::diagnostic(out, d, paint)?;
            }
            if diagnostics.is_empty() {
                writeln!(out, "fanout check: no problems found")?;
            } else {
                writeln!(out, "fanout check: {}", human::counts(diagnostics))?;
            }
            if !report.missing.is_empty() {
                let names: Vec<String> = report.missing.iter().map(|m| format!("`{m}`")).collect();
                writeln!(
                    out,
                    "`fanout check --fix` registers {} in {}",
                    terminal(&names.join(", ")),
                    fix::target_name(&project.config)
                )?;
            }
        }
        CheckFormat::Json => {
            let doc = Document {
                schema: SCHEMA_VERSION,
                rootdir: Some(&project.config.rootdir),
                inifile: project.config.inifile.as_deref(),
                strict_markers: Some(project.config.ini.strict_markers),
                config: report.config_summary.lines().collect(),
                fixable_markers: &report.missing,
                diagnostics,
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        CheckFormat::Github => {
            for d in diagnostics {
                out.command(&workflow_command(d))?;
            }
        }
        CheckFormat::Gitlab => code_quality(out, diagnostics)?,
    }
    if format != CheckFormat::Github {
        cx.annotate(diagnostics)?;
    }
    Ok(ExitStatus::of(diagnostics))
}
