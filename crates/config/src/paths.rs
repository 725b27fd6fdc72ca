//! Python's path arithmetic as pytest uses it: `os.path.abspath` (lexical, no symlink
//! resolution), `os.path.expandvars`, `get_common_ancestor`, `get_dirs_from_args`.

use std::path::{Component, Path, PathBuf};

/// `os.path.abspath(base / p)`: joined and normalized lexically (`.` and `..` folded).
pub(crate) fn abspath(base: &Path, p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for comp in base.join(p).components() {
        match comp {
            Component::ParentDir => {
                if out.parent().is_some() {
                    out.pop();
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The path part of a node id (`tests/test_a.py::TestX::test_y` -> `tests/test_a.py`).
pub(crate) fn nodeid_path(arg: &Path) -> PathBuf {
    split_node_id(arg).0
}

/// A node-id argument split into its file and the rest: `file.py::Class::test` ->
/// (`file.py`, `Some("Class::test")`); a plain path -> (path, `None`).
pub fn split_node_id(arg: &Path) -> (PathBuf, Option<String>) {
    match arg.to_str().and_then(|s| s.split_once("::")) {
        Some((file, rest)) => (PathBuf::from(file), Some(rest.to_owned())),
        None => (arg.to_path_buf(), None),
    }
}

pub(crate) fn is_option(arg: &Path) -> bool {
    arg.to_string_lossy().starts_with('-')
}

/// pytest's `get_dirs_from_args`: existing args, as directories (files give their parent).
pub(crate) fn dirs_from_args(invocation_dir: &Path, args: &[PathBuf]) -> Vec<PathBuf> {
    args.iter()
        .filter(|a| !is_option(a))
        .map(|a| abspath(invocation_dir, &nodeid_path(a)))
        .filter(|p| p.exists())
        .map(|p| {
            if p.is_dir() {
                p
            } else {
                p.parent().map_or_else(|| p.clone(), Path::to_path_buf)
            }
        })
        .collect()
}

/// pytest's `get_common_ancestor`.
pub(crate) fn common_ancestor(invocation_dir: &Path, paths: &[PathBuf]) -> PathBuf {
    let mut common: Option<PathBuf> = None;
    for path in paths.iter().filter(|p| p.exists()) {
        common = Some(match common {
            None => path.clone(),
            Some(c) if path.starts_with(&c) => c,
            Some(c) if c.starts_with(path) => path.clone(),
            Some(c) => commonpath(&c, path),
        });
    }
    match common {
        None => invocation_dir.to_path_buf(),
        Some(c) if c.is_file() => c.parent().map_or_else(|| c.clone(), Path::to_path_buf),
        Some(c) => c,
    }
}

fn commonpath(a: &Path, b: &Path) -> PathBuf {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

pub(crate) fn is_fs_root(p: &Path) -> bool {
    p.parent().is_none()
}

/// `os.path.expandvars` (POSIX): `$name` and `${name}` of set variables are replaced, the rest kept.
pub(crate) fn expandvars(s: &str, vars: &std::collections::BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, consumed) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => (&braced[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        match vars.get(name) {
            Some(value) if !name.is_empty() => out.push_str(value),
            _ => out.push_str(&rest[i..=i + consumed]),
        }
        rest = &rest[i + 1 + consumed..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abspath_is_lexical() {
        assert_eq!(
            abspath(Path::new("/a/b"), Path::new("../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert_eq!(
            abspath(Path::new("/a"), Path::new("/x/../../y")),
            PathBuf::from("/y")
        );
    }

    #[test]
    fn nodeid_path_drops_names() {
        assert_eq!(
            nodeid_path(Path::new("t/test_a.py::T::test[x::y]")),
            PathBuf::from("t/test_a.py")
        );
        assert_eq!(
            nodeid_path(Path::new("t/test[1].py")),
            PathBuf::from("t/test[1].py")
        );
    }

    #[test]
    fn common_ancestor_of_existing_paths() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        for sub in ["a/x", "a/y", "b"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        std::fs::write(root.join("a/x/f.py"), "").unwrap();
        let inv = Path::new("/nowhere");
        assert_eq!(
            common_ancestor(inv, &[root.join("a/x"), root.join("a/y")]),
            root.join("a")
        );
        assert_eq!(
            common_ancestor(inv, &[root.join("a/x/f.py")]),
            root.join("a/x")
        );
        assert_eq!(
            common_ancestor(
                inv,
                &[root.join("a"), root.join("a/y"), root.join("missing")]
            ),
            root.join("a")
        );
        assert_eq!(common_ancestor(inv, &[root.join("missing")]), inv);
        assert_eq!(
            common_ancestor(inv, &[root.join("a/x"), root.join("b")]),
            root.to_path_buf()
        );
    }

    #[test]
    fn expandvars_keeps_unknown() {
        let vars = [("HOME".to_owned(), "/h".to_owned())].into_iter().collect();
        assert_eq!(
            expandvars("$FANOUT_SURELY_UNSET/x${FANOUT_SURELY_UNSET}y$", &vars),
            "$FANOUT_SURELY_UNSET/x${FANOUT_SURELY_UNSET}y$"
        );
        assert_eq!(expandvars("${HOME}/z$HOME", &vars), "/h/z/h");
    }
}
