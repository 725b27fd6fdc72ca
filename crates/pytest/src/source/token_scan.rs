//! The pre-parse scan's answers read from the parser's tokens instead, for a text that cannot
//! nest deeply enough to trouble the parser ([`nesting_bound`]): one pass over a few thousand
//! tokens instead of every byte. Where a text comes near a limit the exact scan checks, it is
//! left to that scan ([`super::prescan::check`]), so the two never disagree on what fails.

use super::depth::MAX_DEPTH;
use super::prescan::Scan;
use ruff_python_ast::token::{Token, TokenKind};
use ruff_text_size::Ranged;

const BOM: &str = "\u{feff}";

/// The searchers of every file's scan, built once: a `memmem` searcher picks its prefilter
/// when it is made, which costs more than searching a short file.
static NOT: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("not"));
static AWAIT: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("await"));
static BOM_FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(BOM));

/// Brackets, or replacement fields in one f-string, open at once from which the exact scan
/// decides: half of CPython's 200, so the few places where Python 3.12's strings and 3.11's
/// split a text differently cannot carry it past the limit unseen.
const NEAR_LIMIT: usize = 100;

/// The most levels a text can nest in a run of prefix operators and brackets, counted from
/// its bytes (in strings and comments too): every opening bracket, `-`, `+`, `~`, `not` and
/// `await`. At most [`MAX_DEPTH`], no run of prefix operators is too long and the parser's
/// recursion on them stays within what the exact scan lets through.
pub fn nesting_bound(text: &str) -> usize {
    let bytes = text.as_bytes();
    let is_operator = |b: u8| {
        u8::from(b == b'(')
            + u8::from(b == b'[')
            + u8::from(b == b'{')
            + u8::from(b == b'-')
            + u8::from(b == b'+')
            + u8::from(b == b'~')
    };
    // In fixed blocks with a byte-sized sum, which the compiler turns into vector compares.
    let mut blocks = bytes.chunks_exact(128);
    let mut operators: usize = (&mut blocks)
        .map(|block| usize::from(block.iter().fold(0u8, |n, &b| n + is_operator(b))))
        .sum();
    operators += blocks
        .remainder()
        .iter()
        .map(|&b| usize::from(is_operator(b)))
        .sum::<usize>();
    let words = NOT.find_iter(bytes).count() + AWAIT.find_iter(bytes).count();
    operators + words
}

/// The scan of a text with at most [`MAX_DEPTH`] by [`nesting_bound`] that parsed without
/// error, from its tokens; `None` when the exact scan must decide: a byte-order mark after the
/// first character, or brackets or f-string fields nested near CPython's limits.
pub fn scan(text: &str, tokens: &[Token]) -> Option<Scan> {
    debug_assert!(nesting_bound(text) <= MAX_DEPTH);
    let after_bom = text.strip_prefix(BOM).unwrap_or(text);
    if BOM_FINDER.find(after_bom.as_bytes()).is_some() {
        return None;
    }
    let mut scan = Scan {
        // Over-counts: a tab in a string or comment counts too, and only asks for a check.
        tabs: memchr::memchr2(b'\t', b'\x0c', text.as_bytes()).is_some(),
        ..Scan::default()
    };
    let mut brackets = 0usize;
    // Open f-strings and t-strings, and the braces open inside them.
    let mut strings = 0usize;
    let mut fields = 0usize;
    let (mut longest, mut line) = (0usize, 0usize);
    for token in tokens {
        if token.kind() == TokenKind::Newline {
            longest = longest.max(line);
            line = 0;
        } else {
            line += 1;
        }
        match token.kind() {
            TokenKind::Indent => scan.max_indent = scan.max_indent.max(token.range().len().into()),
            TokenKind::FStringStart | TokenKind::TStringStart => strings += 1,
            TokenKind::FStringEnd | TokenKind::TStringEnd => {
                strings = strings.saturating_sub(1);
                if strings == 0 {
                    fields = 0;
                }
            }
            TokenKind::Lbrace if strings > 0 => {
                fields += 1;
                scan.max_fields = scan.max_fields.max(fields);
            }
            TokenKind::Rbrace if strings > 0 => fields = fields.saturating_sub(1),
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                brackets += 1;
                if brackets >= NEAR_LIMIT {
                    return None;
                }
            }
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                brackets = brackets.saturating_sub(1);
            }
            _ => {}
        }
    }
    scan.longest_line = Some(longest.max(line));
    (scan.max_fields < NEAR_LIMIT).then_some(scan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::prescan;
    use ruff_python_ast::PySourceType;

    /// Texts of random pieces: brackets, strings of every kind, prefix operators, tabs,
    /// byte-order marks, indentation.
    fn random_texts(count: usize) -> impl Iterator<Item = String> {
        const PIECES: &[&str] = &[
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "'",
            "\"",
            "f'",
            "rb\"",
            "'''",
            "\"\"\"",
            "#",
            "\n",
            " ",
            "\t",
            "\x0c",
            "\\",
            "-",
            "+",
            "~",
            "not ",
            "await ",
            "x",
            "fr'",
            "t'",
            "\u{feff}",
            "é",
            "{{",
            "}}",
            ":",
            "=",
            "if x:\n",
            "def f():\n",
            "\n    ",
            "1",
            ",",
        ];
        let mut seed = 0x5eed_u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(seed >> 33).unwrap_or(0)
        };
        (0..count).map(move |_| {
            let len = next() % 30;
            (0..len).map(|_| PIECES[next() % PIECES.len()]).collect()
        })
    }

    #[test]
    fn lets_through_nothing_the_exact_scan_rejects() {
        let mut answered = 0;
        for text in random_texts(30_000)
            .chain((95..=205).map(|n| format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n))))
            .chain((95..=205).map(|n| format!("x = f'{}{}'\n", "{x:".repeat(n), "}".repeat(n))))
            .chain([
                "x = 1\ny\u{feff} = 2\n".to_owned(),
                "x = '\u{feff}'\n".to_owned(),
            ])
        {
            if nesting_bound(&text) > MAX_DEPTH {
                continue;
            }
            let parsed = ruff_python_parser::parse_unchecked_source(&text, PySourceType::Python);
            if !parsed.errors().is_empty() {
                continue;
            }
            let exact = prescan::check(&text);
            let Some(quick) = scan(&text, parsed.tokens()) else {
                continue;
            };
            answered += 1;
            let Ok(exact) = exact else {
                panic!("{text:?}: the exact scan rejects it, the token scan let it through");
            };
            assert!(quick.tabs || !exact.tabs, "{text:?}: a tab missed");
            assert_eq!(
                quick.longest_line,
                Some(crate::source::checked::longest_logical_line(
                    parsed.tokens()
                )),
                "{text:?}: the longest logical line"
            );
            assert_eq!(
                quick.max_fields >= 3,
                exact.max_fields >= 3,
                "{text:?}: f-string fields"
            );
        }
        assert!(
            answered > 1_000,
            "only {answered} texts reached the token scan"
        );
    }

    #[test]
    fn near_a_limit_the_exact_scan_decides() {
        let tokens = |text: &str| {
            ruff_python_parser::parse_unchecked_source(text, PySourceType::Python)
                .tokens()
                .to_vec()
        };
        let nested = |n: usize| format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n));
        assert!(scan(&nested(99), &tokens(&nested(99))).is_some());
        assert!(scan(&nested(100), &tokens(&nested(100))).is_none());
        let later_bom = "x = 1\ny = '\u{feff}'\n";
        assert!(scan(later_bom, &tokens(later_bom)).is_none());
        let first_bom = "\u{feff}x = 1\n";
        assert!(scan(first_bom, &tokens(first_bom)).is_some());
    }

    #[test]
    fn the_nesting_bound_counts_every_nesting_byte_and_word() {
        let text = format!("{}not await notable (x)", "-+~[{(a".repeat(40));
        assert_eq!(nesting_bound(&text), 6 * 40 + 1 + 1 + 1 + 1);
    }
}
