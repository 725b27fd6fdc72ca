//! Escaping for the channels fanout writes to. Paths, node ids, group ids, runner labels and
//! the messages that quote them come from the repository, so a pull request controls them: each
//! channel gets them escaped so that they stay data.
//!
//! - [`terminal`]: control characters made visible (`\n`, `\x1b`), so a file name cannot start
//!   a new log line (a GitHub workflow command) or move the cursor.
//! - [`workflow_data`], [`workflow_property`]: GitHub's workflow-command escaping.
//! - [`markdown`]: inline Markdown text for the step summary.
//! - [`html`]: HTML text and attribute values (`fanout report --html`).

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character (C0, DEL, C1, and the Unicode line and paragraph
/// separators and bidirectional overrides) written as an escape sequence, and `\` doubled
/// when anything was escaped, so the result is one inert line.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let code = u32::from(c);
                if code <= 0xff {
                    let _ = write!(out, "\\x{code:02x}");
                } else {
                    let _ = write!(out, "\\u{{{code:04x}}}");
                }
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// The message of a workflow command (`::error ...::MESSAGE`): `%`, `\r` and `\n` escaped as
/// the runner unescapes them, other control characters made visible, and `##[` (the runner's
/// older command form, read anywhere in a line) written `##\[`.
pub fn workflow_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if needs_escape(c) => out.push_str(&terminal(c.encode_utf8(&mut [0; 4]))),
            c => out.push(c),
        }
    }
    if out.contains("##[") {
        out = out.replace("##[", "##\\[");
    }
    out
}

/// A property value of a workflow command (`file=`, `title=`): [`workflow_data`] plus `:` and `,`.
pub fn workflow_property(text: &str) -> String {
    workflow_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Inline Markdown that renders as `text` and nothing else: ASCII punctuation that Markdown or
/// GitHub's HTML subset gives a meaning is backslash-escaped, control characters (which could
/// end a table row or start a heading) are made visible.
pub fn markdown(text: &str) -> String {
    let visible = terminal(text);
    let mut out = String::with_capacity(visible.len() + 8);
    for c in visible.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '<'
                | '>'
                | '('
                | ')'
                | '#'
                | '+'
                | '-'
                | '!'
                | '|'
                | '~'
                | '&'
                | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// HTML text or a quoted attribute value: `& < > " '` as entities, control characters as
/// U+FFFD, and the invisible characters that reorder or break text (bidirectional overrides,
/// line separators) as their visible `\u{202e}` form: an entity would still reorder.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push('\u{fffd}'),
            c if needs_escape(c) => out.push_str(&terminal(c.encode_utf8(&mut [0; 4]))),
            c => out.push(c),
        }
    }
    out
}

/// Whether `c` reorders or breaks the text around it when shown (bidirectional controls, line
/// and paragraph separators) or is a control character: what [`terminal`] makes visible.
pub fn is_invisible_control(c: char) -> bool {
    needs_escape(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_shows_bidirectional_overrides() {
        assert_eq!(html("a\u{202e}b<"), "a\\u{202e}b&lt;");
        assert_eq!(html("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
    }

    #[test]
    fn terminal_keeps_plain_text_and_shows_controls() {
        assert!(matches!(terminal("tests/test_a.py"), Cow::Borrowed(_)));
        assert_eq!(
            terminal("docs/x\n::error title=a::b\n.md"),
            "docs/x\\n::error title=a::b\\n.md"
        );
        assert_eq!(terminal("a\x1b[2Jb\0"), "a\\x1b[2Jb\\x00");
        assert_eq!(terminal("a\u{2028}b\u{202e}"), "a\\u{2028}b\\u{202e}");
        assert_eq!(terminal("caf\u{e9}"), "caf\u{e9}");
    }

    #[test]
    fn workflow_escaping_follows_the_runner() {
        assert_eq!(workflow_data("50%\r\nx"), "50%25%0D%0Ax");
        assert_eq!(workflow_property("a,b:c%"), "a%2Cb%3Ac%25");
        assert_eq!(workflow_data("a\x1bb"), "a\\x1bb");
        assert_eq!(workflow_property("x##[add-mask]y"), "x##\\[add-mask]y");
    }

    #[test]
    fn markdown_cannot_start_a_heading_or_a_row() {
        assert_eq!(
            markdown("x\n# heading | <b>"),
            "x\\\\n\\# heading \\| \\<b\\>"
        );
        assert_eq!(markdown("test_a.py"), "test\\_a.py");
    }
}
