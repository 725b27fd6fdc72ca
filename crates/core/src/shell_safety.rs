//! The policy for values that CI workflows paste into shell lines.
//!
//! A matrix value interpolated with `${{ }}` (GitHub) or `$VAR` unquoted (GitLab, Buildkite)
//! becomes shell code. Instead of escaping for every shell, fanout only emits values made of
//! characters that mean nothing to a POSIX shell, and rejects the rest with a reason.
//!
//! - Paths: ASCII letters and digits and `_ . - / + @ , =`. No spaces.
//! - Group ids: the same without `/`, plus the space (ids like `large deployment` are common
//!   and pass safely through `env:`; quote them in `run:` lines).

/// `path` (a path or a node id, relative) as an argument that can only be read as a path: one
/// that starts with `-` (a folder named `-kx`) would be read by pytest as an option (`-k x`),
/// so it gets `./` in front, which pytest resolves to the same file. Every path or node id
/// fanout hands to pytest, or writes for a CI to hand to it, goes through here.
pub fn as_argument(path: &str) -> std::borrow::Cow<'_, str> {
    if path.starts_with('-') {
        std::borrow::Cow::Owned(format!("./{path}"))
    } else {
        std::borrow::Cow::Borrowed(path)
    }
}

/// [`as_argument`] for a path the OS gave (not always UTF-8).
pub fn os_argument(path: &std::ffi::OsStr) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStrExt as _;
    if path.as_bytes().starts_with(b"-") {
        let mut out = std::ffi::OsString::from("./");
        out.push(path);
        out
    } else {
        path.to_owned()
    }
}

/// Characters, besides ASCII alphanumerics, allowed in test file paths.
pub const PATH_EXTRA: &str = "_.-/+@,=";
/// Characters, besides ASCII alphanumerics, allowed in group ids.
pub const GROUP_ID_EXTRA: &str = "_.-+@,= ";

/// The first character of `value` that is not allowed, if any.
pub fn first_unsafe(value: &str, extra: &str) -> Option<char> {
    // A table of the allowed ASCII bytes: every node id of a suite is checked, so this is one
    // lookup per byte rather than a search of `extra` per character.
    let mut allowed = [false; 128];
    for b in extra.bytes().filter(u8::is_ascii) {
        allowed[usize::from(b)] = true;
    }
    let at = value
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || (b.is_ascii() && allowed[usize::from(b)])))?;
    // The first byte not allowed starts a character (every ASCII byte does, and a non-ASCII
    // character's first byte is the first of its bytes not allowed).
    value[at..].chars().next()
}

/// Why a character is dangerous, for error messages.
pub fn describe(c: char) -> String {
    let why = match c {
        '$' => "starts a shell expansion",
        '`' => "starts a command substitution",
        '"' | '\'' => "ends or starts a shell quote",
        ';' | '&' | '|' => "separates shell commands",
        '\n' | '\r' => "ends the shell line",
        ' ' | '\t' => "splits the value into two shell words",
        '(' | ')' | '{' | '}' | '<' | '>' => "is shell syntax",
        '*' | '?' | '[' | ']' => "is a shell glob",
        '\\' => "escapes the next character in the shell",
        '#' => "starts a shell comment",
        '!' => "triggers shell history expansion",
        '~' => "expands to a home directory",
        _ if c.is_control() => "is a control character",
        _ if !c.is_ascii() => "is not ASCII, so its meaning depends on the runner's locale",
        _ => "is not in fanout's list of shell-safe characters",
    };
    format!("{c:?} {why}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            first_unsafe("tests/integration/test_a-b_c.py", PATH_EXTRA),
            None
        );
        assert_eq!(
            first_unsafe("tests/my tests/test_a.py", PATH_EXTRA),
            Some(' ')
        );
        assert_eq!(first_unsafe("tests/$(id).py", PATH_EXTRA), Some('$'));
        assert_eq!(first_unsafe("tests/café.py", PATH_EXTRA), Some('é'));
        assert_eq!(first_unsafe("t.py::test[a b]", "_.-/:[]"), Some(' '));
        assert_eq!(first_unsafe("t.py::test[a-b]", "_.-/:[]"), None);
        assert_eq!(first_unsafe("ok", "é"), None);
        assert_eq!(
            first_unsafe("é", "é"),
            Some('é'),
            "only ASCII is ever allowed"
        );
        assert_eq!(first_unsafe("tests/é.py", PATH_EXTRA), Some('é'));
    }

    #[test]
    fn arguments_never_start_with_a_dash() {
        assert_eq!(
            as_argument("-kx/test_a.py::test_b"),
            "./-kx/test_a.py::test_b"
        );
        assert_eq!(as_argument("tests/-kx/test_a.py"), "tests/-kx/test_a.py");
        assert_eq!(as_argument("/abs/-x"), "/abs/-x");
        assert_eq!(os_argument(std::ffi::OsStr::new("-c")), "./-c");
        assert_eq!(os_argument(std::ffi::OsStr::new("a")), "a");
    }

    #[test]
    fn group_ids() {
        assert_eq!(first_unsafe("large deployment", GROUP_ID_EXTRA), None);
        assert_eq!(first_unsafe("a;b", GROUP_ID_EXTRA), Some(';'));
        assert_eq!(first_unsafe("a`b`", GROUP_ID_EXTRA), Some('`'));
        assert!(describe('$').contains("expansion"));
    }
}
