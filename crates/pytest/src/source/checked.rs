//! The one way fanout parses Python: ruff's parser, bracketed by the checks that make it reject
//! what CPython 3.11 cannot import, and run on a stack deep enough for what it accepts.

use super::{depth, indentation, prescan, stack, token_scan};
use ruff_python_ast::{ModModule, PySourceType};
use ruff_python_parser::Parsed;
use ruff_text_size::TextSize;

/// Why a source text cannot be imported, and where: a syntax error as CPython would report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    pub message: String,
    /// Byte offset in the text.
    pub offset: TextSize,
}

impl ParseFailure {
    pub(super) fn at(offset: usize, message: String) -> Self {
        ParseFailure {
            message,
            offset: TextSize::try_from(offset).unwrap_or(TextSize::new(u32::MAX)),
        }
    }

    pub(super) fn too_deep(offset: usize) -> Self {
        Self::at(
            offset,
            format!(
                "nested more than {} levels deep; CPython stops with \"RecursionError: maximum recursion depth exceeded during compilation\"",
                depth::MAX_DEPTH
            ),
        )
    }
}

impl std::fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseFailure {}

/// Parses a module's text (one leading byte-order mark allowed, as in a file). Never panics
/// or overflows the stack: the parse runs on a big stack ([`super::with_parse_stack`]), and
/// the tree it returns nests at most [`super::MAX_DEPTH`] levels, which recursive visitors and
/// `Drop` handle on an ordinary 2 MB stack.
pub fn parse(text: &str) -> Result<Parsed<ModModule>, ParseFailure> {
    stack::with_parse_stack(|| parse_here(text)).unwrap_or_else(|| {
        Err(ParseFailure::at(
            0,
            "fanout could not start a thread to parse this file".into(),
        ))
    })
}

/// Tokens in one logical line below which a module needs no depth walk: each level of nesting
/// inside a logical line takes at least one of its tokens, and statements nest one level per
/// indentation (at most 99), so such a module nests well under [`depth::MAX_DEPTH`].
const SHALLOW_LINE_TOKENS: usize = 2000;

/// Replacement fields open at once in one f-string from which the walk checks format-spec
/// nesting (CPython allows two).
const NESTED_FIELDS: usize = 3;

fn parse_here(text: &str) -> Result<Parsed<ModModule>, ParseFailure> {
    // A text that may nest deeply is scanned before the parser recurses into it; any other
    // is parsed first, and its tokens answer most of the scan's questions.
    let shallow = token_scan::nesting_bound(text) <= depth::MAX_DEPTH;
    let scanned = if shallow {
        None
    } else {
        Some(prescan::check(text)?)
    };
    let parsed = ruff_python_parser::parse_unchecked_source(text, PySourceType::Python);
    let scan = match scanned {
        Some(scan) => scan,
        // What fails, and where, is the exact scan's to say, before any parse error.
        None if !parsed.errors().is_empty() => prescan::check(text)?,
        None => match token_scan::scan(text, parsed.tokens()) {
            Some(scan) => scan,
            None => prescan::check(text)?,
        },
    };
    // Without tabs, indentation cannot depend on the tab size, and fewer than MAX_LEVELS
    // leading spaces cannot make that many levels.
    let indentation_error = (scan.tabs || scan.max_indent >= indentation::MAX_LEVELS)
        .then(|| indentation::check(text, parsed.tokens()).err())
        .flatten();
    let may_be_deep = indentation_error.is_some()
        || scan.max_fields >= NESTED_FIELDS
        || scan
            .longest_line
            .unwrap_or_else(|| longest_logical_line(parsed.tokens()))
            >= SHALLOW_LINE_TOKENS;
    if may_be_deep {
        if let Some(failure) = depth::check(parsed.syntax()) {
            // Dropping the tree recurses once per level and could overflow even this stack.
            std::mem::forget(parsed);
            return Err(failure);
        }
    }
    let syntax_error = parsed.errors().iter().map(|e| ParseFailure {
        message: e.error.to_string(),
        offset: e.location.start(),
    });
    // The first problem in the file, as CPython reports it; on a tie, the indentation's.
    match indentation_error
        .into_iter()
        .chain(syntax_error)
        .min_by_key(|f| f.offset)
    {
        Some(failure) => Err(failure),
        None => Ok(parsed),
    }
}

#[cfg(test)]
#[path = "checked_tests.rs"]
mod tests;

/// The most tokens in one logical line (brackets and backslashes join physical lines).
pub(super) fn longest_logical_line(tokens: &[ruff_python_ast::token::Token]) -> usize {
    use ruff_python_ast::token::TokenKind;
    let mut longest = 0;
    let mut current = 0;
    for token in tokens {
        if token.kind() == TokenKind::Newline {
            longest = longest.max(current);
            current = 0;
        } else {
            current += 1;
        }
    }
    longest.max(current)
}
