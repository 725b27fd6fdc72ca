//! Python's `fnmatch` and pytest's `fnmatch_ex`, which `python_files`, `norecursedirs`
//! and `python_classes`/`python_functions` globs use.

/// `fnmatch.fnmatch` on POSIX: `*`, `?`, `[seq]`, `[!seq]`, case-sensitive, and `*`
/// crosses `/` (Python's fnmatch knows nothing of path separators).
pub fn fnmatch(name: &str, pattern: &str) -> bool {
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

fn matches_from(name: &[char], pattern: &[char]) -> bool {
    // Iterative matcher with single-star backtracking: linear for the patterns pytest uses.
    let (mut n, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() {
            match pattern[p] {
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
                    if let Some((matched, next)) = class_matches(&pattern[p..], name[n]) {
                        if matched {
                            n += 1;
                            p += next;
                            continue;
                        }
                    } else if name[n] == '[' {
                        // An unclosed `[` is a literal, as in Python.
                        n += 1;
                        p += 1;
                        continue;
                    }
                }
                c if c == name[n] => {
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
    pattern[p..].iter().all(|&c| c == '*')
}

/// Matches a `[...]` class at the start of `pattern`; returns (matched, length of the class),
/// or None when the class is not closed.
fn class_matches(pattern: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(pattern.get(i), Some('!'));
    if negate {
        i += 1;
    }
    let start = i;
    let mut matched = false;
    while i < pattern.len() {
        if pattern[i] == ']' && i > start {
            return Some((matched != negate, i + 1));
        }
        if i + 2 < pattern.len() && pattern[i + 1] == '-' && pattern[i + 2] != ']' {
            if pattern[i] <= c && c <= pattern[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if pattern[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

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
