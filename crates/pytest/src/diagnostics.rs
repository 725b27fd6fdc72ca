//! The diagnostics of one file, positioned by its line index: shared by module collection and
//! group resolution, so neither needs the other to report.

use crate::source::LineIndex;
use fanout_core::{Code, Diagnostic, Severity};
use ruff_text_size::TextRange;

pub struct FileDiagnostics<'a> {
    rel_path: &'a str,
    index: &'a LineIndex<'a>,
    found: Vec<Diagnostic>,
}

impl<'a> FileDiagnostics<'a> {
    pub fn new(rel_path: &'a str, index: &'a LineIndex<'a>) -> Self {
        FileDiagnostics {
            rel_path,
            index,
            found: Vec::new(),
        }
    }

    /// An error at `range`, with its source line; not yet reported.
    pub fn error(&self, code: Code, range: TextRange, message: String) -> Diagnostic {
        let (line, column) = self.index.position(range.start());
        Diagnostic::error(code, self.rel_path, message)
            .at(line, column)
            .with_source_line(self.index.line_text(line))
    }

    /// A warning at `range`, with its source line; not yet reported.
    pub fn warning(&self, code: Code, range: TextRange, message: String) -> Diagnostic {
        let mut d = self.error(code, range, message);
        d.severity = Severity::Warning;
        d
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.found.push(d);
    }

    /// How many have been reported so far: a caller that compares it before and after knows
    /// whether some work reported anything.
    pub fn reported(&self) -> usize {
        self.found.len()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.found
    }
}
