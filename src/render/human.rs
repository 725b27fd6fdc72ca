//! Compiler-style text: `path:line:col: error[code]: message`, the source line with a caret,
//! and the hint. The first line stays greppable and clickable in editors and CI logs, which a
//! `-->` layout (annotate-snippets) would give up; the rest is a few lines of code.

use anstyle::{AnsiColor, Style};
use fanout_core::escape::terminal;
use fanout_core::{Diagnostic, Severity};
use std::io::{self, Write};

/// Colours, or none.
#[derive(Clone, Copy)]
pub struct Paint {
    color: bool,
}

impl Paint {
    pub fn new(color: bool) -> Self {
        Paint { color }
    }

    fn paint(self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
}

const BOLD: Style = Style::new().bold();
const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const GUTTER: Style = AnsiColor::Blue.on_default().bold();
const HINT: Style = AnsiColor::Cyan.on_default().bold();

pub fn diagnostic(out: &mut dyn Write, d: &Diagnostic, paint: Paint) -> io::Result<()> {
    let (label, style) = match d.severity {
        Severity::Error => ("error", ERROR),
        Severity::Warning => ("warning", WARNING),
    };
    if !d.path.is_empty() {
        write!(out, "{}: ", paint.paint(BOLD, &terminal(&d.location())))?;
    }
    writeln!(
        out,
        "{} {}",
        paint.paint(style, &format!("{label}[{}]:", d.code)),
        terminal(&d.message)
    )?;
    // The hint lines up with the snippet's gutter, however wide the line number.
    let mut gutter = " ".to_owned();
    if let Some(line) = d.source_line.as_deref().filter(|_| d.line > 0) {
        let number = d.line.to_string();
        let pad = " ".repeat(number.len());
        gutter.clone_from(&pad);
        let (shown, caret_at) = source_line(line, d.column);
        let bar = paint.paint(GUTTER, "|");
        writeln!(out, "{pad} {bar}")?;
        writeln!(out, "{} {bar} {shown}", paint.paint(GUTTER, &number))?;
        writeln!(
            out,
            "{pad} {bar} {}{}",
            " ".repeat(caret_at),
            paint.paint(style, "^")
        )?;
    }
    if let Some(hint) = &d.hint {
        writeln!(
            out,
            "{gutter} {} {}",
            paint.paint(HINT, "= hint:"),
            terminal(hint)
        )?;
    }
    Ok(())
}

/// The source line as shown (tabs as four spaces, control characters escaped) and the width
/// before the 1-based `column`.
fn source_line(line: &str, column: u32) -> (String, usize) {
    let mut shown = String::with_capacity(line.len());
    let mut caret_at = 0;
    for (i, c) in line.chars().enumerate() {
        if i + 1 == column as usize {
            caret_at = shown.chars().count();
        }
        if c == '\t' {
            shown.push_str("    ");
        } else {
            shown.push_str(&terminal(c.encode_utf8(&mut [0; 4])));
        }
    }
    if column as usize > line.chars().count() {
        caret_at = shown.chars().count();
    }
    (shown, caret_at)
}

/// Every diagnostic, then `fanout: N errors, M warnings` when there were any.
pub fn diagnostics(out: &mut dyn Write, list: &[Diagnostic], paint: Paint) -> io::Result<()> {
    for d in list {
        diagnostic(out, d, paint)?;
    }
    if !list.is_empty() {
        writeln!(out, "fanout: {}", counts(list))?;
    }
    Ok(())
}

/// `1 error, 2 warnings`.
pub fn counts(list: &[Diagnostic]) -> String {
    let errors = list.iter().filter(|d| d.is_error()).count();
    let warnings = list.len() - errors;
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `3345` as `3,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A line that is not a diagnostic (`note: ...`, `error: no matrix written ...`).
pub fn line(out: &mut dyn Write, label: &str, text: &str, paint: Paint) -> io::Result<()> {
    let style = match label {
        "error:" => ERROR,
        "warning:" => WARNING,
        _ => BOLD,
    };
    writeln!(out, "{} {}", paint.paint(style, label), terminal(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fanout_core::Code;

    fn render(d: &Diagnostic) -> String {
        let mut out = Vec::new();
        diagnostic(&mut out, d, Paint::new(false)).expect("memory");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn repository_text_cannot_start_a_line() {
        let d = Diagnostic::error(
            Code::MixedGrouping,
            "docs/x\n::error title=t::owned\n.py",
            "`a\n::add-mask::x` has no group",
        )
        .at(2, 1)
        .with_source_line("def test_a(): \"\x1b[2J\"")
        .with_hint("h\n::warning::w");
        let text = render(&d);
        assert_eq!(
            text,
            "docs/x\\n::error title=t::owned\\n.py:2:1: error[mixed-grouping]: `a\\n::add-mask::x` has no group\n  |\n2 | def test_a(): \"\\x1b[2J\"\n  | ^\n  = hint: h\\n::warning::w\n"
        );
        assert!(text.lines().all(|l| !l.trim_start().starts_with("::")));
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(3345), "3,345");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn caret_follows_tabs_and_wide_columns() {
        assert_eq!(source_line("\tx = 1", 2), ("    x = 1".to_owned(), 4));
        assert_eq!(source_line("ab", 9), ("ab".to_owned(), 2));
    }
}
