//! Python's `fnmatch` and pytest's `fnmatch_ex`, which `python_files`, `norecursedirs`
//! and `python_classes`/`python_functions` globs use.

/// `fnmatch.fnmatch` on POSIX: `*`, `?`, `[seq]`, `[!seq]`, case-sensitive, and `*`
/// crosses `/` (Python's fnmatch knows nothing of path separators).
pub fn fnmatch(name: &str, pattern: &str) -> bool {
    // ASCII (the usual case, checked for every file the walk meets) is matched byte by byte
    // without copying; other text as characters.
    if name.is_ascii() && pattern.is_ascii() {
        return matches_from(name.as_bytes(), pattern.as_bytes());
    }
    let name: Vec<char> = name.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    matches_from(&name, &pattern)
}

/// pytest's `fnmatch_ex`: a pattern without a `/` matches the basename; one with a `/`
/// matches the end of the full path.
pub fn fnmatch_ex(pattern: &str, path: &str) -> bool {
    if pattern.contains('/') {
        if pattern.starts_with('/') {
            fnmatch(path, pattern)
        } else {
            fnmatch(path, &format!("*/{pattern}"))
        }
    } else {
        let base = path.rsplit('/').next().unwrap_or(path);
        fnmatch(base, pattern)
    }
}

/// Whether `name` is a glob pattern for pytest's name filters (else it is a prefix).
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// Characters of a name or pattern: bytes of ASCII text, or `char`s.
trait Unit: Copy + Into<char> {}
impl Unit for u8 {}
impl Unit for char {}

fn matches_from<T: Unit>(name: &[T], pattern: &[T]) -> bool {
    // Iterative matcher with single-star backtracking: linear for the patterns pytest uses.
    let (mut n, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() {
            let here: char = name[n].into();
            match pattern[p].into() {
                '*' => {
                    star = Some((p, n));
                    p += 1;
                    continue;
                }
                '?' => {
                    n += 1;
                    p += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, next)) = class_matches(&pattern[p..], here) {
                        if matched {
                            n += 1;
                            p += next;
                            continue;
                        }
                    } else if here == '[' {
                        // An unclosed `[` is a literal, as in Python.
                        n += 1;
                        p += 1;
                        continue;
                    }
                }
                c if c == here => {
                    n += 1;
                    p += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, sn)) => {
                p = sp + 1;
                n = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c.into() == '*')
}

/// Matches a `[...]` class at the start of `pattern`; returns (matched, length of the class),
/// or None when the class is not closed.
fn class_matches<T: Unit>(pattern: &[T], c: char) -> Option<(bool, usize)> {
    let at = |i: usize| -> Option<char> { pattern.get(i).map(|&u| u.into()) };
    let mut i = 1;
    let negate = at(i) == Some('!');
    if negate {
        i += 1;
    }
    let start = i;
    let mut matched = false;
    while let Some(first) = at(i) {
        if first == ']' && i > start {
            return Some((matched != negate, i + 1));
        }
        match (at(i + 1), at(i + 2)) {
            (Some('-'), Some(last)) if last != ']' => {
                if first <= c && c <= last {
                    matched = true;
                }
                i += 3;
            }
            _ => {
                if first == c {
                    matched = true;
                }
                i += 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_and_characters_match_alike() {
        let names = [
            "test_a.py",
            "a_test.py",
            "conftest.py",
            "[x].py",
            "t-1.py",
            "",
            "aaa",
        ];
        let patterns = [
            "test_*.py",
            "*_test.py",
            "*",
            "?est*",
            "[ct]*",
            "[!t]*",
            "[a-c]*",
            "[x",
            "*[]]*",
            "t[-]1*",
            "a*a*a",
            "",
            "**.py",
        ];
        for name in names {
            for pattern in patterns {
                let chars = |t: &str| t.chars().collect::<Vec<char>>();
                assert_eq!(
                    matches_from(name.as_bytes(), pattern.as_bytes()),
                    matches_from(&chars(name), &chars(pattern)),
                    "{name:?} against {pattern:?}"
                );
            }
        }
        assert!(fnmatch("tést_é.py", "t?st_*.py"));
        assert!(fnmatch("é", "[à-ê]"));
    }

    #[test]
    fn python_fnmatch_cases() {
        assert!(fnmatch("test_a.py", "test_*.py"));
        assert!(fnmatch("a_test.py", "*_test.py"));
        assert!(!fnmatch("conftest.py", "test_*.py"));
        assert!(fnmatch("x.egg", "*.egg"));
        assert!(fnmatch(".git", ".*"));
        assert!(fnmatch("{arch}", "{arch}"));
        assert!(fnmatch("check_a.py", "[cd]heck_*.py"));
        assert!(!fnmatch("xheck_a.py", "[cd]heck_*.py"));
        assert!(fnmatch("a1", "a[!x]"));
        assert!(fnmatch("a[", "a["));
        assert!(fnmatch("aXb", "a*b"));
        assert!(!fnmatch("aXbc", "a*b"));
        assert!(fnmatch("a/b", "a*b"));
    }

    #[test]
    fn fnmatch_ex_uses_basename_without_separator() {
        assert!(fnmatch_ex("test_*.py", "/r/tests/test_a.py"));
        assert!(fnmatch_ex("tests/*.py", "/r/tests/a.py"));
        assert!(!fnmatch_ex("tests/*.py", "/r/other/a.py"));
    }
}
