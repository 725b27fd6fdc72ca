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

macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, $exit:ident; )+) => {
        /// Every diagnostic fanout can emit. The kebab-case names are a stable interface; each
        /// code's documentation is the explanation `fanout check --explain CODE` prints.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name),+ }
            }

            /// The explanation, as written on the variant (doc comment lines, each with its
            /// leading space).
            fn doc(self) -> &'static [&'static str] {
                match self { $(Code::$variant => &[$($doc),+]),+ }
            }

            /// Problems with the environment or the invocation rather than with the tests:
            /// they make fanout exit with 2 instead of 1.
            pub fn is_usage_or_io(self) -> bool {
                match self { $(Code::$variant => codes!(@exit $exit)),+ }
            }
        }
    };
    (@exit usage) => { true };
    (@exit findings) => { false };
}

codes! {
    /// A file or directory could not be read (permissions, a vanished file, a special file).
    /// fanout exits with 2: fix access to the file and run again.
    IoError = "io-error", usage;
    /// A PATH argument or a `testpaths` entry does not exist.
    /// Example: `fanout check tests/integraton`. Check the spelling, or `testpaths` in the pytest config.
    PathNotFound = "path-not-found", usage;
    /// A symbolic link points back to one of its parents; fanout does not follow it twice.
    /// Usually harmless; remove the link if tests are missing.
    SymlinkLoop = "symlink-loop", usage;
    /// A pytest config file or `[tool.fanout]` is malformed, e.g. `testpaths = 3` in [tool.pytest].
    /// pytest would fail on it too. The message names the file, line and column.
    ConfigError = "config-error", usage;
    /// A test module does not parse. pytest fails the whole run on it, so fanout reports it
    /// instead of guessing its groups. Fix the syntax error.
    SyntaxError = "syntax-error", findings;
    /// A test module is not UTF-8. fanout does not read `# coding:` declarations; re-save the file as UTF-8.
    InvalidUtf8 = "invalid-utf8", findings;
    /// A group id that is only known at run time: a call to project code, the environment, a loop
    /// variable, a name bound more than once or imported from an installed package. f-strings,
    /// comprehensions and arithmetic over module data are evaluated (docs/collection.md).
    ///
    /// ```text
    /// @pytest.mark.group(os.environ["CLOUD"])   # dynamic-group-id
    /// ```
    ///
    /// Use literals or module-level data that fanout can evaluate, or run with `--resolve-dynamic` to
    /// let pytest collect the file (docs/collection.md).
    DynamicGroupId = "dynamic-group-id", findings;
    /// A group id that is empty, holds a control character, or one of `\ / " ' : < > | * ?`, which break CI
    /// artifact names. Example: `group("a/b")`. Use letters, digits, spaces and `_ . - + @ , =`.
    InvalidGroupId = "invalid-group-id", findings;
    /// A group mark with no id, several ids, or an id that is not an int or str: `@pytest.mark.group`,
    /// `group(1.5)`, or a chained call `group(12)(13)`, which pytest merges into one mark with two ids.
    /// Write exactly one int or str id, in one call.
    InvalidGroupMark = "invalid-group-mark", findings;
    /// Two group marks at one level (function, class with its bases, or module), or on a function and one of
    /// its parameters. pytest uses only the closest; the other is almost always a mistake. Keep one.
    DuplicateGroupMark = "duplicate-group-mark", findings;
    /// Some tests of a file have a group and others do not. Tests with no group run in no job: CI is green
    /// and they never ran. Give every test of the file a group (or none, with `ungrouped = "whole-file"`).
    MixedGrouping = "mixed-grouping", findings;
    /// No test of a file has a group. By default this is an error; `ungrouped = "whole-file"` in
    /// [tool.fanout] runs such a file as one job. A `test*.txt` doctest file cannot carry a mark at all.
    UngroupedFile = "ungrouped-file", findings;
    /// No test of the suite has a group mark, in several files: the suite has not adopted groups yet.
    /// Reported once for the suite instead of an `ungrouped-file` error per file. Add
    /// `@pytest.mark.group(ID)` to the tests, or set `ungrouped = "whole-file"` in [tool.fanout] to run
    /// each file as one job.
    NoGroups = "no-groups", findings;
    /// Parameters of one test are in different groups, but fanout cannot name the cases pytest builds:
    /// a parameter value only known at run time without `id=`, or ids from a function. Give each
    /// `pytest.param` an `id=`, or the function one group.
    ParameterGroups = "parameter-groups", findings;
    /// Tests of one group ask for different runners with `@pytest.mark.runner(...)`. A job runs on one runner:
    /// make them agree, or split the group.
    RunnerConflict = "runner-conflict", findings;
    /// `runner` takes a string or a list of strings: `runner(["self-hosted", "large"])`, not `runner(3)`.
    InvalidRunner = "invalid-runner", findings;
    /// No test was found under the paths. Check the paths and `python_files`.
    NoTests = "no-tests", findings;
    /// pytest skips a `Test*` class that defines `__init__` or `__new__`, or gets one from `@dataclass` or
    /// attrs. Its tests never run. Remove the constructor or rename the class.
    ClassNotCollected = "class-not-collected", findings;
    /// A test class inherits from a class defined in another module; tests and marks it adds are not seen.
    /// The matrix names such a class whole (`path::TestX`) so pytest runs what it inherits. It is an error
    /// when the class has no test fanout can see, or its tests are in several groups. Define test base
    /// classes in the test module, or give the class one group.
    UnresolvedBase = "unresolved-base", findings;
    /// A test defined in an `elif`/`else` branch; fanout assumes the first branch runs. Define tests
    /// unconditionally and skip them with `@pytest.mark.skipif`.
    ConditionalTest = "conditional-test", findings;
    /// A test defined under a module-level `if`/`match` condition fanout cannot evaluate (anything but
    /// `sys.version_info` comparisons every Python pytest supports agrees on, `TYPE_CHECKING` and literals).
    /// fanout assumes the first such branch runs. Also a module-level `pytest.skip(..., allow_module_level=True)`
    /// under such a condition. Define tests unconditionally and skip them with `@pytest.mark.skipif`.
    ConditionalDefinition = "conditional-definition", findings;
    /// A name that looks like a test is bound by code fanout does not evaluate: `test_x = make_test()`,
    /// `TestMade = factory()`, `test_c = some_call()` in a class, `globals()["test_x"] = f`, `exec(...)`,
    /// `setattr(...)`, `from .missing import *`. pytest may collect a test there that fanout does not list. An
    /// error when the file's tests are in groups (such a test would be in no job), else a warning (the file
    /// runs whole). Define tests with `def`/`class`, or import them by name from a project module.
    UnresolvedTest = "unresolved-test", findings;
    /// A conftest.py builds `collect_ignore` or `collect_ignore_glob` from values fanout cannot evaluate
    /// (a call, a variable, a condition it cannot decide). The paths it makes pytest skip are still listed.
    /// List the paths as string literals, or use `--ignore`/`norecursedirs`.
    DynamicCollectIgnore = "dynamic-collect-ignore", findings;
    /// A name that looks like a test is imported into a test module (`from helpers import test_x`).
    /// pytest collects it there as a test of this module too. Import the module instead, or rename the function.
    ImportedTest = "imported-test", findings;
    /// `--doctest-modules` is in addopts: pytest collects the examples in the docstrings of every
    /// module, and those items carry no group, so no job runs them. Run doctests in a separate CI step.
    DoctestModules = "doctest-modules", findings;
    /// A test path that is unsafe to paste into a CI shell line (spaces, quotes, `$`). Rename the file or directory.
    UnsafePath = "unsafe-path", findings;
    /// A group id that is unsafe to paste into a CI shell line, e.g. `group("a;b")`. Use a simpler id.
    UnsafeGroupId = "unsafe-group-id", findings;
    /// A `-m` expression pytest would reject, e.g. `-m "a and"`. Fix the expression.
    InvalidMarkExpression = "invalid-mark-expression", usage;
    /// A mark used in a test module that is not builtin (parametrize, skip, skipif, xfail, usefixtures,
    /// filterwarnings, tryfirst, trylast), not registered in the config file pytest reads or by a conftest.py
    /// (`config.addinivalue_line("markers", ...)`), not registered by a plugin the project lists, and not in
    /// `known-markers` in [tool.fanout].
    ///
    /// ```text
    /// @pytest.mark.gruop(2)      # unknown-marker; did you mean `group`?
    /// def test_deploy(): ...
    /// ```
    ///
    /// With strict markers (`--strict-markers` in addopts, or `strict_markers`/`strict` = true) pytest stops
    /// the whole run on it, so it is an error; otherwise pytest only warns and, for a typo of `group`, the test
    /// silently gets no group, so it is a warning. Fix near misses; register real markers with
    /// `fanout check --fix` or in `known-markers` when a plugin fanout does not know registers them. A marker
    /// of a plugin fanout knows (`asyncio`, `timeout`, `xdist_group`, ...) that the project neither declares
    /// nor loads is never registered by `--fix`: declare or load the plugin. Each name is reported once, at
    /// its first use, with its number of uses.
    UnknownMarker = "unknown-marker", findings;
    /// The `group` marker (or `runner`) is used but not registered where pytest reads it: the config file
    /// pytest uses, a conftest.py, or a plugin fanout knows registers it (pytest-operator-groups in
    /// requirements, tox deps, pyproject dependencies, `pytest_plugins` or `-p` in addopts).
    ///
    /// ```text
    /// # pytest.ini exists, so this pyproject.toml table is not read:
    /// [tool.pytest.ini_options]
    /// markers = ["group(id): ..."]
    /// ```
    ///
    /// `fanout check --fix` adds the registration to the file pytest reads.
    UnregisteredMarker = "unregistered-marker", findings;
    /// A config file registers markers that pytest does not read: pytest reads one config file, the first of
    /// pytest.toml, .pytest.toml, pytest.ini, .pytest.ini, pyproject.toml, tox.ini, setup.cfg in the closest
    /// directory that has one, and only its pytest section ([pytest] in ini and pytest.toml files,
    /// [tool:pytest] in setup.cfg, [tool.pytest] or [tool.pytest.ini_options] in pyproject.toml).
    ///
    /// ```text
    /// pytest.ini exists, so the markers in pyproject.toml are not read
    /// ```
    ///
    /// It is an error: the registrations look done but are not. Move them to the file pytest reads, which
    /// the hint names (`fanout check --fix` registers those the tests use).
    IgnoredMarkers = "ignored-markers", findings;
    /// A group mark on a function pytest does not collect, such as a helper decorated like a test:
    ///
    /// ```text
    /// @pytest.mark.group(1)
    /// async def verify_endpoints(ops_test): ...
    /// ```
    ///
    /// It is not a test, so the mark puts nothing in a group. Remove the mark, or rename the function so
    /// `python_functions` matches it if it is meant to be a test.
    UncollectedGroupMark = "uncollected-group-mark", findings;
    /// A group mark on a class or in module-level `pytestmark`. pytest's closest-marker rule and fanout apply it
    /// to the tests below, but the original `--collect-groups` conftest reads only each function's own marks,
    /// so runners still using it leave these tests out. Put the mark on each test function if that matters.
    OuterGroupMark = "outer-group-mark", findings;
    /// One file uses the same group id as an int and as a string, `group(1)` and `group("1")`. Both jobs would
    /// be named `file | group 1`, so `fanout matrix` refuses them (`duplicate-job-name`), and they are different
    /// marks for `-m 'group(...)'` and for the original conftest. Write every id of a file the same way.
    GroupIdTypeClash = "group-id-type-clash", findings;
    /// A group id 0. The original `--collect-groups` conftest tested the id for truth, so group 0 counted as
    /// "no group" and its tests were skipped or rejected. Number groups from 1.
    GroupZero = "group-zero", findings;
    /// A test declares that it needs another test to run first in the same pytest process
    /// (pytest-dependency `depends=`, pytest-order `after=`/`before=`, an `incremental` class), but
    /// the two are in different jobs: another file, or another group of the file. Each job is its
    /// own pytest run, so the dependent test is skipped (pytest-dependency), runs without the
    /// state it expects, or runs out of order. Put both in one group (`fanout plan` keeps them
    /// together); across files, no grouping can satisfy it: move the tests into one file or drop
    /// the dependency.
    SplitDependency = "split-dependency", findings;
    /// The matrix would have more (test file, group) jobs than `max-jobs` in [tool.fanout];
    /// `fanout matrix` refuses to write it. Merge small groups or raise `max-jobs`.
    TooManyJobs = "too-many-jobs", findings;
    /// Two jobs of the matrix would have the same `job_name`: `group(1)` and `group("1")` in one file, or
    /// files with the same path below two test paths. CI would show one row for both and their artifacts
    /// would overwrite each other, so `fanout matrix` refuses. Write every id of a file the same way, or
    /// rename one of the files.
    DuplicateJobName = "duplicate-job-name", findings;
    /// Standard output or an output file could not be written (a closed or full output, no permission).
    /// Nothing is left half-written: `--output` files are replaced whole or not at all, and `$GITHUB_OUTPUT`
    /// is appended to last. Fix the destination and run again.
    OutputError = "output-error", usage;
    /// `fanout verify`: pytest collected something other than fanout lists: a test only one of them has, or
    /// a test whose closest `group` or `runner` mark differs. Usually a conftest hook or plugin
    /// (`pytest_collection_modifyitems`, `pytest_generate_tests`) that fanout cannot see:
    ///
    /// ```text
    /// def pytest_collection_modifyitems(items):
    ///     items[0].add_marker(pytest.mark.group(2), append=False)   # pytest: group 2, fanout: 1
    /// ```
    ///
    /// Put the mark in the test module, where fanout reads it, or drop the hook.
    VerifyMismatch = "verify-mismatch", findings;
    /// `fanout verify` could not run pytest's collection: no Python found, the command did not start, or
    /// pytest stopped before collecting (a usage error, a conftest that fails to import, pytest not
    /// installed). The end of pytest's output follows the message. Fix the environment or pass
    /// `--python`/`--collect-command`. With `--resolve-dynamic` it is a warning: the files keep fanout's
    /// static reading and its errors.
    PytestFailed = "pytest-failed", usage;
    /// `fanout verify`: pytest could not collect a file or directory (an import error, a missing dependency,
    /// an exception in a conftest hook), so nothing can be compared there. Install what the tests import,
    /// or run verify where they can be imported.
    PytestCollectionError = "pytest-collection-error", usage;
    /// `fanout plan --diff`/`--write` left a test's group alone: its group comes from the class, from module
    /// `pytestmark` or from a parameter's `marks=`, it has two group marks, or the module does not
    /// `import pytest`. Moving such a mark changes more than the plan says, so fanout does not guess: set the
    /// group the plan printed by hand, or make the mark the function's own, then plan again.
    NotRewritten = "not-rewritten", findings;
    /// `fanout check`, where a `spread.yaml` is found at the rootdir or above it: a job of the matrix
    /// (a test file, or one group of it) has a test that no spread task runs, so `spread` would never
    /// run it in CI. A task runs what its `execute` names once its `environment` (the project's, the
    /// suite's, its own) is substituted: a test file, a folder above it, or a node id. Add a task folder
    /// to a suite (`tests/spread/test_new.py/task.yaml`) whose `execute` names the file, e.g. with
    /// `TEST_MODULE: test_new.py` and `tox run -e integration -- "tests/integration/$TEST_MODULE"`.
    /// A path only known when the task runs (a script that computes it) cannot be read: name the file.
    SpreadNoTask = "spread-no-task", findings;
    /// `fanout check`: a spread task's `execute` names a test file, folder or node id that does not
    /// exist (a test file renamed or deleted): the task fails only when it runs. Point it at the new
    /// path, or remove the task folder.
    SpreadStaleTask = "spread-stale-task", findings;
    /// The command cannot run as asked: an unknown backend or diagnostic code, the current
    /// directory unreadable, or `--strict` change selection that cannot be sure. The message
    /// says what was wrong and the hint what to do.
    UsageError = "usage-error", usage;
}

impl Code {
    /// What the code means, why it matters and what to do, with an example.
    /// Code blocks, fenced in the source, are indented by four spaces.
    pub fn explanation(self) -> String {
        let mut lines = Vec::new();
        let mut in_code = false;
        for line in self.doc() {
            let line = line.strip_prefix(' ').unwrap_or(line);
            if line.starts_with("```") {
                in_code = !in_code;
            } else if in_code {
                lines.push(format!("    {line}"));
            } else {
                lines.push(line.to_owned());
            }
        }
        lines.join("\n")
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

/// How a run ends, as ripgrep's: the process exit status is a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExitStatus {
    /// 0: done, nothing wrong.
    Success,
    /// 1: findings: the tests are not groupable as they stand, or a check failed.
    Findings,
    /// 2: usage, configuration or I/O error.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Error => 2,
        }
    }

    /// The status the diagnostics call for: any usage or I/O error wins over findings.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| {
                if d.code.is_usage_or_io() {
                    ExitStatus::Error
                } else {
                    ExitStatus::Findings
                }
            })
            .max()
            .unwrap_or(ExitStatus::Success)
    }
}

/// [`ExitStatus::of`] as a process exit code.
pub fn exit_code(diagnostics: &[Diagnostic]) -> i32 {
    ExitStatus::of(diagnostics).code()
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
    fn every_code_is_explained() {
        for code in Code::ALL {
            assert!(code.explanation().len() > 40, "{code}");
        }
        let text = Code::DynamicGroupId.explanation();
        assert!(
            text.contains("\n    @pytest.mark.group(os.environ"),
            "{text}"
        );
        assert!(!text.contains("```"), "{text}");
    }

    #[test]
    fn codes_are_unique() {
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }
}
