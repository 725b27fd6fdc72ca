//! Globs over `/`-separated paths relative to the rootdir, as `ignore-changes` and
//! `[tool.fanout.affects]` take them: `*` stays within a directory, `**` spans any number,
//! and a pattern without `/` matches the file name at any depth (`*.md`).

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

#[derive(Debug, Clone)]
pub struct PathGlobs {
    full: GlobSet,
    names: GlobSet,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid glob `{pattern}` in [tool.fanout]: {message}")]
pub struct PathGlobsError {
    pub pattern: String,
    pub message: String,
}

impl PathGlobs {
    pub fn new(patterns: &[String]) -> Result<Self, PathGlobsError> {
        let mut full = GlobSetBuilder::new();
        let mut names = GlobSetBuilder::new();
        for pattern in patterns {
            let trimmed = pattern.trim_start_matches("./");
            let glob = build(trimmed).map_err(|e| PathGlobsError {
                pattern: pattern.clone(),
                message: e.kind().to_string(),
            })?;
            if trimmed.contains('/') {
                full.add(glob);
            } else {
                names.add(glob);
            }
        }
        let built = |b: GlobSetBuilder| {
            b.build().map_err(|e| PathGlobsError {
                pattern: patterns.join(", "),
                message: e.to_string(),
            })
        };
        Ok(Self {
            full: built(full)?,
            names: built(names)?,
        })
    }

    pub fn matches(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.full.is_match(rel) || self.names.is_match(name)
    }
}

fn build(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn globs(p: &[&str]) -> PathGlobs {
        PathGlobs::new(&p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).expect("valid")
    }

    #[test]
    fn names_match_anywhere_paths_from_the_root() {
        let g = globs(&["*.md", "docs/**", "src/*.py"]);
        assert!(g.matches("README.md"));
        assert!(g.matches("a/b/NOTES.md"));
        assert!(g.matches("docs/x/y.txt"));
        assert!(g.matches("src/a.py"));
        assert!(!g.matches("src/a/b.py"));
        assert!(!g.matches("tests/test_a.py"));
    }

    #[test]
    fn a_bad_glob_is_an_error() {
        assert!(PathGlobs::new(&["a[".to_owned()]).is_err());
    }
}
