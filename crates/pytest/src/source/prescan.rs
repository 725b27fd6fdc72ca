//! Checks on the raw text, before parsing, for input CPython rejects and ruff's parser would
//! recurse on without bound: brackets nested more than 200 deep (also as replacement fields in
//! one f-string), long runs of prefix operators (`- - - x`, `not not x`), and a second
//! byte-order mark.
//!
//! Strings and comments are skipped with CPython 3.11's rules (an f-string is one string). A text
//! this misreads is accepted, never rejected: the parser still runs on a big stack.
//!
//! It runs before the parser on a text that may nest deeply, and after it on any text the
//! token scan ([`super::token_scan`]) leaves to it: what fails, and where, is decided here.

use super::depth::MAX_DEPTH;
use super::ParseFailure;

/// CPython's `MAXLEVEL`: more brackets than this is "too many nested parentheses".
const MAX_BRACKETS: usize = 200;

const BOM: &[u8] = "\u{feff}".as_bytes();

/// What the scan saw that decides whether the tree needs a depth walk.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    /// The most replacement fields open at once in one f-string or t-string.
    pub max_fields: usize,
    /// A tab or form feed outside strings and comments: indentation may depend on tab size.
    pub tabs: bool,
    /// The most spaces a line starts with (outside strings): at least one per indentation level.
    pub max_indent: usize,
    /// The most tokens in one logical line, when the scan read the tokens.
    pub longest_line: Option<usize>,
}

pub fn check(text: &str) -> Result<Scan, ParseFailure> {
    let mut scan = Scan::default();
    let bytes = text.as_bytes();
    let mut i = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    scan.max_indent = bytes[i..].iter().take_while(|&&b| b == b' ').count();
    let mut brackets = 0usize;
    // Prefix operators and opening brackets in a row: each nests its operand one level deeper.
    let mut prefix_run = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'#' => i = line_end(bytes, i),
            b'\'' | b'"' => {
                i = string_end(bytes, i, false, &mut scan)?;
                prefix_run = 0;
            }
            b' ' | b'\t' | b'\x0c' | b'\r' | b'\n' | b'\\' => {
                scan.tabs |= matches!(b, b'\t' | b'\x0c');
                // Indentation comes in runs.
                i += 1;
                let start = i;
                while bytes.get(i) == Some(&b' ') {
                    i += 1;
                }
                if matches!(b, b'\n' | b'\r') {
                    scan.max_indent = scan.max_indent.max(i - start);
                }
            }
            b'(' | b'[' | b'{' => {
                brackets += 1;
                if brackets > MAX_BRACKETS {
                    return Err(ParseFailure::at(i, "too many nested parentheses".into()));
                }
                i += 1;
            }
            b')' | b']' | b'}' => {
                brackets = brackets.saturating_sub(1);
                prefix_run = 0;
                i += 1;
            }
            b'-' | b'+' | b'~' => {
                prefix_run += 1;
                if prefix_run > MAX_DEPTH {
                    return Err(ParseFailure::too_deep(i));
                }
                i += 1;
            }
            0xEF if bytes[i..].starts_with(BOM) => {
                return Err(ParseFailure::at(
                    i,
                    "invalid non-printable character U+FEFF".into(),
                ));
            }
            _ if is_word_byte(b) => {
                let end = word_end(bytes, i);
                let word = &bytes[i..end];
                if matches!(bytes.get(end), Some(b'\'' | b'"')) && is_string_prefix(word) {
                    let interpolated = word.iter().any(|b| matches!(b, b'f' | b'F' | b't' | b'T'));
                    i = string_end(bytes, end, interpolated, &mut scan)?;
                    prefix_run = 0;
                    continue;
                }
                if matches!(word, b"not" | b"await") {
                    prefix_run += 1;
                    if prefix_run > MAX_DEPTH {
                        return Err(ParseFailure::too_deep(i));
                    }
                } else {
                    prefix_run = 0;
                }
                i = end;
            }
            _ => {
                prefix_run = 0;
                i += 1;
            }
        }
    }
    Ok(scan)
}

/// Bytes of identifiers and keywords (any non-ASCII byte counts: Unicode identifiers).
const WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
        b += 1;
    }
    table
};

fn is_word_byte(b: u8) -> bool {
    WORD[usize::from(b)]
}

fn word_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while let Some(&b) = bytes.get(end) {
        if !is_word_byte(b) || (b == 0xEF && bytes[end..].starts_with(BOM)) {
            break;
        }
        end += 1;
    }
    end.max(start + 1)
}

fn line_end(bytes: &[u8], start: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(bytes.len(), |p| start + p)
}

fn is_string_prefix(word: &[u8]) -> bool {
    word.len() <= 2 && word.iter().all(|b| b"rRbBuUfFtT".contains(b))
}

/// The offset after the string literal opening at `start`; an unterminated one ends at its
/// line's end (single quotes) or at the end of the text (triple quotes). In an f-string,
/// replacement fields nest like brackets (`{{` and `}}` outside any field are braces).
fn string_end(
    bytes: &[u8],
    start: usize,
    interpolated: bool,
    scan: &mut Scan,
) -> Result<usize, ParseFailure> {
    let quote = bytes[start];
    let triple = bytes[start..].starts_with(&[quote; 3]);
    let mut i = start + if triple { 3 } else { 1 };
    let mut fields = 0usize;
    while let Some(&b) = bytes.get(i) {
        if !interpolated && b != quote && b != b'\\' && b != b'\n' && b != b'\r' {
            // Most of a plain string: jump to the next byte that can end or escape it.
            let rest = &bytes[i..];
            let next = if triple {
                memchr::memchr2(quote, b'\\', rest)
            } else {
                memchr::memchr3(quote, b'\\', b'\n', rest)
            };
            let skip = next.unwrap_or(rest.len());
            // A lone `\r` ends a line too: look for it only in what was skipped.
            let skip = if triple {
                skip
            } else {
                memchr::memchr(b'\r', &rest[..skip]).unwrap_or(skip)
            };
            i += skip.max(1);
            continue;
        }
        match b {
            b'\\' => i += 2,
            b'\n' | b'\r' if !triple => return Ok(i),
            _ if b == quote && !triple => return Ok(i + 1),
            _ if triple && bytes[i..].starts_with(&[quote; 3]) => return Ok(i + 3),
            b'{' | b'}' if interpolated && fields == 0 && bytes.get(i + 1) == Some(&b) => i += 2,
            b'{' if interpolated => {
                fields += 1;
                scan.max_fields = scan.max_fields.max(fields);
                // A field and its expression's brackets; CPython allows 2 levels of fields.
                if fields > MAX_BRACKETS + 2 {
                    let message = "f-string: expressions nested too deeply".into();
                    return Err(ParseFailure::at(i, message));
                }
                i += 1;
            }
            b'}' if interpolated => {
                fields = fields.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(text: &str) -> Option<(String, usize)> {
        check(text)
            .err()
            .map(|f| (f.message, usize::from(f.offset)))
    }

    #[test]
    fn brackets_beyond_200_are_too_many() {
        // python3.11: 200 nested parentheses import, 201 is "too many nested parentheses".
        let nested = |n: usize| format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n));
        assert_eq!(failure(&nested(200)), None);
        assert_eq!(
            failure(&nested(201)),
            Some(("too many nested parentheses".into(), 204))
        );
        assert_eq!(
            failure(&format!("x = {}", "[{".repeat(150))).map(|f| f.1),
            Some(204)
        );
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let text = format!(
            "s = '{0}'\nt = \"\"\"{0}\n\"\"\"\n# {0}\nu = '\\'{0}'\n",
            "(".repeat(300)
        );
        assert_eq!(failure(&text), None);
    }

    #[test]
    fn long_runs_of_prefix_operators_are_too_deep() {
        assert_eq!(failure(&format!("x = {}1\n", "-".repeat(3000))), None);
        assert!(failure(&format!("x = {}1\n", "- ".repeat(3001))).is_some());
        assert!(failure(&format!("x = {}1\n", "not ".repeat(3001))).is_some());
        let through_brackets = format!("x = {}({}1)\n", "-".repeat(2000), "-".repeat(1001));
        assert!(failure(&through_brackets).is_some());
        // Binary operators between operands do not add up.
        assert_eq!(failure(&format!("x = 1{}\n", " - 1".repeat(10_000))), None);
    }

    #[test]
    fn a_second_byte_order_mark_is_invalid() {
        // python3.11: one BOM imports; two, or one later, is "invalid non-printable character U+FEFF".
        assert_eq!(failure("\u{feff}x = 1\n"), None);
        assert_eq!(
            failure("\u{feff}\u{feff}x = 1\n"),
            Some(("invalid non-printable character U+FEFF".into(), 3))
        );
        assert_eq!(failure("x = 1\ny\u{feff} = 2\n").map(|f| f.1), Some(7));
        assert_eq!(failure("x = '\u{feff}'  # \u{feff}\n"), None);
    }

    #[test]
    fn replacement_fields_nest_like_brackets_in_f_strings_only() {
        let fields = |prefix: &str, n: usize| {
            format!("x = {prefix}'{}{}'\n", "{x:".repeat(n), "}".repeat(n))
        };
        assert_eq!(failure(&fields("f", 202)), None);
        assert!(failure(&fields("rf", 203)).is_some_and(|f| f.0.contains("nested too deeply")));
        assert_eq!(failure(&fields("", 300)), None);
        assert_eq!(failure(&fields("b", 300)), None);
        assert_eq!(failure(&format!("x = f'{}'\n", "{{".repeat(300))), None);
    }
}
