//! One test as pytest would collect it, at function level.

use crate::group::GroupId;
use crate::SharedStr;
use serde::Serialize;

/// Where the closest group mark of a test was found, as pytest's `get_closest_marker` walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupSource {
    Function,
    /// A mark given to the test's parameters: `pytest.param(..., marks=pytest.mark.group(1))`.
    Parameter,
    Class,
    Module,
    /// Read from pytest's own collection (`--resolve-dynamic`): the closest mark after every
    /// hook ran, wherever it was.
    Pytest,
}

/// A literal mark argument, enough to evaluate `-m 'name(kw=value)'` as pytest 8 does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MarkValue {
    Str(String),
    Int(i64),
    Bool(bool),
    None,
    /// A list or tuple of strings (`depends=["test_a", "test_b"]`): what dependency marks
    /// name; never equal to a value in an expression.
    Strs(Vec<String>),
    /// Anything that is not a literal: never equal to a value in an expression.
    Other,
}

impl MarkValue {
    /// The strings of a string or a list of strings.
    pub fn strings(&self) -> Vec<&str> {
        match self {
            MarkValue::Str(s) => vec![s.as_str()],
            MarkValue::Strs(list) => list.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

impl Mark {
    /// The value of keyword argument `key`, if given.
    pub fn kwarg(&self, key: &str) -> Option<&MarkValue> {
        self.kwargs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// A mark applied to a test at any level (function, class, module).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mark {
    /// Shared: every test of a module names the same few marks.
    pub name: SharedStr,
    pub kwargs: Vec<(String, MarkValue)>,
}

/// The CI runner labels a group asks for with `@pytest.mark.runner(...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Runner {
    Label(String),
    Labels(Vec<String>),
}

/// Marks on single parameters of a test: `-m` selects parametrized items one by one.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamMarks {
    /// The extra marks of each parameter combination.
    Combinations(Vec<Vec<Mark>>),
    /// Marked parameters fanout cannot list (built at run time): `-m` keeps the test, and the
    /// run step's own `-m` picks its parameters.
    Unknown,
}

/// A parametrized case listed on its own: `test_backup[aws-small]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamCase {
    /// pytest's id: the text between the brackets of the node id.
    pub id: String,
    /// How many cases the function has: a job holding all of them names the function.
    pub of: u32,
}

impl TestItem {
    /// File order: by path, then line. Tests of one file share their path, so within a file
    /// this compares no text.
    pub fn file_order(a: &TestItem, b: &TestItem) -> std::cmp::Ordering {
        if a.path == b.path {
            a.line.cmp(&b.line)
        } else {
            a.path.cmp(&b.path)
        }
    }

    /// The node id of the function itself, without a case's `[id]`.
    pub fn function_node_id(&self) -> &str {
        match &self.param {
            Some(case) => self
                .node_id
                .strip_suffix(']')
                .and_then(|s| s.strip_suffix(case.id.as_str()))
                .and_then(|s| s.strip_suffix('['))
                .unwrap_or(&self.node_id),
            None => &self.node_id,
        }
    }
}

impl Runner {
    /// Why a label cannot name a CI runner, if one cannot: empty, or with a control character
    /// (a newline would split the YAML or output line it is written to).
    pub fn invalid_label(&self) -> Option<String> {
        let labels = match self {
            Runner::Label(label) => std::slice::from_ref(label),
            Runner::Labels(labels) => labels.as_slice(),
        };
        labels.iter().find_map(|label| {
            if label.trim().is_empty() {
                Some("is empty".to_owned())
            } else {
                label.chars().find(|c| c.is_control()).map(|c| {
                    format!(
                        "holds the control character {}",
                        crate::escape::terminal(&c.to_string())
                    )
                })
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TestItem {
    /// `path::Class::function`, relative to the rootdir, as pytest prints it.
    pub node_id: SharedStr,
    /// Path of the test file relative to the rootdir, `/`-separated.
    pub path: SharedStr,
    /// Enclosing classes joined by `::`, for nested classes.
    pub class: Option<String>,
    pub function: String,
    /// 1-based line of the `def`.
    pub line: u32,
    /// The text of that line as parsed, for diagnostics that point at the test once the file
    /// is no longer at hand (so a snippet never shows a file changed since).
    pub def_line: Box<str>,
    pub group: Option<GroupId>,
    pub group_source: Option<GroupSource>,
    /// The test has a group mark whose id could not be resolved (reported as a diagnostic);
    /// file-level grouping checks leave it out rather than report it twice.
    pub group_error: bool,
    /// The node id of the outermost enclosing class that inherits from a class fanout cannot
    /// see (defined in another module): it may hold tests fanout does not list, so the matrix
    /// names that class instead of this test.
    pub unseen_in: Option<String>,
    /// A text file of doctests (pytest's doctest plugin): it cannot carry marks.
    pub doctest: bool,
    /// Its module may skip itself whole where fanout cannot tell (a module-level
    /// `importorskip`, a module skip under a condition it cannot evaluate): there pytest finds
    /// none of its tests, so a job names the file rather than tests pytest may not know.
    pub module_may_skip: bool,
    /// Boxed: few tests have one, and every test carries the field.
    pub runner: Option<Box<Runner>>,
    /// Every mark that applies, closest first, for `-m` selection.
    /// Shared: the tests of a module mostly carry one of a few lists.
    pub marks: std::sync::Arc<[Mark]>,
    /// Marks given to single parameters (`pytest.param(..., marks=...)`), `None` when no
    /// parameter carries one (boxed: few tests have them, and every test carries the field).
    pub param_marks: Option<Box<ParamMarks>>,
    /// One parametrized case of the function, when fanout lists the cases one by one
    /// (their parameters carry marks); `node_id` then ends with `[id]`.
    pub param: Option<Box<ParamCase>>,
    /// How many items pytest makes of this one: 1 for a test that is not parametrized or one
    /// listed case, the number of `parametrize` cases for a function named as a whole, 0 when
    /// only running code can tell. `fanout plan` estimates a case no run measured from it.
    pub cases: u32,
    /// The path argument (or `testpaths` entry) under which the file was found,
    /// relative to the rootdir; job names are relative to it.
    pub test_root: SharedStr,
}
