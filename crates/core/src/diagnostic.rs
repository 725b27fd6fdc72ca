//! Findings about the test suite, in the shape compilers use: where, what, and how to fix it.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Every diagnostic fanout can emit. The kebab-case names are a stable interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A file could not be read (permissions, vanished, not a file).
    IoError,
    /// A path given on the command line or in `testpaths` does not exist.
    PathNotFound,
    /// A directory cycle made of symbolic links.
    SymlinkLoop,
    /// A pytest or fanout config file that cannot be parsed or has a bad value.
    ConfigError,
    /// A Python file pytest would import does not parse.
    SyntaxError,
    /// A Python file is not valid UTF-8.
    InvalidUtf8,
    /// A group id that cannot be known without running the code.
    DynamicGroupId,
    /// A group id that breaks CI job or artifact names.
    InvalidGroupId,
    /// A `group` mark with no id, several ids, or an id that is neither int nor str.
    InvalidGroupMark,
    /// Two group marks at the same level on one test.
    DuplicateGroupMark,
    /// Some tests in a file have a group and others do not.
    MixedGrouping,
    /// A file whose tests have no group at all.
    UngroupedFile,
    /// Parameters of one test carry different groups.
    ParameterGroups,
    /// The tests of one group ask for different runners.
    RunnerConflict,
    /// A `runner` mark whose value is not a string or a list of strings.
    InvalidRunner,
    /// No test was found under the given paths.
    NoTests,
    /// A class pytest skips because it defines `__init__` or `__new__`.
    ClassNotCollected,
    /// A test class inherits from a class defined in another module.
    UnresolvedBase,
    /// A test defined in an `elif`/`else` branch, which fanout cannot evaluate.
    ConditionalTest,
    /// A name that looks like a test imported into a test module.
    ImportedTest,
    /// `--doctest-modules` is on: pytest collects docstring examples fanout does not list.
    DoctestModules,
    /// A path that is unsafe to paste into a CI shell line.
    UnsafePath,
    /// A group id that is unsafe to paste into a CI shell line.
    UnsafeGroupId,
    /// A marker expression (`-m`) that pytest would reject.
    InvalidMarkExpression,
    /// A mark that is neither builtin, registered, nor in `known-markers` (`fanout check`).
    UnknownMarker,
    /// The `group` or `runner` marker is used but not registered where pytest reads it.
    UnregisteredMarker,
    /// A config file registers markers that pytest does not read.
    IgnoredMarkers,
    /// A group mark on a function pytest does not collect.
    UncollectedGroupMark,
    /// A group mark at class or module level, which the original conftest ignores.
    OuterGroupMark,
    /// Group ids in one file that differ only in type (`1` and `"1"`).
    GroupIdTypeClash,
    /// A group id `0`, which the original conftest treats as "no group".
    GroupZero,
    /// The matrix would have more jobs than `max-jobs`.
    TooManyJobs,
}

impl Code {
    pub const ALL: &'static [Code] = &[
        Code::IoError,
        Code::PathNotFound,
        Code::SymlinkLoop,
        Code::ConfigError,
        Code::SyntaxError,
        Code::InvalidUtf8,
        Code::DynamicGroupId,
        Code::InvalidGroupId,
        Code::InvalidGroupMark,
        Code::DuplicateGroupMark,
        Code::MixedGrouping,
        Code::UngroupedFile,
        Code::ParameterGroups,
        Code::RunnerConflict,
        Code::InvalidRunner,
        Code::NoTests,
        Code::ClassNotCollected,
        Code::UnresolvedBase,
        Code::ConditionalTest,
        Code::ImportedTest,
        Code::DoctestModules,
        Code::UnsafePath,
        Code::UnsafeGroupId,
        Code::InvalidMarkExpression,
        Code::UnknownMarker,
        Code::UnregisteredMarker,
        Code::IgnoredMarkers,
        Code::UncollectedGroupMark,
        Code::OuterGroupMark,
        Code::GroupIdTypeClash,
        Code::GroupZero,
        Code::TooManyJobs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::IoError => "io-error",
            Code::PathNotFound => "path-not-found",
            Code::SymlinkLoop => "symlink-loop",
            Code::ConfigError => "config-error",
            Code::SyntaxError => "syntax-error",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::DynamicGroupId => "dynamic-group-id",
            Code::InvalidGroupId => "invalid-group-id",
            Code::InvalidGroupMark => "invalid-group-mark",
            Code::DuplicateGroupMark => "duplicate-group-mark",
            Code::MixedGrouping => "mixed-grouping",
            Code::UngroupedFile => "ungrouped-file",
            Code::ParameterGroups => "parameter-groups",
            Code::RunnerConflict => "runner-conflict",
            Code::InvalidRunner => "invalid-runner",
            Code::NoTests => "no-tests",
            Code::ClassNotCollected => "class-not-collected",
            Code::UnresolvedBase => "unresolved-base",
            Code::ConditionalTest => "conditional-test",
            Code::ImportedTest => "imported-test",
            Code::DoctestModules => "doctest-modules",
            Code::UnsafePath => "unsafe-path",
            Code::UnsafeGroupId => "unsafe-group-id",
            Code::InvalidMarkExpression => "invalid-mark-expression",
            Code::UnknownMarker => "unknown-marker",
            Code::UnregisteredMarker => "unregistered-marker",
            Code::IgnoredMarkers => "ignored-markers",
            Code::UncollectedGroupMark => "uncollected-group-mark",
            Code::OuterGroupMark => "outer-group-mark",
            Code::GroupIdTypeClash => "group-id-type-clash",
            Code::GroupZero => "group-zero",
            Code::TooManyJobs => "too-many-jobs",
        }
    }

    /// Problems with the environment or the invocation rather than with the tests:
    /// they make fanout exit with 2 instead of 1.
    pub fn is_usage_or_io(self) -> bool {
        matches!(
            self,
            Code::IoError
                | Code::PathNotFound
                | Code::SymlinkLoop
                | Code::ConfigError
                | Code::InvalidMarkExpression
        )
    }
}

impl std::str::FromStr for Code {
    type Err = String;

    /// The code with this kebab-case name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown diagnostic code `{s}`"))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One finding. `line` and `column` are 1-based; 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// Path relative to the rootdir, `/`-separated, as in node ids.
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The source line the diagnostic points at, for human output.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.into(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    pub fn warning(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, message)
        }
    }

    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_source_line(mut self, line: impl Into<String>) -> Self {
        self.source_line = Some(line.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` (or just `path` when the diagnostic is about the whole file).
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.path.clone()
        } else {
            format!("{}:{}:{}", self.path, self.line, self.column)
        }
    }

    /// Sort key: by file, then position, so output is stable whatever the thread order.
    pub fn sort_key(&self) -> (&str, u32, u32, Code) {
        (&self.path, self.line, self.column, self.code)
    }
}

impl fmt::Display for Diagnostic {
    /// The plain, uncoloured form: `path:line:col: error[code]: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}[{}]: {}",
            self.location(),
            self.severity,
            self.code,
            self.message
        )
    }
}

/// How a run ends, as ripgrep's: 0 success, 1 findings, 2 usage or I/O error.
pub fn exit_code(diagnostics: &[Diagnostic]) -> i32 {
    let errors = diagnostics.iter().filter(|d| d.is_error());
    let mut code = 0;
    for d in errors {
        if d.code.is_usage_or_io() {
            return 2;
        }
        code = 1;
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_compiler_like() {
        let d = Diagnostic::error(Code::DynamicGroupId, "tests/test_a.py", "cannot know").at(3, 5);
        assert_eq!(
            d.to_string(),
            "tests/test_a.py:3:5: error[dynamic-group-id]: cannot know"
        );
    }

    #[test]
    fn io_errors_win_over_findings() {
        let finding = Diagnostic::error(Code::MixedGrouping, "a.py", "x");
        let io = Diagnostic::error(Code::IoError, "b.py", "y");
        let warn = Diagnostic::warning(Code::IoError, "c.py", "z");
        assert_eq!(exit_code(&[]), 0);
        assert_eq!(exit_code(&[warn]), 0);
        assert_eq!(exit_code(std::slice::from_ref(&finding)), 1);
        assert_eq!(exit_code(&[finding, io]), 2);
    }

    #[test]
    fn every_code_is_documented() {
        let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/diagnostics.md");
        let text = std::fs::read_to_string(docs).expect("docs/diagnostics.md");
        for code in Code::ALL {
            assert!(
                text.contains(&format!("`{code}`")),
                "docs/diagnostics.md does not mention `{code}`"
            );
        }
    }

    #[test]
    fn codes_are_unique() {
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }
}
