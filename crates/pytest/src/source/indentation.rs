//! CPython's indentation checks that ruff's lexer does not make: tabs and spaces mixed so that
//! the meaning depends on the tab size (`TabError`), and more than 99 levels.
//!
//! As CPython's tokenizer does, each logical line's indentation is measured twice, with tabs
//! to multiples of 8 and with tabs as 1, and both must order the same way against the stack
//! of open indentations. Continuation lines, lines inside brackets and blank or comment-only
//! lines do not count.

use super::ParseFailure;
use ruff_python_ast::token::{Token, TokenKind};
use ruff_text_size::Ranged;

/// CPython's `MAXINDENT` (100) counts the zero level too.
pub const MAX_LEVELS: usize = 99;

const TAB_ERROR: &str = "inconsistent use of tabs and spaces in indentation (TabError)";

/// Indentation measured with tab size 8 and with tab size 1.
#[derive(Clone, Copy)]
struct Indent {
    col: usize,
    alt: usize,
}

pub fn check(text: &str, tokens: &[Token]) -> Result<(), ParseFailure> {
    let mut stack = vec![Indent { col: 0, alt: 0 }];
    let mut line_start = true;
    for token in tokens {
        match token.kind() {
            TokenKind::Newline => {
                line_start = true;
                continue;
            }
            TokenKind::NonLogicalNewline
            | TokenKind::Comment
            | TokenKind::Indent
            | TokenKind::Dedent => continue,
            TokenKind::EndOfFile => break,
            _ if !line_start => continue,
            _ => line_start = false,
        }
        let Some((line_start, indent)) = indentation(text, usize::from(token.start())) else {
            continue;
        };
        // At the line's start, before any parser error in the line: CPython's tokenizer
        // raises before its parser sees the line.
        let fail = |message: &str| Err(ParseFailure::at(line_start, message.into()));
        let top = stack.last().copied().unwrap_or(Indent { col: 0, alt: 0 });
        if indent.col > top.col {
            if stack.len() > MAX_LEVELS {
                return fail("too many levels of indentation (IndentationError)");
            }
            if indent.alt <= top.alt {
                return fail(TAB_ERROR);
            }
            stack.push(indent);
            continue;
        }
        while stack.len() > 1 && stack.last().is_some_and(|t| indent.col < t.col) {
            stack.pop();
        }
        let top = stack.last().copied().unwrap_or(Indent { col: 0, alt: 0 });
        if indent.col != top.col {
            return fail("unindent does not match any outer indentation level (IndentationError)");
        }
        if indent.alt != top.alt {
            return fail(TAB_ERROR);
        }
    }
    Ok(())
}

/// The start and indentation of the line holding `offset`, when only whitespace precedes it.
fn indentation(text: &str, offset: usize) -> Option<(usize, Indent)> {
    let before = text.get(..offset)?;
    let line_start = memchr::memrchr2(b'\n', b'\r', before.as_bytes()).map_or(0, |i| i + 1);
    let line = before[line_start..].trim_start_matches('\u{feff}');
    let mut indent = Indent { col: 0, alt: 0 };
    for c in line.chars() {
        match c {
            ' ' => {
                indent.col += 1;
                indent.alt += 1;
            }
            '\t' => {
                indent.col = (indent.col / 8 + 1) * 8;
                indent.alt += 1;
            }
            '\x0c' => indent = Indent { col: 0, alt: 0 },
            _ => return None,
        }
    }
    Some((line_start, indent))
}
