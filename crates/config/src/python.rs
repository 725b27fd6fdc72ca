//! Python's string semantics where pytest's behaviour depends on them: `str.isspace`,
//! `str.splitlines`, `shlex.split`, `distutils`' `strtobool` and float `repr`.

/// `str.isspace` for one character (Python counts `\x1c`..`\x1f` as whitespace, Rust does not).
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

pub(crate) fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

pub(crate) fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

/// `str.splitlines()`: lines without their endings; every Python line boundary counts.
pub(crate) fn splitlines(s: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let boundary = matches!(
            c,
            '\n' | '\r'
                | '\u{0b}'
                | '\u{0c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if boundary {
            lines.push(&s[start..i]);
            let mut end = i + c.len_utf8();
            if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
                chars.next();
                end += 1;
            }
            start = end;
        }
    }
    if start < s.len() {
        lines.push(&s[start..]);
    }
    lines
}

/// Why `shlex.split` refused a string (its `ValueError` message).
pub type ShlexError = &'static str;

/// `shlex.split(s)` (POSIX mode, no comments). Not the `shlex` crate: it reads `#` as the
/// start of a comment, which Python's `shlex.split` (and so pytest's addopts) does not, and it
/// loses Python's error messages. `shlex_agrees_with_python` checks this against Python.
pub fn shlex_split(s: &str) -> Result<Vec<String>, ShlexError> {
    #[derive(PartialEq)]
    enum State {
        Between,
        Word,
        Quote(char),
    }
    let mut out = Vec::new();
    let mut token = String::new();
    let mut state = State::Between;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match state {
            State::Between | State::Word => match c {
                ' ' | '\t' | '\r' | '\n' => {
                    if state == State::Word {
                        out.push(std::mem::take(&mut token));
                    }
                    state = State::Between;
                }
                '\\' => {
                    token.push(chars.next().ok_or("No escaped character")?);
                    state = State::Word;
                }
                '\'' | '"' => state = State::Quote(c),
                _ => {
                    token.push(c);
                    state = State::Word;
                }
            },
            State::Quote(q) if c == q => state = State::Word,
            State::Quote('"') if c == '\\' => {
                let next = chars.next().ok_or("No escaped character")?;
                if next != '"' && next != '\\' {
                    token.push('\\');
                }
                token.push(next);
            }
            State::Quote(_) => token.push(c),
        }
    }
    match state {
        State::Quote(_) => Err("No closing quotation"),
        State::Word => {
            out.push(token);
            Ok(out)
        }
        State::Between => Ok(out),
    }
}

/// pytest's `_strtobool`.
pub(crate) fn strtobool(val: &str) -> Option<bool> {
    match val.to_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "on" | "1" => Some(true),
        "n" | "no" | "f" | "false" | "off" | "0" => Some(false),
        _ => None,
    }
}

pub(crate) use fanout_core::pyrepr::{float_repr, str_repr};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitlines_matches_python() {
        assert_eq!(
            splitlines("a\nb\r\nc\rd\u{0c}e\u{2028}f\n"),
            ["a", "b", "c", "d", "e", "f"]
        );
        assert_eq!(splitlines("a\n\nb"), ["a", "", "b"]);
        assert!(splitlines("").is_empty());
    }

    #[test]
    fn shlex_matches_python() {
        assert_eq!(
            shlex_split("-m 'slow and not db' --ignore=a\\ b").unwrap(),
            ["-m", "slow and not db", "--ignore=a b"]
        );
        assert_eq!(
            shlex_split(r#""a\"b\x" '' c#d"#).unwrap(),
            [r#"a"b\x"#, "", "c#d"]
        );
        assert_eq!(shlex_split("  \t\n").unwrap(), Vec::<String>::new());
        assert_eq!(shlex_split("a'b'c").unwrap(), ["abc"]);
        assert_eq!(shlex_split("'unclosed"), Err("No closing quotation"));
        assert_eq!(shlex_split("trailing\\"), Err("No escaped character"));
    }

    /// Asks the real Python `shlex.split` (python3 on PATH, which the project's tests need).
    #[test]
    fn shlex_agrees_with_python() {
        let cases = [
            "-p no:cacheprovider # not a comment",
            "a#b #c '#d'",
            "-m 'slow and not db' --ignore=a\\ b",
            r#""a\"b\x" '' c#d"#,
            "\"nested 'quotes'\" 'and \"these\"'",
            "tab\tsep\nnewline  spaces",
            "a\\\\b 'c\\d' \"e\\\\f\" \"g\\h\"",
            "--x=\"1 2\"3 caf\u{e9} \u{2003}wide",
            "'unclosed",
            "\"unclosed",
            "trailing\\",
            "",
        ];
        let script = "import json, shlex, sys\n\
            out = []\n\
            for s in json.load(sys.stdin):\n\
            \x20   try: out.append(shlex.split(s))\n\
            \x20   except ValueError as e: out.append(str(e))\n\
            json.dump(out, sys.stdout)\n";
        let mut child = std::process::Command::new("python3")
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 on PATH");
        let input = format!(
            "[{}]",
            cases
                .iter()
                .map(|c| format!("{c:?}")
                    .replace("\\u{e9}", "\\u00e9")
                    .replace("\\u{2003}", "\\u2003"))
                .collect::<Vec<_>>()
                .join(",")
        );
        std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), input.as_bytes())
            .expect("write cases");
        drop(child.stdin.take());
        let out = child.wait_with_output().expect("python3 ran");
        let python: Vec<serde_json::Value> =
            serde_json::from_slice(&out.stdout).expect("python's answers");
        for (case, expected) in cases.iter().zip(python) {
            let ours = match shlex_split(case) {
                Ok(words) => serde_json::json!(words),
                Err(message) => serde_json::json!(message),
            };
            assert_eq!(ours, expected, "shlex.split({case:?})");
        }
    }

    #[test]
    fn strtobool_matches_pytest() {
        assert_eq!(strtobool("TRUE"), Some(true));
        assert_eq!(strtobool("off"), Some(false));
        assert_eq!(strtobool("2"), None);
    }

    #[test]
    fn float_repr_matches_python() {
        for (f, s) in [
            (1.0, "1.0"),
            (1.5e3, "1500.0"),
            (1e16, "1e+16"),
            (1.25e-5, "1.25e-05"),
            (0.001, "0.001"),
            (-2.5, "-2.5"),
            (123.456, "123.456"),
        ] {
            assert_eq!(float_repr(f), s);
        }
    }

    #[test]
    fn isspace_includes_python_separators() {
        assert!(is_space('\u{1f}') && is_space('\u{a0}') && !is_space('x'));
        assert_eq!(strip("\u{1c} a \u{3000}"), "a");
    }
}
