//! Human output of diagnostics, compiler style, coloured on a terminal.

use crate::cli::ColorChoice;
use fanout_core::{Diagnostic, Severity};
use std::io::{IsTerminal, Write};

pub struct Style {
    color: bool,
}

impl Style {
    pub fn for_stderr(choice: ColorChoice) -> Self {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
            }
        };
        Style { color }
    }

    pub fn for_stdout(choice: ColorChoice) -> Self {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
            }
        };
        Style { color }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// `path:line:col: error[code]: message`, the source line with a caret, and the hint.
pub fn diagnostic(out: &mut dyn Write, d: &Diagnostic, style: &Style) -> std::io::Result<()> {
    let (label, colour) = match d.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    writeln!(
        out,
        "{}: {}{} {}",
        style.paint("1", &d.location()),
        style.paint(colour, label),
        style.paint(colour, &format!("[{}]:", d.code)),
        d.message
    )?;
    if let Some(line) = d.source_line.as_deref().filter(|_| d.line > 0) {
        let number = d.line.to_string();
        let pad = " ".repeat(number.len());
        let caret_pad: String = line
            .chars()
            .take(d.column.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        writeln!(out, "{pad} {}", style.paint("1;34", "|"))?;
        writeln!(
            out,
            "{} {} {line}",
            style.paint("1;34", &number),
            style.paint("1;34", "|")
        )?;
        writeln!(
            out,
            "{pad} {} {caret_pad}{}",
            style.paint("1;34", "|"),
            style.paint(colour, "^")
        )?;
    }
    if let Some(hint) = &d.hint {
        writeln!(out, "  {} {hint}", style.paint("1;36", "= hint:"))?;
    }
    Ok(())
}

pub fn diagnostics(diagnostics: &[Diagnostic], style: &Style) {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for d in diagnostics {
        // Nothing sensible is left to do when stderr is gone.
        let _ = diagnostic(&mut out, d, style);
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors + warnings > 0 {
        let _ = writeln!(out, "fanout: {errors} error(s), {warnings} warning(s)");
    }
}

/// A fatal error that stops the command before any test is looked at.
pub fn fatal(message: &str, style: &Style) {
    let _ = writeln!(
        std::io::stderr(),
        "{} {message}",
        style.paint("1;31", "error:")
    );
}

/// Attaches the source line to diagnostics made without the file at hand (file-level grouping
/// rules), reading each file once. Paths are relative to `rootdir`.
pub fn fill_source_lines(diagnostics: &mut [Diagnostic], rootdir: &std::path::Path) {
    let mut files: std::collections::HashMap<String, Option<String>> = Default::default();
    for d in diagnostics.iter_mut() {
        if d.source_line.is_some() || d.line == 0 {
            continue;
        }
        let text = files
            .entry(d.path.clone())
            .or_insert_with(|| std::fs::read_to_string(rootdir.join(&d.path)).ok());
        if let Some(line) = text
            .as_deref()
            .and_then(|t| t.lines().nth(d.line as usize - 1))
        {
            d.source_line = Some(line.to_owned());
        }
    }
}
