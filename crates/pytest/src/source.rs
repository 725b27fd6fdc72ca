//! Source text: the one checked parse entry point ([`parse`]) and byte offsets to 1-based lines
//! and columns for diagnostics.

mod checked;
mod depth;
mod indentation;
mod prescan;
mod stack;

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
        starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
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
        let end = rest.find('\n').unwrap_or(rest.len());
        rest[..end].trim_end_matches('\r')
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
    fn a_byte_order_mark_is_not_a_column() {
        let idx = LineIndex::new("\u{feff}x = 1\ny");
        assert_eq!(idx.position(TextSize::from(3)), (1, 1));
        assert_eq!(idx.position(TextSize::from(0)), (1, 1));
        assert_eq!(idx.line_text(1), "x = 1");
        assert_eq!(idx.position(TextSize::from(9)), (2, 1));
    }
}
