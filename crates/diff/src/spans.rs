//! Function spans of a module and which of them a line diff touches.

use gix::diff::blob::{Algorithm, Diff, InternedInput, TokenSource};
use ruff_python_ast::Stmt;
use ruff_text_size::{Ranged, TextSize};

/// A `def` at module level or in a class (at any class depth), not nested in a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionSpan {
    /// `Class::Inner::name` or `name`.
    pub qualname: String,
    /// 1-based line of the `def` keyword (decorators are outside the span).
    pub start: u32,
    /// 1-based last line of the body.
    pub end: u32,
}

/// The function spans of `source`, or `None` when it does not parse.
pub fn function_spans(source: &str) -> Option<Vec<FunctionSpan>> {
    let parsed = fanout_pytest::source::parse(source).ok()?;
    let lines = LineStarts::new(source);
    let mut out = Vec::new();
    walk(&parsed.syntax().body, "", &lines, &mut out);
    Some(out)
}

fn walk(body: &[Stmt], prefix: &str, lines: &LineStarts, out: &mut Vec<FunctionSpan>) {
    for stmt in body {
        match stmt {
            Stmt::FunctionDef(def) => {
                // The line of the name, as `TestItem::line` (decorators are outside).
                let start = lines.line(def.name.range().start());
                out.push(FunctionSpan {
                    qualname: format!("{prefix}{}", def.name.id),
                    start,
                    end: lines.line(def.range().end() - TextSize::from(1)),
                });
            }
            Stmt::ClassDef(class) => {
                let inner = format!("{prefix}{}::", class.name.id);
                walk(&class.body, &inner, lines, out);
            }
            _ => {}
        }
    }
}

/// Line starts as Python counts lines (`\r\n`, `\r` and `\n` each end one).
struct LineStarts(Vec<u32>);

impl LineStarts {
    fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            fanout_pytest::source::line_starts(source.as_bytes())
                .map(|i| u32::try_from(i).unwrap_or(u32::MAX)),
        );
        Self(starts)
    }

    /// 1-based line of a byte offset.
    fn line(&self, offset: TextSize) -> u32 {
        let offset = u32::from(offset);
        let index = self.0.partition_point(|&s| s <= offset);
        u32::try_from(index).unwrap_or(u32::MAX)
    }
}

/// The functions of `spans` whose name `source` uses outside their own body (a call, a
/// reference, `self.name`): code elsewhere depends on them. `None` when it does not parse.
pub fn referenced_elsewhere(source: &str, spans: &[FunctionSpan]) -> Option<Vec<String>> {
    use ruff_python_ast::visitor::source_order::{walk_expr, SourceOrderVisitor};
    use ruff_python_ast::Expr;

    struct Names<'a> {
        uses: Vec<(&'a str, TextSize)>,
    }
    impl<'a> SourceOrderVisitor<'a> for Names<'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Name(name) => self.uses.push((name.id.as_str(), name.start())),
                Expr::Attribute(attr) => self.uses.push((attr.attr.as_str(), attr.attr.start())),
                _ => {}
            }
            walk_expr(self, expr);
        }
    }

    let parsed = fanout_pytest::source::parse(source).ok()?;
    let lines = LineStarts::new(source);
    let mut names = Names { uses: Vec::new() };
    names.visit_body(&parsed.syntax().body);
    let found = spans
        .iter()
        .filter(|span| {
            let name = span.qualname.rsplit("::").next().unwrap_or(&span.qualname);
            names.uses.iter().any(|(used, at)| {
                let line = lines.line(*at);
                *used == name && (line < span.start || line > span.end)
            })
        })
        .map(|span| span.qualname.clone())
        .collect();
    Some(found)
}

/// Where a change between two versions of a test module lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touched {
    /// Only inside these functions (their `def` lines in the new version).
    Functions(Vec<FunctionSpan>),
    /// Somewhere outside any function body (imports, fixtures, decorators, constants...).
    Module { line: u32 },
    /// The versions are the same text.
    Nothing,
}

/// Compares `old` and `new` line by line and maps every hunk onto the function spans of both
/// versions. A hunk counts as inside a function only when its old lines lie inside the old
/// version's function of some name and its new lines inside the new version's function of the
/// same name. `None` when either version does not parse.
pub fn touched(old: &str, new: &str) -> Option<Touched> {
    let old_spans = function_spans(old)?;
    let new_spans = function_spans(new)?;
    // Lines as Python splits them, so hunk line numbers match the spans' (a bare `\r` too).
    let input = InternedInput::new(PythonLineSource(old), PythonLineSource(new));
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let mut functions: Vec<FunctionSpan> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut any = false;
    for hunk in diff.hunks() {
        any = true;
        let new_fn = containing(&new_spans, &hunk.after);
        let old_fn = containing(&old_spans, &hunk.before);
        match (old_fn, new_fn) {
            (Some(o), Some(n)) if o.qualname == n.qualname => {
                if seen.insert(n.start) {
                    functions.push(n.clone());
                }
            }
            _ => {
                return Some(Touched::Module {
                    line: hunk.after.start + 1,
                })
            }
        }
    }
    Some(if any {
        Touched::Functions(functions)
    } else {
        Touched::Nothing
    })
}

/// A text diffed line by line, lines split as Python splits them.
struct PythonLineSource<'a>(&'a str);

impl<'a> TokenSource for PythonLineSource<'a> {
    type Token = &'a str;
    type Tokenizer = fanout_pytest::source::PythonLines<'a>;

    fn tokenize(&self) -> Self::Tokenizer {
        fanout_pytest::source::PythonLines::new(self.0)
    }

    fn estimate_tokens(&self) -> u32 {
        u32::try_from(self.0.len() / 40).unwrap_or(u32::MAX)
    }
}

/// The span holding the 0-based line range `lines`; an empty range is an insertion point
/// before line `lines.start` (0-based), inside a span when it falls between its first and
/// last line (an insertion right after the last line extends the body). Spans come in source
/// order and do not overlap, so the candidate is the last one starting at or before `first`.
fn containing<'s>(
    spans: &'s [FunctionSpan],
    lines: &std::ops::Range<u32>,
) -> Option<&'s FunctionSpan> {
    // An insertion lies between 1-based lines `lines.start` and `lines.start + 1`.
    let (first, last) = if lines.is_empty() {
        (lines.start, lines.start)
    } else {
        (lines.start + 1, lines.end)
    };
    let after = spans.partition_point(|s| s.start <= first);
    let span = spans.get(after.checked_sub(1)?)?;
    (last <= span.end).then_some(span)
}

#[cfg(test)]
#[path = "spans_tests.rs"]
mod tests;
