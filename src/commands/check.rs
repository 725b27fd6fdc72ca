//! `fanout check`: marker registration and grouping lint, in human, JSON or GitHub workflow
//! command form; `--fix` and `--diff` register missing markers in the file pytest reads.

use crate::cli::{CheckArgs, CheckFormat};
use crate::render::{self, Style};
use fanout_check::{fix, CheckInput, Report};
use fanout_config::{FanoutSettings, PytestConfig};
use fanout_core::diagnostic::exit_code;
use fanout_core::matrix;
use fanout_core::{Code, Diagnostic, Severity, TestItem};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

/// Everything a check needs, collected without `-m` (check looks at every test).
struct Collected {
    config: PytestConfig,
    settings: FanoutSettings,
    settings_file: Option<PathBuf>,
    tests: Vec<TestItem>,
    diagnostics: Vec<Diagnostic>,
    files: Vec<(PathBuf, String)>,
}

pub fn run(args: &CheckArgs, out: &mut dyn Write) -> std::io::Result<i32> {
    let style = Style::for_stdout(args.color);
    if let Some(name) = &args.explain {
        return explain(name, out, &style);
    }
    let format = args.format.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            CheckFormat::Github
        } else {
            CheckFormat::Human
        }
    });
    let (collected, report) = match collect_and_check(args) {
        Ok(found) => found,
        Err(message) => return fatal(&message, format, out),
    };
    if args.fix || args.diff {
        let edit = match fix::plan(&collected.config, &report.missing) {
            Ok(edit) => edit,
            Err(message) => return fatal(&message, format, out),
        };
        if args.diff {
            if let Some(edit) = &edit {
                write!(out, "{}", fix::unified_diff(edit))?;
            }
            return Ok(i32::from(edit.is_some()));
        }
        if let Some(edit) = edit {
            if let Err(e) = std::fs::write(&edit.path, &edit.after) {
                let message = format!(
                    "{}: cannot write the fix: {e}; check that the file is writable",
                    edit.path.display()
                );
                return fatal(&message, format, out);
            }
            let names: Vec<String> = report.missing.iter().map(|m| format!("`{m}`")).collect();
            let _ = writeln!(
                std::io::stderr(),
                "fixed: registered {} in {}",
                names.join(", "),
                edit.rel
            );
            // Report what is left, as the next plain run would.
            let (collected, report) = match collect_and_check(args) {
                Ok(found) => found,
                Err(message) => return fatal(&message, format, out),
            };
            return emit(&collected, &report, format, out, &style);
        }
    }
    emit(&collected, &report, format, out, &style)
}

fn explain(name: &str, out: &mut dyn Write, style: &Style) -> std::io::Result<i32> {
    match name.parse::<Code>() {
        Ok(code) => {
            writeln!(out, "{code}\n\n{}", fanout_check::explain::explain(code))?;
            Ok(0)
        }
        Err(message) => {
            let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            render::fatal(
                &format!("{message}; known codes: {}", known.join(", ")),
                style,
            );
            Ok(2)
        }
    }
}

fn fatal(message: &str, format: CheckFormat, out: &mut dyn Write) -> std::io::Result<i32> {
    if format == CheckFormat::Github {
        writeln!(out, "::error title=fanout check::{}", escape_data(message))?;
    }
    render::fatal(message, &Style::for_stderr(crate::cli::ColorChoice::Auto));
    Ok(2)
}

fn collect_and_check(args: &CheckArgs) -> Result<(Collected, Report), String> {
    let collected = collect(args)?;
    let input = CheckInput {
        config: &collected.config,
        settings: &collected.settings,
        settings_file: collected.settings_file.as_deref(),
        tests: &collected.tests,
        collect_diagnostics: &collected.diagnostics,
        test_files: &collected.files,
    };
    let report = fanout_check::check(&input);
    Ok((collected, report))
}

fn collect(args: &CheckArgs) -> Result<Collected, String> {
    let project =
        crate::session::Project::load(&args.paths, args.rootdir.clone(), args.config_file.clone())
            .map_err(|crate::session::Fatal(message)| message)?;
    let collection = project.collect();
    let crate::session::Project {
        config,
        settings,
        settings_file,
        ..
    } = project;
    let mut tests = collection.tests;
    tests.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    let mut diagnostics = collection.diagnostics;
    diagnostics.extend(matrix::check_grouping(
        &tests,
        crate::session::ungrouped_policy(&settings),
    ));
    let files = collection
        .files
        .into_iter()
        .map(|f| (f.abs, f.rel))
        .collect();
    Ok(Collected {
        config,
        settings,
        settings_file,
        tests,
        diagnostics,
        files,
    })
}

fn emit(
    collected: &Collected,
    report: &Report,
    format: CheckFormat,
    out: &mut dyn Write,
    style: &Style,
) -> std::io::Result<i32> {
    let mut diagnostics = report.diagnostics.clone();
    render::fill_source_lines(&mut diagnostics, &collected.config.rootdir);
    let diagnostics = &diagnostics;
    match format {
        CheckFormat::Human => {
            for line in report.config_summary.lines() {
                writeln!(out, "{line}")?;
            }
            writeln!(out)?;
            for d in diagnostics {
                render::diagnostic(out, d, style)?;
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            if diagnostics.is_empty() {
                writeln!(out, "fanout check: no problems found")?;
            } else {
                writeln!(
                    out,
                    "fanout check: {errors} error(s), {warnings} warning(s)"
                )?;
            }
            if !report.missing.is_empty() {
                writeln!(
                    out,
                    "`fanout check --fix` registers {} in {}",
                    report
                        .missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    fix::target_name(&collected.config)
                )?;
            }
        }
        CheckFormat::Json => {
            let doc = json!({
                "schema": fanout_core::SCHEMA_VERSION,
                "rootdir": collected.config.rootdir,
                "inifile": collected.config.inifile,
                "strict_markers": collected.config.ini.strict_markers,
                "config": report.config_summary.lines().collect::<Vec<_>>(),
                "fixable_markers": report.missing,
                "diagnostics": diagnostics,
            });
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        CheckFormat::Github => {
            for d in diagnostics {
                writeln!(out, "{}", workflow_command(d))?;
            }
        }
    }
    Ok(exit_code(diagnostics))
}

/// `::error file=...,line=...,col=...,title=...::message`, escaped as the runner unescapes.
pub fn workflow_command(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = vec![format!("file={}", escape_property(&d.path))];
    if d.line > 0 {
        props.push(format!("line={}", d.line));
        if d.column > 0 {
            props.push(format!("col={}", d.column));
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("fanout {level}[{}]", d.code))
    ));
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        message.push_str("\nhint: ");
        message.push_str(hint);
    }
    format!("::{level} {}::{}", props.join(","), escape_data(&message))
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_are_escaped() {
        let d = Diagnostic::error(Code::UnknownMarker, "t/a,b:c.py", "50% of\nit")
            .at(3, 4)
            .with_hint("x");
        assert_eq!(
            workflow_command(&d),
            "::error file=t/a%2Cb%3Ac.py,line=3,col=4,title=fanout error[unknown-marker]::50%25 of%0Ait%0Ahint: x"
        );
        let w = Diagnostic::warning(Code::IgnoredMarkers, "pyproject.toml", "m");
        assert_eq!(
            workflow_command(&w),
            "::warning file=pyproject.toml,title=fanout warning[ignored-markers]::m"
        );
    }
}
