//! Typed errors: each names the file, the 1-based line and column when known, what is wrong and
//! what to do about it.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// A place in a config file: `path[:line[:column]]`, 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl Location {
    /// The whole file, no line known.
    pub fn file(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            line: None,
            column: None,
        }
    }

    /// A 1-based line (and column, when known) in `path`.
    pub fn at(path: &Path, line: u32, column: Option<u32>) -> Self {
        Self {
            path: path.to_path_buf(),
            line: Some(line),
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// Maps byte offsets of a text to 1-based line and column (in characters).
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    pub(crate) fn locate(&self, path: &Path, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        Location::at(path, to_u32(line), Some(to_u32(column)))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Everything that can go wrong while finding and reading pytest's or fanout's configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("{}: cannot read config file: {source}; check that it exists and is readable", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{at}: file is not valid UTF-8; pytest reads config files as UTF-8, re-save it in that encoding")]
    NotUtf8 { at: Location },
    #[error("{at}: invalid TOML: {message}; fix the syntax (pytest cannot read this file either)")]
    Toml { at: Location, message: String },
    #[error(
        "{at}: {message}; pytest's ini parser (iniconfig) rejects this, fix or remove the line"
    )]
    Ini { at: Location, message: String },
    #[error("{at}: {message}; {help}")]
    Invalid {
        at: Location,
        message: String,
        help: String,
    },
    #[error("{at}: unknown key `{key}` in [tool.fanout]; {suggestion}expected one of {expected}")]
    UnknownFanoutKey {
        at: Location,
        key: String,
        suggestion: String,
        expected: String,
    },
    #[error("{}: config file given with -c/--config-file not found; check the path", path.display())]
    InifileNotFound { path: PathBuf },
    #[error("{}: config file given with -c/--config-file is a directory; pass a file", path.display())]
    InifileIsDirectory { path: PathBuf },
    #[error("{}: config file given with -c/--config-file has an unsupported format; supported extensions are: .cfg, .ini, .toml", path.display())]
    InifileUnsupported { path: PathBuf },
    #[error("{}: directory given with --rootdir not found; pass an existing directory", path.display())]
    RootdirNotFound { path: PathBuf },
}

impl ConfigError {
    pub(crate) fn invalid(
        at: Location,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Self::Invalid {
            at,
            message: message.into(),
            help: help.into(),
        }
    }

    fn location(&self) -> Option<&Location> {
        match self {
            Self::NotUtf8 { at }
            | Self::Toml { at, .. }
            | Self::Ini { at, .. }
            | Self::Invalid { at, .. }
            | Self::UnknownFanoutKey { at, .. } => Some(at),
            _ => None,
        }
    }

    /// The file (or directory) the error is about.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::Read { path, .. }
            | Self::InifileNotFound { path }
            | Self::InifileIsDirectory { path }
            | Self::InifileUnsupported { path }
            | Self::RootdirNotFound { path } => Some(path),
            other => other.location().map(|at| at.path.as_path()),
        }
    }

    /// The 1-based line, when known.
    pub fn line(&self) -> Option<u32> {
        self.location().and_then(|at| at.line)
    }

    /// The 1-based column, when known.
    pub fn column(&self) -> Option<u32> {
        self.location().and_then(|at| at.column)
    }
}

/// Reads a config file as UTF-8 the way Python's `open(..., encoding="utf-8")` does: universal
/// newlines (`\r\n` and `\r` become `\n`).
pub(crate) fn read_text(path: &Path) -> Result<String, ConfigError> {
    let bytes = fanout_core::files::read(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(good);
        let at = LineIndex::new(&text).locate(path, text.len());
        ConfigError::NotUtf8 { at }
    })?;
    if text.contains('\r') {
        return Ok(text.replace("\r\n", "\n").replace('\r', "\n"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_is_one_based_in_characters() {
        let text = "ab\néx = 1\n";
        let idx = LineIndex::new(text);
        let p = Path::new("f.toml");
        assert_eq!(idx.locate(p, 0).to_string(), "f.toml:1:1");
        let x = text.find('x').unwrap();
        assert_eq!(idx.locate(p, x).to_string(), "f.toml:2:2");
        assert_eq!(idx.locate(p, 999).line, Some(3));
    }

    #[test]
    fn error_exposes_path_and_line() {
        let e = ConfigError::invalid(Location::at(Path::new("a.ini"), 3, None), "bad", "fix it");
        assert_eq!(e.to_string(), "a.ini:3: bad; fix it");
        assert_eq!(e.path(), Some(Path::new("a.ini")));
        assert_eq!(e.line(), Some(3));
    }

    #[test]
    fn non_utf8_reports_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.ini");
        std::fs::write(&p, b"[pytest]\nfoo = \xff\n").unwrap();
        let e = read_text(&p).unwrap_err();
        assert!(matches!(e, ConfigError::NotUtf8 { .. }));
        assert_eq!(e.line(), Some(2));
    }
}
