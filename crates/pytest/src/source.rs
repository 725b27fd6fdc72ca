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
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

/// Byte offsets to lines and columns. Lines are counted from the last position asked for
/// (a collector asks in source order), a vectorized count of `\n` between the two: cheaper than
/// a table of every line's start, which is built only for a text with a `\r` (rare) or one asked
/// out of order so often that the counts would cost more.
pub struct LineIndex<'src> {
    source: &'src str,
    /// Where line 1 starts: after a byte-order mark, which is not a column.
    first: usize,
    /// Lines are looked up in the table only: the text has a `\r` or is too long for the cursor.
    table_only: bool,
    starts: std::sync::OnceLock<Vec<usize>>,
    /// The last line asked for, its 0-based number and where it starts, as `line << 32 | start`:
    /// one word, so that it is always read whole (a text of one thread at a time, but `Sync`).
    cursor: AtomicU64,
    /// Bytes counted so far; past a few times the text's length, the table is built.
    counted: AtomicUsize,
}

impl<'src> LineIndex<'src> {
    pub fn new(source: &'src str) -> Self {
        let first = if source.starts_with('\u{feff}') { 3 } else { 0 };
        LineIndex {
            source,
            first,
            table_only: u32::try_from(source.len()).is_err()
                || memchr::memchr(b'\r', source.as_bytes()).is_some(),
            starts: std::sync::OnceLock::new(),
            cursor: AtomicU64::new(pack(0, first)),
            counted: AtomicUsize::new(0),
        }
    }

    /// The table of line starts, once it is worth building (`always`: now).
    fn table(&self, always: bool) -> Option<&[usize]> {
        if let Some(starts) = self.starts.get() {
            return Some(starts);
        }
        let budget = self.source.len().saturating_mul(4).saturating_add(4096);
        if !always && !self.table_only && self.counted.load(Relaxed) <= budget {
            return None;
        }
        Some(self.starts.get_or_init(|| {
            let bytes = self.source.as_bytes();
            let mut starts = Vec::with_capacity(1 + count_newlines(bytes));
            starts.push(self.first);
            starts.extend(line_starts(bytes));
            starts
        }))
    }

    fn cursor(&self) -> (usize, usize) {
        let packed = self.cursor.load(Relaxed);
        (
            (packed >> 32) as usize,
            (packed & u64::from(u32::MAX)) as usize,
        )
    }

    /// The 0-based line of a byte offset (at most the text's length) and where it starts.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        if let Some(starts) = self.table(false) {
            let line = starts.partition_point(|&s| s <= offset).saturating_sub(1);
            return (line, starts[line]);
        }
        let bytes = self.source.as_bytes();
        let (line, start) = self.cursor();
        let found = if offset >= start {
            let between = &bytes[start..offset];
            self.counted.fetch_add(between.len(), Relaxed);
            match memchr::memrchr(b'\n', between) {
                Some(last) => (line + count_newlines(between), start + last + 1),
                None => (line, start),
            }
        } else {
            // Every `\n` from the offset up to the cursor's line starts one of the lines
            // between them.
            let between = &bytes[offset..start];
            self.counted.fetch_add(offset, Relaxed);
            let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(self.first, |i| i + 1);
            (line.saturating_sub(count_newlines(between)), start)
        };
        self.cursor.store(pack(found.0, found.1), Relaxed);
        found
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: TextSize) -> (u32, u32) {
        let offset = usize::from(offset).min(self.source.len());
        let (line, start) = self.line_of(offset);
        let column = self
            .source
            .get(start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        (to_u32(line + 1), to_u32(column + 1))
    }

    /// The source text in `range` (empty where it is not in the text).
    pub fn slice(&self, range: ruff_text_size::TextRange) -> &'src str {
        self.source
            .get(usize::from(range.start())..usize::from(range.end()))
            .unwrap_or_default()
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: u32) -> &'src str {
        let wanted = (line as usize).wrapping_sub(1);
        let (cursor_line, cursor_start) = self.cursor();
        let start = if !self.table_only && wanted == cursor_line {
            cursor_start
        } else {
            match self.table(true).and_then(|starts| starts.get(wanted)) {
                Some(&start) => start,
                None => return "",
            }
        };
        let rest = &self.source[start..];
        let end = memchr::memchr2(b'\n', b'\r', rest.as_bytes()).unwrap_or(rest.len());
        &rest[..end]
    }
}

/// A line number and a line start, both below 2^32 (the text is), in one word.
fn pack(line: usize, start: usize) -> u64 {
    ((line as u64) << 32) | start as u64
}

/// How many `\n` a text holds: counted in fixed blocks with a byte-sized sum, which the
/// compiler turns into vector compares.
fn count_newlines(bytes: &[u8]) -> usize {
    let mut blocks = bytes.chunks_exact(128);
    let mut count: usize = (&mut blocks)
        .map(|block| {
            usize::from(
                block
                    .iter()
                    .fold(0u8, |n, &b| n.wrapping_add(u8::from(b == b'\n'))),
            )
        })
        .sum();
    count += blocks.remainder().iter().filter(|&&b| b == b'\n').count();
    count
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

    /// Lines and columns the slow way: every line start up to the offset.
    fn naive(text: &str, offset: usize) -> (u32, u32) {
        let first = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let start = std::iter::once(first)
            .chain(line_starts(text.as_bytes()))
            .filter(|&s| s <= offset)
            .last()
            .unwrap_or(first);
        let line = std::iter::once(first)
            .chain(line_starts(text.as_bytes()))
            .filter(|&s| s <= offset)
            .count()
            .max(1);
        let column = text.get(start..offset).map_or(0, |p| p.chars().count());
        (to_u32(line), to_u32(column + 1))
    }

    #[test]
    fn lines_counted_from_the_last_position_match_a_table_in_any_order() {
        let long_line = "y".repeat(300);
        for text in [
            "a = 1\n\nb = 2\n    c\n".to_owned(),
            "\u{feff}x = 1\n\u{e9}\u{e9} = 2\nlast".to_owned(),
            format!("{long_line}\n\n{long_line}\nz\n"),
            "no newline at all".to_owned(),
            "mixed\r\nendings\rhere\n".to_owned(),
        ] {
            let offsets: Vec<usize> = (0..=text.len())
                .filter(|&o| text.is_char_boundary(o))
                .collect();
            // Forwards, backwards, and leaping about: one index, its cursor moving each time.
            let index = LineIndex::new(&text);
            let leaps = offsets
                .iter()
                .step_by(7)
                .chain(offsets.iter().rev().step_by(3));
            for &offset in offsets.iter().chain(offsets.iter().rev()).chain(leaps) {
                let at = TextSize::try_from(offset).expect("small text");
                let (line, column) = index.position(at);
                assert_eq!((line, column), naive(&text, offset), "{text:?} at {offset}");
                let expected = PythonLines::new(&text)
                    .nth(line as usize - 1)
                    .unwrap_or("")
                    .trim_start_matches('\u{feff}')
                    .trim_end_matches(['\r', '\n']);
                assert_eq!(index.line_text(line), expected, "{text:?} line {line}");
            }
        }
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
