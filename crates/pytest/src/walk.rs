//! Finding the files pytest would import as test modules.

use crate::fnmatch::{fnmatch, fnmatch_ex};
use fanout_core::{Code, Diagnostic};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// What decides which directories and files pytest visits.
pub struct WalkRules<'c> {
    pub rootdir: &'c Path,
    pub python_files: &'c [String],
    pub norecursedirs: &'c [String],
    pub ignore: &'c [PathBuf],
    pub ignore_glob: &'c [String],
    pub collect_in_virtualenv: bool,
    pub respect_gitignore: bool,
    /// The files git tracks (absolute): kept even when a `.gitignore` pattern matches them, as
    /// pytest keeps them. `None` outside a git work tree.
    pub tracked: Option<&'c HashSet<PathBuf>>,
    /// Files the doctest plugin collects (`test*.txt` by default; empty when it is off).
    pub doctest_glob: &'c [String],
}

#[derive(Debug, Clone)]
pub struct TestFile {
    pub abs: PathBuf,
    /// Relative to the rootdir, `/`-separated.
    pub rel: String,
    /// The collect path it was found under, relative to the rootdir.
    pub test_root: String,
    /// A text file of doctests rather than a Python module.
    pub doctest: bool,
}

pub fn find_test_files(
    paths: &[PathBuf],
    rules: &WalkRules<'_>,
) -> (Vec<TestFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    for path in paths {
        let test_root = relative_to(path, rules.rootdir);
        let shown = if test_root.is_empty() {
            ".".to_owned()
        } else {
            test_root.clone()
        };
        let Ok(meta) = std::fs::metadata(path) else {
            diagnostics.push(
                Diagnostic::error(Code::PathNotFound, shown, "file or directory not found")
                    .with_hint("check the path, or `testpaths` in the pytest config"),
            );
            continue;
        };
        // A file found, with its path relative to the rootdir.
        let mut push =
            |seen: &mut rustc_hash::FxHashSet<String>, abs: PathBuf, rel: String, doctest: bool| {
                if seen.insert(rel.clone()) {
                    files.push(TestFile {
                        abs,
                        rel,
                        test_root: test_root.clone(),
                        doctest,
                    });
                }
            };
        if meta.is_file() {
            // pytest imports a .py file given explicitly whatever its name, and reads a
            // .txt or .rst file given explicitly as doctests.
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if extension == "py" {
                push(
                    &mut seen,
                    path.clone(),
                    relative_to(path, rules.rootdir),
                    false,
                );
            } else if matches!(extension, "txt" | "rst") && !rules.doctest_glob.is_empty() {
                push(
                    &mut seen,
                    path.clone(),
                    relative_to(path, rules.rootdir),
                    true,
                );
            }
            continue;
        }
        if rules.respect_gitignore {
            // The walker reads every `.gitignore` on the way, and one that is a FIFO would
            // block it for ever: refuse it, naming it, before the walk.
            let blocked: Vec<PathBuf> = path
                .ancestors()
                .map(|dir| dir.join(".gitignore"))
                .filter(|f| is_unreadable_ignore_file(f))
                .collect();
            if !blocked.is_empty() {
                diagnostics.extend(
                    blocked
                        .iter()
                        .map(|f| unreadable_ignore_file(f, rules.rootdir)),
                );
                continue;
            }
        }
        let blocked_below: std::sync::Arc<std::sync::Mutex<Vec<PathBuf>>> = Default::default();
        let walker = ignore::WalkBuilder::new(path)
            .standard_filters(false)
            .git_ignore(rules.respect_gitignore)
            .git_exclude(rules.respect_gitignore)
            .follow_links(true)
            .filter_entry({
                let norecurse = rules.norecursedirs.to_vec();
                let ignore: Vec<PathBuf> = rules.ignore.to_vec();
                let ignore_glob = rules.ignore_glob.to_vec();
                let in_venv_ok = rules.collect_in_virtualenv;
                let blocked_below = std::sync::Arc::clone(&blocked_below);
                let respect_gitignore = rules.respect_gitignore;
                move |entry| {
                    let p = entry.path();
                    if entry.depth() == 0 {
                        return true;
                    }
                    let text = p.to_string_lossy();
                    if ignore.iter().any(|i| i == p)
                        || ignore_glob.iter().any(|g| fnmatch(&text, g))
                    {
                        return false;
                    }
                    if entry.file_type().is_some_and(|t| t.is_dir()) {
                        let name = entry.file_name().to_string_lossy();
                        let visited = name != "__pycache__"
                            && !norecurse.iter().any(|pat| fnmatch_ex(pat, &text))
                            && (in_venv_ok || !is_virtualenv(p));
                        let ignore_file = p.join(".gitignore");
                        if visited && respect_gitignore && is_unreadable_ignore_file(&ignore_file) {
                            lock(&blocked_below).push(ignore_file);
                            return false;
                        }
                        return visited;
                    }
                    true
                }
            })
            .build_parallel();
        // On every core: what each thread finds is gathered, then put in the order of a walk
        // that visits each folder's entries sorted by name (paths compare component by
        // component), so the files and their diagnostics come out the same every time.
        let found: std::sync::Mutex<Vec<(PathBuf, String, bool)>> = Default::default();
        let errors: std::sync::Mutex<Vec<Diagnostic>> = Default::default();
        walker.run(|| {
            let (found, errors) = (&found, &errors);
            Box::new(move |entry| {
                match entry {
                    Ok(entry) => {
                        if entry.file_type().is_some_and(|t| t.is_file()) {
                            if let Some(doctest) = test_file_kind(entry.path(), rules) {
                                let rel = relative_to(entry.path(), rules.rootdir);
                                lock(found).push((entry.into_path(), rel, doctest));
                            }
                        }
                    }
                    Err(err) if is_dangling_link(&err) => {
                        // pytest skips a symlink to nothing (`is_file()` and `is_dir()` are false).
                    }
                    Err(err) => lock(errors).push(walk_error(&err, rules.rootdir)),
                }
                ignore::WalkState::Continue
            })
        });
        let mut found = std::mem::take(&mut *lock(&found));
        found.sort_by_cached_key(|(path, _, _)| walk_order(path));
        for (abs, rel, doctest) in found {
            push(&mut seen, abs, rel, doctest);
        }
        let mut errors = std::mem::take(&mut *lock(&errors));
        errors.sort_by(|a, b| (a.sort_key(), &a.message).cmp(&(b.sort_key(), &b.message)));
        diagnostics.extend(errors);
        let mut blocked = std::mem::take(&mut *lock(&blocked_below));
        blocked.sort();
        diagnostics.extend(
            blocked
                .iter()
                .map(|f| unreadable_ignore_file(f, rules.rootdir)),
        );
        if let (true, Some(tracked)) = (rules.respect_gitignore, rules.tracked) {
            let walked = |abs: &Path| seen.contains(relative_to(abs, rules.rootdir).as_str());
            for (abs, doctest) in tracked_but_ignored(path, tracked, rules, &walked) {
                let rel = relative_to(&abs, rules.rootdir);
                push(&mut seen, abs, rel, doctest);
            }
        }
    }
    (files, diagnostics)
}

/// A path's key in the order of a walk that visits each folder's entries sorted by name:
/// its bytes with each `/` made the lowest byte, so that a name sorts before every longer name
/// it begins (as comparing the paths component by component does, at a fraction of the cost).
fn walk_order(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt as _;
    path.as_os_str()
        .as_bytes()
        .iter()
        .map(|&b| if b == b'/' { 0 } else { b })
        .collect()
}

/// A list the walk's threads add to (one that panicked left it whole: it only pushes).
fn lock<T>(list: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    list.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether pytest imports `file` as a test module (`Some(false)`) or reads it as doctests
/// (`Some(true)`).
fn test_file_kind(file: &Path, rules: &WalkRules<'_>) -> Option<bool> {
    let text = file.to_string_lossy();
    if file.extension().is_some_and(|e| e == "py") {
        rules
            .python_files
            .iter()
            .any(|pat| fnmatch_ex(pat, &text))
            .then_some(false)
    } else {
        rules
            .doctest_glob
            .iter()
            .any(|pat| fnmatch_ex(pat, &text))
            .then_some(true)
    }
}

/// Tracked test files below `root` that the `.gitignore`-respecting walk skipped, checked
/// against the same rules the walk applies to each directory on the way. Files the walk found
/// (`walked`), which in a checkout are nearly all of them, are passed over first: the rules'
/// checks stat every folder on a file's way, and would again for each of them.
fn tracked_but_ignored(
    root: &Path,
    tracked: &HashSet<PathBuf>,
    rules: &WalkRules<'_>,
    walked: &dyn Fn(&Path) -> bool,
) -> Vec<(PathBuf, bool)> {
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut found: Vec<(PathBuf, bool)> = tracked
        .iter()
        .filter_map(|file| {
            let below = file.strip_prefix(&canonical).ok()?;
            let abs = root.join(below);
            if walked(&abs) {
                return None;
            }
            let doctest = test_file_kind(&abs, rules)?;
            let mut dir = root.to_path_buf();
            let components: Vec<_> = below.components().collect();
            for (i, component) in components.iter().enumerate() {
                dir.push(component);
                let text = dir.to_string_lossy();
                if rules.ignore.contains(&dir)
                    || rules.ignore_glob.iter().any(|g| fnmatch(&text, g))
                {
                    return None;
                }
                let is_dir = i + 1 < components.len();
                if is_dir
                    && (component.as_os_str() == "__pycache__"
                        || rules.norecursedirs.iter().any(|pat| fnmatch_ex(pat, &text))
                        || (!rules.collect_in_virtualenv && is_virtualenv(&dir)))
                {
                    return None;
                }
            }
            abs.is_file().then_some((abs, doctest))
        })
        .collect();
    found.sort();
    found
}

fn walk_error(err: &ignore::Error, rootdir: &Path) -> Diagnostic {
    let mut inner = err;
    let mut path = None;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.clone());
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err
            }
            _ => break,
        }
    }
    match inner {
        ignore::Error::Loop { ancestor, child } => Diagnostic::warning(
            Code::SymlinkLoop,
            relative_to(child, rootdir),
            format!(
                "symbolic link loop back to {}: not followed again",
                relative_to(ancestor, rootdir)
            ),
        )
        .with_hint("remove the link, or add the directory to norecursedirs"),
        other => Diagnostic::error(
            Code::IoError,
            path.map_or_else(|| ".".to_owned(), |p| relative_to(&p, rootdir)),
            format!("cannot read: {other}"),
        )
        .with_hint("check the permissions of this path"),
    }
}

/// A `.gitignore` that exists but is no regular file (a FIFO): reading it would block.
fn is_unreadable_ignore_file(file: &Path) -> bool {
    std::fs::metadata(file).is_ok_and(|m| !m.is_file())
}

fn unreadable_ignore_file(file: &Path, rootdir: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::IoError,
        relative_to(file, rootdir),
        "not a regular file, so fanout cannot read its patterns: the tests below it are not collected",
    )
    .with_hint("make it a file or remove it, or set `respect-gitignore = false` in [tool.fanout]")
}

/// A walk error for a symlink whose target does not exist.
fn is_dangling_link(err: &ignore::Error) -> bool {
    let mut inner = err;
    let mut path = None;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p);
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err;
            }
            _ => break,
        }
    }
    let not_found =
        matches!(inner, ignore::Error::Io(e) if e.kind() == std::io::ErrorKind::NotFound);
    not_found
        && path.is_some_and(|p| {
            std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
                && std::fs::metadata(p).is_err()
        })
}

/// pytest's `_in_venv`: a directory holding a virtual environment.
fn is_virtualenv(dir: &Path) -> bool {
    dir.join("pyvenv.cfg").is_file() || dir.join("conda-meta").join("history").is_file()
}

/// `path` relative to `base`, `/`-separated, lexically (with `..` when outside).
pub fn relative_to(path: &Path, base: &Path) -> String {
    // The usual case, without taking both paths apart: `path` is below `base`, and the rest
    // is plain names (no `.`, `..` or doubled `/` for the components to drop or keep).
    use std::os::unix::ffi::OsStrExt as _;
    let (path_bytes, base_bytes) = (path.as_os_str().as_bytes(), base.as_os_str().as_bytes());
    let rest = path_bytes.strip_prefix(base_bytes).and_then(|rest| {
        if base_bytes.ends_with(b"/") {
            Some(rest)
        } else {
            rest.strip_prefix(b"/")
        }
    });
    if let Some(rest) = rest.and_then(|rest| std::str::from_utf8(rest).ok()) {
        if !rest.split('/').any(|part| matches!(part, "" | "." | "..")) {
            return rest.to_owned();
        }
    }
    let path: Vec<Component<'_>> = path.components().collect();
    let base: Vec<Component<'_>> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    parts.extend(std::iter::repeat_n("..".to_owned(), base.len() - common));
    parts.extend(
        path[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_order_key_orders_paths_as_their_components_do() {
        let names = [
            "a", "a.b", "a-b", "a_b", "A", "ab", "a b", "é", "0", "10", "9",
        ];
        let mut paths: Vec<PathBuf> = Vec::new();
        for first in names {
            for second in names {
                paths.push(Path::new("/r").join(first).join(format!("{second}.py")));
                paths.push(Path::new("/r").join(first).join(second).join("t.py"));
            }
        }
        let mut by_components = paths.clone();
        by_components.sort();
        let mut by_key = paths;
        by_key.sort_by_cached_key(|p| walk_order(p));
        assert_eq!(by_key, by_components);
    }

    /// The tracked files the walk found are passed over before any of the rules' checks (each
    /// stats folders): only the ones it skipped come back, still held to those rules.
    #[test]
    fn tracked_files_the_walk_found_are_not_checked_again() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let root = std::fs::canonicalize(dir.path()).expect("the temp dir exists");
        for rel in [
            "tests/test_walked.py",
            "tests/test_skipped.py",
            "tests/venv/test_v.py",
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
            std::fs::write(&path, "def test_x(): pass\n").expect("a test file");
        }
        std::fs::write(root.join("tests/venv/pyvenv.cfg"), "").expect("a virtualenv marker");
        let tracked: HashSet<PathBuf> = [
            "tests/test_walked.py",
            "tests/test_skipped.py",
            "tests/venv/test_v.py",
        ]
        .iter()
        .map(|rel| root.join(rel))
        .collect();
        let no_strings: &[String] = &[];
        let no_paths: &[PathBuf] = &[];
        let python_files = ["test_*.py".to_owned()];
        let rules = WalkRules {
            rootdir: &root,
            python_files: &python_files,
            norecursedirs: no_strings,
            ignore: no_paths,
            ignore_glob: no_strings,
            collect_in_virtualenv: false,
            tracked: Some(&tracked),
            respect_gitignore: true,
            doctest_glob: no_strings,
        };
        let tests = root.join("tests");
        let asked = std::cell::RefCell::new(Vec::new());
        let walked = |abs: &Path| {
            asked.borrow_mut().push(relative_to(abs, &root));
            abs.ends_with("test_walked.py")
        };
        let found = tracked_but_ignored(&tests, &tracked, &rules, &walked);
        assert_eq!(found, [(tests.join("test_skipped.py"), false)]);
        let mut asked = asked.into_inner();
        asked.sort();
        assert_eq!(
            asked,
            [
                "tests/test_skipped.py",
                "tests/test_walked.py",
                "tests/venv/test_v.py"
            ]
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_to(Path::new("/r/tests/a.py"), Path::new("/r")),
            "tests/a.py"
        );
        assert_eq!(relative_to(Path::new("/r"), Path::new("/r")), "");
        assert_eq!(
            relative_to(Path::new("/x/a.py"), Path::new("/r")),
            "../x/a.py"
        );
        // What components drop (doubled `/`, `.`, a trailing `/`) and keep (`..`).
        for (path, base, expected) in [
            ("/r/tests//a.py", "/r", "tests/a.py"),
            ("/r/tests/./a.py", "/r/", "tests/a.py"),
            ("/r/./tests/a.py", "/r", "tests/a.py"),
            ("/r/tests/", "/r", "tests"),
            ("/r/a/../b.py", "/r", "a/../b.py"),
            ("/r/tests/a.py", "/r/tests/a.py", ""),
            ("/rx/a.py", "/r", "../rx/a.py"),
            ("/a/b.py", "/", "a/b.py"),
            ("/r/x/t.py", "/r/x/.", "t.py"),
            ("/r/./x/t.py", "/r/./x", "t.py"),
        ] {
            assert_eq!(
                relative_to(Path::new(path), Path::new(base)),
                expected,
                "{path} from {base}"
            );
        }
    }
}
