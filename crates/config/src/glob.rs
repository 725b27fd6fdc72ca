//! Python's `glob.iglob(pattern, recursive=True)` relative to a directory, for `testpaths`.
//! `*`, `?` and `[...]` match within one name and skip names starting with `.` unless the
//! pattern does; a `**` component matches any number of directories.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn has_magic(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// `os.path.split`.
fn split(p: &str) -> (&str, &str) {
    let i = p.rfind('/').map_or(0, |i| i + 1);
    let (head, tail) = p.split_at(i);
    let trimmed = head.trim_end_matches('/');
    (if trimmed.is_empty() { head } else { trimmed }, tail)
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() || b.starts_with('/') {
        b.to_string()
    } else if a.ends_with('/') {
        format!("{a}{b}")
    } else {
        format!("{a}/{b}")
    }
}

/// The matches of `pattern` as Python returns them (relative to `root` unless absolute), sorted.
pub(crate) fn glob(root: &Path, pattern: &str) -> Vec<String> {
    let mut out = iglob(root, pattern, false);
    if pattern.starts_with("**") {
        out.retain(|s| !s.is_empty());
    }
    out.sort();
    out
}

fn iglob(root: &Path, pattern: &str, dironly: bool) -> Vec<String> {
    let (dirname, basename) = split(pattern);
    if !has_magic(pattern) {
        let full = root.join(pattern);
        let hit = if basename.is_empty() {
            root.join(dirname).is_dir()
        } else {
            full.symlink_metadata().is_ok()
        };
        return if hit && !pattern.is_empty() {
            vec![pattern.to_string()]
        } else {
            vec![]
        };
    }
    if dirname.is_empty() {
        return glob_in_dir(root, "", basename, dironly);
    }
    let dirs = if dirname != pattern && has_magic(dirname) {
        iglob(root, dirname, true)
    } else {
        vec![dirname.to_string()]
    };
    dirs.iter()
        .flat_map(|d| {
            glob_in_dir(root, d, basename, dironly)
                .into_iter()
                .map(|name| join(d, &name))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn glob_in_dir(root: &Path, dir: &str, basename: &str, dironly: bool) -> Vec<String> {
    let full = root.join(dir);
    if basename == "**" {
        let mut out = Vec::new();
        if dir.is_empty() || full.is_dir() {
            out.push(String::new());
        }
        let mut seen = HashSet::new();
        rlistdir(&full, "", dironly, &mut seen, &mut out);
        return out;
    }
    if has_magic(basename) {
        let hidden_ok = basename.starts_with('.');
        return listdir(&full, dironly)
            .into_iter()
            .filter(|n| (hidden_ok || !n.starts_with('.')) && fnmatch(n, basename))
            .collect();
    }
    let hit = if basename.is_empty() {
        full.is_dir()
    } else {
        full.join(basename).symlink_metadata().is_ok()
    };
    if hit {
        vec![basename.to_string()]
    } else {
        vec![]
    }
}

fn listdir(dir: &Path, dironly: bool) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| !dironly || e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect()
}

/// Recursive listing; a directory already on the current path (a symlink loop) is not re-entered.
fn rlistdir(
    dir: &Path,
    prefix: &str,
    dironly: bool,
    stack: &mut HashSet<PathBuf>,
    out: &mut Vec<String>,
) {
    let Ok(canonical) = dir.canonicalize() else {
        return;
    };
    if !stack.insert(canonical.clone()) {
        return;
    }
    for name in listdir(dir, dironly)
        .into_iter()
        .filter(|n| !n.starts_with('.'))
    {
        let rel = join(prefix, &name);
        out.push(rel.clone());
        rlistdir(&dir.join(&name), &rel, dironly, stack, out);
    }
    stack.remove(&canonical);
}

/// `fnmatch.fnmatchcase` (POSIX, case-sensitive).
pub(crate) fn fnmatch(name: &str, pattern: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    let pat: Vec<char> = pattern.chars().collect();
    matches(&name, &pat)
}

fn matches(name: &[char], pat: &[char]) -> bool {
    match pat.first() {
        None => name.is_empty(),
        Some('*') => (0..=name.len()).any(|i| matches(&name[i..], &pat[1..])),
        Some('?') => !name.is_empty() && matches(&name[1..], &pat[1..]),
        Some('[') => match class(&pat[1..]) {
            Some((set, rest)) => name.first().is_some_and(|c| set(*c)) && matches(&name[1..], rest),
            None => name.first() == Some(&'[') && matches(&name[1..], &pat[1..]),
        },
        Some(c) => name.first() == Some(c) && matches(&name[1..], &pat[1..]),
    }
}

type CharSet<'a> = Box<dyn Fn(char) -> bool + 'a>;

/// A `[...]` class after its `[`: the set test and the pattern after `]`; `None` if unclosed.
fn class(pat: &[char]) -> Option<(CharSet<'_>, &[char])> {
    let negate = pat.first() == Some(&'!');
    let start = usize::from(negate);
    let close = start + 1 + pat.get(start + 1..)?.iter().position(|&c| c == ']')?;
    let body = &pat[start..close];
    let test = move |c: char| {
        let mut i = 0;
        let mut hit = false;
        while i < body.len() {
            if i + 2 < body.len() && body[i + 1] == '-' {
                hit |= body[i] <= c && c <= body[i + 2];
                i += 3;
            } else {
                hit |= body[i] == c;
                i += 1;
            }
        }
        hit != negate
    };
    Some((Box::new(test), &pat[close + 1..]))
}

#[cfg(test)]
#[path = "glob_tests.rs"]
mod tests;
