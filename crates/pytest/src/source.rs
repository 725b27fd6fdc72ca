//! Source text: the one checked parse entry point ([`parse`]) and byte offsets to 1-based lines
//! and columns for diagnostics. Lines end as Python ends them: at `\r\n`, `\r` or `\n`, so
//! positions in files with old-Mac or mixed line endings match CPython's.

mod checked;
mod depth;
mod indentation;
mod prescan;
mod stack;
mod token_scan;

pub use checked::{parse, ParseFailure};
pub use depth::MAX_DEPTH;
pub use stack::{parse_pool, with_parse_stack, PARSE_STACK_SIZE};

use ruff_text_size::TextSize;

pub struct LineIndex<'src> {
    source: &'src str,
    starts: Vec<usize>,
}

impl<'src> LineIndex<'src> {
    pub fn new(source: &'src str) -> Self {
        // A byte-order mark is not a column of line 1.
        let first = if source.starts_with('\u{feff}') { 3 } else { 0 };
        let mut starts = vec![first];
        starts.extend(line_starts(source.as_bytes()));
        LineIndex { source, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: TextSize) -> (u32, u32) {
        let offset = usize::from(offset).min(self.source.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let column = self
            .source
            .get(start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        (to_u32(line + 1), to_u32(column + 1))
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: u32) -> &'src str {
        let Some(&start) = self.starts.get((line as usize).wrapping_sub(1)) else {
            return "";
        };
        let rest = &self.source[start..];
        let end = memchr::memchr2(b'\n', b'\r', rest.as_bytes()).unwrap_or(rest.len());
        &rest[..end]
    }
}

/// The byte offsets where lines 2, 3, ... start: after each `\n`, and after each `\r` that
/// is not the first half of a `\r\n`.
pub fn line_starts(text: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr2_iter(b'\n', b'\r', text)
        .filter(move |&i| !(text[i] == b'\r' && text.get(i + 1) == Some(&b'\n')))
        .map(|i| i + 1)
}

/// The lines of a text with their endings, split as Python splits them.
#[derive(Debug, Clone)]
pub struct PythonLines<'a> {
    rest: &'a str,
}

impl<'a> PythonLines<'a> {
    pub fn new(text: &'a str) -> Self {
        PythonLines { rest: text }
    }
}

impl<'a> Iterator for PythonLines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let bytes = self.rest.as_bytes();
        let end = match memchr::memchr2(b'\n', b'\r', bytes) {
            Some(i) if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') => i + 2,
            Some(i) => i + 1,
            None => bytes.len(),
        };
        let (line, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(line)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_in_characters() {
        let idx = LineIndex::new("ab\n\u{e9}x = 1\r\nlast");
        assert_eq!(idx.position(TextSize::from(0)), (1, 1));
        assert_eq!(idx.position(TextSize::from(5)), (2, 2));
        assert_eq!(idx.line_text(2), "\u{e9}x = 1");
        assert_eq!(idx.line_text(3), "last");
        assert_eq!(idx.line_text(9), "");
    }

    #[test]
    fn bare_and_mixed_line_endings_end_lines_as_in_python() {
        let text = "a\rb = 1\r\nc\n\rd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(TextSize::from(2)), (2, 1));
        assert_eq!(idx.position(TextSize::from(6)), (2, 5));
        assert_eq!(idx.position(TextSize::from(9)), (3, 1));
        assert_eq!(idx.position(TextSize::from(12)), (5, 1));
        assert_eq!(idx.line_text(1), "a");
        assert_eq!(idx.line_text(2), "b = 1");
        assert_eq!(idx.line_text(4), "");
        assert_eq!(idx.line_text(5), "d");
        let lines: Vec<&str> = PythonLines::new(text).collect();
        assert_eq!(lines, ["a\r", "b = 1\r\n", "c\n", "\r", "d"]);
        assert_eq!(PythonLines::new("").count(), 0);
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let idx = LineIndex::new("\u{feff}x = 1\ny");
        assert_eq!(idx.position(TextSize::from(3)), (1, 1));
        assert_eq!(idx.position(TextSize::from(0)), (1, 1));
        assert_eq!(idx.line_text(1), "x = 1");
        assert_eq!(idx.position(TextSize::from(9)), (2, 1));
    }
}
