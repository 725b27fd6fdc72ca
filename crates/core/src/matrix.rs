//! From collected tests to CI jobs: one job per (test file, group id).

use crate::diagnostic::{Code, Diagnostic};
use crate::group::GroupId;
use crate::shell_safety::{self, GROUP_ID_EXTRA, PATH_EXTRA};
use crate::test_item::{Runner, TestItem};
use crate::SharedStr;
use serde::Serialize;
use std::collections::BTreeMap;

/// What to do with a file none of whose tests has a group: `ungrouped` in `[tool.fanout]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UngroupedPolicy {
    /// The file is an error: its tests would not run in any group.
    #[default]
    Error,
    /// The file becomes one job running all its tests.
    WholeFile,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct MatrixOptions<'a> {
    pub ungrouped: UngroupedPolicy,
    /// Files none of whose collected tests the selection (`-m`, changed files) left out. A job
    /// that holds all of such a file's tests names the file, not its tests: pytest then runs
    /// exactly what it collects there, also where a test fanout lists is not defined (a module
    /// skipped or a test defined only on some Pythons) or one fanout cannot see.
    pub complete_files: Option<&'a FileSet>,
}

/// A set of test files' paths (shared with their tests: making one copies no path).
pub type FileSet = rustc_hash::FxHashSet<crate::SharedStr>;

/// One CI job. Field names are those of the original `--collect-groups` output, so existing
/// workflows keep working; fields are only ever added.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixEntry {
    pub path_to_test_file: String,
    /// `null` for a whole-file job (`ungrouped = "whole-file"`).
    pub group_id: Option<String>,
    /// The id as a number, for runners written for the earliest conftest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_number: Option<i64>,
    pub job_name: String,
    pub artifact_group_id: String,
    /// Written as arguments ([`shell_safety::as_argument`]): `./-kx/test_a.py`, never an option.
    #[serde(serialize_with = "serialize_arguments")]
    pub node_ids: Vec<crate::SharedStr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runner: Option<Runner>,
}

fn serialize_arguments<S: serde::Serializer>(
    ids: &[crate::SharedStr],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(ids.iter().map(|id| shell_safety::as_argument(id)))
}

impl MatrixEntry {
    /// The node ids as pytest arguments ([`shell_safety::as_argument`]).
    pub fn arguments(&self) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
        self.node_ids.iter().map(|id| shell_safety::as_argument(id))
    }

    /// The runner labels, in the order of the mark.
    pub fn runner_labels(&self) -> Option<Vec<String>> {
        self.runner.as_ref().map(|runner| match runner {
            Runner::Label(label) => vec![label.clone()],
            Runner::Labels(labels) => labels.clone(),
        })
    }

    /// The variables every CI backend gives a job, in this order, so one job template runs
    /// any job: `FANOUT_JOB_NAME`, `FANOUT_TEST_FILE`, `FANOUT_GROUP_ID` (empty for a
    /// whole-file job), `FANOUT_RUNNER` (the runner labels, space-separated; only for a group
    /// with a runner mark) and `FANOUT_NODE_IDS` (pytest's arguments, space-separated).
    pub fn job_variables(&self) -> Vec<(&'static str, String)> {
        let mut vars = vec![
            ("FANOUT_JOB_NAME", self.job_name.clone()),
            ("FANOUT_TEST_FILE", self.path_to_test_file.clone()),
            ("FANOUT_GROUP_ID", self.group_id.clone().unwrap_or_default()),
        ];
        if let Some(labels) = self.runner_labels() {
            vars.push(("FANOUT_RUNNER", labels.join(" ")));
        }
        vars.push((
            "FANOUT_NODE_IDS",
            self.arguments().collect::<Vec<_>>().join(" "),
        ));
        vars
    }
}

/// A job of `tests` tests of `tests/<file>` in group `group`, as [`build`] names it: for the
/// backends' own tests.
#[doc(hidden)]
pub fn sample_entry(file: &str, group: &str, tests: usize) -> MatrixEntry {
    let job_name = format!("{file} | group {group}");
    MatrixEntry {
        path_to_test_file: format!("tests/{file}"),
        group_id: Some(group.to_owned()),
        group_number: group.parse().ok(),
        artifact_group_id: artifact_safe(&job_name),
        job_name,
        node_ids: (0..tests)
            .map(|i| format!("tests/{file}::test_{i}").into())
            .collect(),
        runner: None,
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matrix {
    pub entries: Vec<MatrixEntry>,
}

/// File-level grouping rules that hold for `collect` and `matrix` alike.
pub fn check_grouping(tests: &[TestItem], policy: UngroupedPolicy) -> Vec<Diagnostic> {
    // The usual case, without a look at each file: every test has a group (or a mark already
    // reported).
    if tests.iter().all(|t| t.group.is_some() || t.group_error) {
        return Vec::new();
    }
    if policy == UngroupedPolicy::Error {
        if let Some(d) = no_groups(tests) {
            return vec![d];
        }
    }
    let mut diagnostics = Vec::new();
    for (path, mut file_tests) in by_file(tests) {
        file_tests.retain(|t| !t.group_error);
        if file_tests.is_empty() {
            continue;
        }
        let grouped: Vec<_> = file_tests.iter().filter(|t| t.group.is_some()).collect();
        if grouped.len() == file_tests.len() {
            continue;
        }
        if grouped.is_empty() {
            if policy == UngroupedPolicy::Error && file_tests[0].doctest {
                diagnostics.push(
                    Diagnostic::error(
                        Code::UngroupedFile,
                        path,
                        "pytest's doctest plugin collects this file, and doctests cannot carry a group mark",
                    )
                    .at(file_tests[0].line, 1)
                    .with_source_line(&*file_tests[0].def_line)
                    .with_hint(
                        "set `ungrouped = \"whole-file\"` in [tool.fanout] to run it as one job, rename it, \
                         or add `-p no:doctest` to addopts if it is not a test",
                    ),
                );
            } else if policy == UngroupedPolicy::Error {
                let first = file_tests[0];
                // The stand-in for tests the module makes at run time (fanout-pytest).
                let made_at_run_time = file_tests
                    .iter()
                    .all(|t| t.unseen_in.as_deref() == Some(&*t.path));
                let message = if made_at_run_time {
                    "pytest collects the tests this file makes at run time, and fanout cannot see a group mark on them: they would run in no job".to_owned()
                } else {
                    format!(
                        "none of the {} test(s) in this file has a group mark",
                        file_tests.len()
                    )
                };
                let hint = if made_at_run_time {
                    "define the tests with `def`/`class` statements so their group marks can be read, \
                     or set `ungrouped = \"whole-file\"` in [tool.fanout] to run the file as one job"
                } else {
                    "add @pytest.mark.group(ID) to the tests, or set `ungrouped = \"whole-file\"` \
                     in [tool.fanout] to run the file as one job"
                };
                diagnostics.push(
                    Diagnostic::error(Code::UngroupedFile, path, message)
                        .at(first.line, 1)
                        .with_source_line(&*first.def_line)
                        .with_hint(hint),
                );
            }
            continue;
        }
        let mut ids: Vec<&GroupId> = grouped.iter().filter_map(|t| t.group.as_ref()).collect();
        ids.sort();
        ids.dedup();
        let ids: Vec<String> = ids.iter().map(|id| id.quoted()).collect();
        for test in file_tests.iter().filter(|t| t.group.is_none()) {
            diagnostics.push(
                Diagnostic::error(
                    Code::MixedGrouping,
                    path,
                    format!(
                        "`{}` has no group mark, but other tests in this file do (groups {}): \
                         no group job would run it",
                        test.node_id,
                        ids.join(", ")
                    ),
                )
                .at(test.line, 1)
                .with_source_line(&*test.def_line)
                .with_hint("add @pytest.mark.group(ID) to this test, its class or the module"),
            );
        }
    }
    diagnostics
}

/// One line for a suite with no group mark at all (not even an invalid one) in several files:
/// it has not adopted groups yet, and an `ungrouped-file` error per file would bury that.
fn no_groups(tests: &[TestItem]) -> Option<Diagnostic> {
    if tests.iter().any(|t| t.group.is_some() || t.group_error) {
        return None;
    }
    let files = by_file(tests).len();
    if files < 2 {
        return None;
    }
    let root = tests[0].test_root.as_str();
    let shared = tests.iter().all(|t| t.test_root == root) && !root.is_empty();
    Some(Diagnostic::error(
        Code::NoGroups,
        if shared { root } else { "." },
        format!(
            "no test has a group mark ({} tests in {files} files), so no job would run any; \
             add @pytest.mark.group(ID) to the tests, or set `ungrouped = \"whole-file\"` in \
             [tool.fanout] to run each file as one job",
            tests.len()
        ),
    ))
}

/// Builds the jobs. Returns the diagnostics that stop a matrix from being written
/// (unsafe values, runner disagreements) alongside it; the caller decides.
pub fn build(tests: &[TestItem], options: MatrixOptions<'_>) -> (Matrix, Vec<Diagnostic>) {
    use rayon::prelude::*;
    // Each file's jobs apart, on every core (a suite of 20,000 files has 80,000 jobs to name),
    // a batch of files at a time: only a batch's jobs are ever held twice.
    const BATCH: usize = 1024;
    let files = by_file(tests);
    let mut entries = Vec::new();
    let mut diagnostics = Vec::new();
    for (batch_number, batch) in files.chunks(BATCH).enumerate() {
        let per_file: Vec<(Vec<MatrixEntry>, Vec<Diagnostic>)> = batch
            .par_iter()
            .map(|(path, file_tests)| {
                let mut entries = Vec::new();
                let mut diagnostics = Vec::new();
                file_jobs(path, file_tests, &options, &mut entries, &mut diagnostics);
                (entries, diagnostics)
            })
            .collect();
        crate::grow::reserve_projected(
            &mut entries,
            per_file.iter().map(|(e, _)| e.len()).sum(),
            batch_number * BATCH + batch.len(),
            files.len(),
        );
        for (file_entries, file_diagnostics) in per_file {
            entries.extend(file_entries);
            diagnostics.extend(file_diagnostics);
        }
    }
    if let Some(d) = shared_job_name(&entries, tests) {
        diagnostics.push(d);
        entries.clear();
    }
    distinct_artifact_ids(&mut entries);
    (Matrix { entries }, diagnostics)
}

/// The jobs of one file's tests (in file order), or the diagnostics that stop them.
fn file_jobs(
    path: &str,
    file_tests: &[&TestItem],
    options: &MatrixOptions<'_>,
    entries: &mut Vec<MatrixEntry>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(c) = shell_safety::first_unsafe(path, PATH_EXTRA) {
        diagnostics.push(
            Diagnostic::error(
                Code::UnsafePath,
                path,
                format!(
                    "this path is unsafe in a CI shell line: {}",
                    shell_safety::describe(c)
                ),
            )
            .with_hint("rename the file or directory; see docs/matrix.md for the policy"),
        );
        return;
    }
    if let Some(d) = check_unseen_classes(path, file_tests) {
        diagnostics.push(d);
        return;
    }
    let below = job_path(path, &file_tests[0].test_root);
    let complete = options
        .complete_files
        .is_some_and(|files| files.contains(path));
    let mut groups: BTreeMap<Option<&GroupId>, Vec<&TestItem>> = BTreeMap::new();
    for test in file_tests {
        groups.entry(test.group.as_ref()).or_default().push(test);
    }
    if groups.contains_key(&None) && options.ungrouped == UngroupedPolicy::Error {
        // check_grouping reports these.
        groups.remove(&None);
    }
    let whole_file =
        complete && groups.len() == 1 && groups.values().all(|m| m.len() == file_tests.len());
    for (group, members) in groups {
        if let Some(id) = group {
            let shown = id.to_string();
            if let Some(c) = shell_safety::first_unsafe(&shown, GROUP_ID_EXTRA) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnsafeGroupId,
                        path,
                        format!(
                            "group id {shown:?} is unsafe in a CI shell line: {}",
                            shell_safety::describe(c)
                        ),
                    )
                    .at(members[0].line, 1)
                    .with_source_line(&*members[0].def_line)
                    .with_hint("use letters, digits, spaces and `_ . - + @ , =` in group ids"),
                );
                continue;
            }
        }
        let runner = match agreed_runner(path, &members) {
            Ok(runner) => runner,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let job_name = match group {
            Some(id) => format!("{below} | group {id}"),
            None => below.clone(),
        };
        let ids = if whole_file {
            vec![members[0].path.clone()]
        } else {
            node_ids(&members)
        };
        if let Some(d) = unsafe_node_id(path, &ids, &members) {
            diagnostics.push(d);
            continue;
        }
        entries.push(MatrixEntry {
            path_to_test_file: path.to_owned(),
            group_id: group.map(ToString::to_string),
            group_number: group.and_then(GroupId::as_int),
            artifact_group_id: artifact_safe(&job_name),
            job_name,
            node_ids: ids,
            runner,
        });
    }
}

/// A node id of the job that a CI shell line would change (`pytest $NODE_IDS`: word splitting,
/// globbing, `$` expansion by the shell or GitLab): its path is checked already, so this is a
/// parametrize case id (`test_x[a b]`, `[$CI_JOB_TOKEN]`) or a non-ASCII name. Brackets are
/// allowed: every case id has them, and a bracket glob that matches no file stays as written.
fn unsafe_node_id(path: &str, ids: &[SharedStr], members: &[&TestItem]) -> Option<Diagnostic> {
    ids.iter().find_map(|id| {
        let after_path = id.strip_prefix(path).unwrap_or(id);
        let c = shell_safety::first_unsafe(after_path, NODE_ID_EXTRA)?;
        let test = members
            .iter()
            .find(|t| id.starts_with(t.function_node_id()))
            .unwrap_or(&members[0]);
        Some(
            Diagnostic::error(
                Code::UnsafePath,
                path,
                format!(
                    "node id `{id}` is unsafe in a CI shell line (`pytest $NODE_IDS`): {}; its job would run other tests or none",
                    shell_safety::describe(c)
                ),
            )
            .at(test.line, 1)
            .with_source_line(&*test.def_line)
            .with_hint("give the case a shell-safe id, `pytest.param(..., id=\"large-db\")` or `ids=[...]` (letters, digits and `_ . - + @ , =`), or put all its cases in one group so the job names the function"),
        )
    })
}

/// Characters, besides ASCII alphanumerics, allowed in a node id after its path.
const NODE_ID_EXTRA: &str = "_.-/+@,=:[]";

/// Two jobs with one name (`group(1)` and `group("1")`, or one file name under two test
/// paths) would be one row in CI and overwrite each other's artifacts: refuse, naming both.
fn shared_job_name(entries: &[MatrixEntry], tests: &[TestItem]) -> Option<Diagnostic> {
    let mut seen: rustc_hash::FxHashMap<&str, &MatrixEntry> = Default::default();
    seen.reserve(entries.len());
    for entry in entries {
        let Some(first) = seen.insert(&entry.job_name, entry) else {
            continue;
        };
        let describe = |e: &MatrixEntry| match &e.group_id {
            Some(_) => format!(
                "`{}` (group {})",
                e.path_to_test_file,
                group_of(e, tests).map_or_else(|| "?".to_owned(), GroupId::quoted)
            ),
            None => format!("`{}` (whole file)", e.path_to_test_file),
        };
        let test = tests
            .iter()
            .find(|t| entry.node_ids.first() == Some(&t.node_id));
        let line = test.map_or(0, |t| t.line);
        return Some(
            Diagnostic::error(
                Code::DuplicateJobName,
                entry.path_to_test_file.clone(),
                format!(
                    "jobs {} and {} would both be named `{}`, so CI would mix up their results and artifacts",
                    describe(first),
                    describe(entry),
                    entry.job_name
                ),
            )
            .at(line, if line > 0 { 1 } else { 0 })
            .with_source_line(test.map_or("", |t| &*t.def_line))
            .with_hint("give one of them another group id (`1` and `\"1\"` read the same in CI), or rename one of the files"),
        );
    }
    None
}

fn group_of<'t>(entry: &MatrixEntry, tests: &'t [TestItem]) -> Option<&'t GroupId> {
    let first = entry.node_ids.first()?;
    tests
        .iter()
        .find(|t| t.node_id == *first || t.unseen_in.as_deref() == Some(first.as_str()))?
        .group
        .as_ref()
}

/// `artifact_safe` folds `a b`, `a_b` and `a+b` into one id: jobs whose ids collide get a
/// suffix from a hash of their own job name, so each keeps the same id whatever else changes.
fn distinct_artifact_ids(entries: &mut [MatrixEntry]) {
    let mut count: rustc_hash::FxHashMap<&str, usize> = Default::default();
    count.reserve(entries.len());
    for e in entries.iter() {
        *count.entry(e.artifact_group_id.as_str()).or_default() += 1;
    }
    let clashing: rustc_hash::FxHashSet<String> = count
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, _)| id.to_owned())
        .collect();
    for e in entries.iter_mut() {
        if clashing.contains(&e.artifact_group_id) {
            e.artifact_group_id = format!("{}-{:08x}", e.artifact_group_id, fnv1a(&e.job_name));
        }
    }
}

/// 32-bit FNV-1a: stable across releases and platforms, unlike std's hasher.
pub(crate) fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The node ids to run a group: a test's own, or the class it sits in when that class
/// inherits tests fanout cannot see (pytest then runs those too).
fn node_ids(members: &[&TestItem]) -> Vec<SharedStr> {
    // A function whose cases are all in this job is named once, as the function.
    let mut cases_here: rustc_hash::FxHashMap<&str, u32> = Default::default();
    for t in members.iter().filter(|t| t.param.is_some()) {
        *cases_here.entry(t.function_node_id()).or_default() += 1;
    }
    let mut seen = rustc_hash::FxHashSet::default();
    seen.reserve(members.len());
    let mut ids: Vec<SharedStr> = Vec::with_capacity(members.len());
    for t in members {
        let id = match (&t.unseen_in, &t.param) {
            (Some(class), _) => class.as_str(),
            (None, Some(case)) if cases_here.get(t.function_node_id()) == Some(&case.of) => {
                t.function_node_id()
            }
            _ => t.node_id.as_str(),
        };
        if seen.insert(id) {
            // The test's own node id is shared, not copied.
            ids.push(if id == t.node_id.as_str() {
                t.node_id.clone()
            } else {
                id.into()
            });
        }
    }
    ids
}

/// A class named in the node ids runs all its tests: it must not hold tests of another group.
fn check_unseen_classes(path: &str, file_tests: &[&TestItem]) -> Option<Diagnostic> {
    let mut groups: BTreeMap<&str, Vec<&TestItem>> = BTreeMap::new();
    for t in file_tests {
        if let Some(class) = &t.unseen_in {
            groups.entry(class.as_str()).or_default().push(t);
        }
    }
    for (class, tests) in groups {
        if let Some(other) = tests.iter().find(|t| t.group != tests[0].group) {
            return Some(
                Diagnostic::error(
                    Code::UnresolvedBase,
                    path,
                    format!(
                        "`{class}` inherits tests fanout cannot see, so its jobs must name the whole class, but its tests are in different groups (`{}` and `{}`)",
                        tests[0].node_id, other.node_id
                    ),
                )
                .at(other.line, 1)
                    .with_source_line(&*other.def_line)
                .with_hint("give the class one group (a class-level mark), or define its base class in the test module"),
            );
        }
    }
    None
}

/// Tests grouped by file, files in path order, tests in file order.
fn by_file(tests: &[TestItem]) -> Vec<(&str, Vec<&TestItem>)> {
    // Usually sorted by file and line already (the pipeline sorts them): each run is a file.
    if tests.is_sorted_by(|a, b| TestItem::file_order(a, b).is_le()) {
        return tests
            .chunk_by(|a, b| a.path == b.path)
            .map(|run| (run[0].path.as_str(), run.iter().collect()))
            .collect();
    }
    let mut files: BTreeMap<&str, Vec<&TestItem>> = BTreeMap::new();
    // Out of order, a file's tests still mostly come in runs: each run is looked up once.
    for run in tests.chunk_by(|a, b| a.path == b.path) {
        files
            .entry(run[0].path.as_str())
            .or_default()
            .extend(run.iter());
    }
    for file_tests in files.values_mut() {
        file_tests.sort_by_key(|t| t.line);
    }
    files.into_iter().collect()
}

/// The file's path below the test path it was found under, as the job name shows it.
fn job_path(path: &str, test_root: &str) -> String {
    if test_root.is_empty() || test_root == "." {
        return path.to_owned();
    }
    if let Some(rest) = path.strip_prefix(test_root) {
        if let Some(rest) = rest.strip_prefix('/') {
            return rest.to_owned();
        }
    }
    if path == test_root {
        return path.rsplit('/').next().unwrap_or(path).to_owned();
    }
    path.to_owned()
}

/// Replaces every run of characters outside `[A-Za-z0-9._-]` with one `_`.
pub fn artifact_safe(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut last_was_sep = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') {
            out.push(c);
            last_was_sep = false;
        } else if !last_was_sep {
            out.push('_');
            last_was_sep = true;
        }
    }
    out
}

/// The group's runner. Real suites put the `runner` mark on the group's first (deploying) test
/// only, so tests without one follow the group; two different labels are an error, since one
/// job runs on one machine.
fn agreed_runner(path: &str, members: &[&TestItem]) -> Result<Option<Runner>, Diagnostic> {
    let mut with_runner = members.iter().filter(|t| t.runner.is_some());
    let Some(first) = with_runner.next() else {
        return Ok(None);
    };
    for t in members {
        if let Some(why) = t.runner.as_deref().and_then(Runner::invalid_label) {
            return Err(Diagnostic::error(
                Code::InvalidRunner,
                path,
                format!("`{}` asks for a runner label that {why}", t.node_id),
            )
            .at(t.line, 1)
                    .with_source_line(&*t.def_line)
            .with_hint("runner labels are non-empty names without control characters, e.g. `ubuntu-latest`"));
        }
    }
    if let Some(other) = with_runner.find(|t| t.runner != first.runner) {
        let show = |r: &Option<Box<Runner>>| serde_json::to_string(r).unwrap_or_default();
        return Err(Diagnostic::error(
            Code::RunnerConflict,
            path,
            format!(
                "tests of one group ask for different runners: `{}` has {}, `{}` has {}",
                first.node_id,
                show(&first.runner),
                other.node_id,
                show(&other.runner)
            ),
        )
        .at(other.line, 1)
                    .with_source_line(&*other.def_line)
        .with_hint("give the tests of the group the same @pytest.mark.runner(...), or put it on one test only"));
    }
    Ok(first.runner.as_deref().cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(path: &str, function: &str, line: u32, group: Option<GroupId>) -> TestItem {
        TestItem {
            node_id: format!("{path}::{function}").into(),
            path: path.into(),
            class: None,
            function: function.into(),
            line,
            def_line: format!("def {function}():").into(),
            group,
            group_source: None,
            group_error: false,
            unseen_in: None,
            doctest: false,
            module_may_skip: false,
            runner: None,
            marks: Default::default(),
            param_marks: None,
            cases: 1,
            param: None,
            test_root: "tests/integration".into(),
        }
    }

    #[test]
    fn jobs_are_the_same_for_tests_in_file_order_and_in_any_other() {
        let group = |n: i64| Some(GroupId::Int(n));
        // Paths equal in text but not shared, lines repeated: both comparisons are exercised.
        let sorted = vec![
            item("tests/integration/test_a.py", "test_1", 3, group(1)),
            item("tests/integration/test_a.py", "test_2", 3, group(2)),
            item("tests/integration/test_a.py", "test_3", 9, group(1)),
            item("tests/integration/test_b.py", "test_1", 1, group(1)),
            item("tests/integration/test_c.py", "test_1", 5, group(3)),
            item("tests/integration/test_c.py", "test_2", 7, group(3)),
        ];
        assert!(sorted.is_sorted_by(|a, b| TestItem::file_order(a, b).is_le()));
        let mut shuffled = sorted.clone();
        shuffled.swap(0, 5);
        shuffled.swap(1, 3);
        assert!(!shuffled.is_sorted_by(|a, b| TestItem::file_order(a, b).is_le()));
        let options = MatrixOptions::default();
        let (in_order, _) = build(&sorted, options);
        let (out_of_order, _) = build(&shuffled, options);
        assert_eq!(in_order.entries.len(), 4);
        assert_eq!(in_order.entries, out_of_order.entries);
    }

    #[test]
    fn every_job_with_an_unsafe_case_id_is_reported_not_only_the_first() {
        let path = "tests/integration/test_b.py";
        let case = |id: &str, group: i64| {
            let mut t = item(path, &format!("test_b[{id}]"), 3, Some(GroupId::Int(group)));
            t.function = "test_b".into();
            t.param = Some(Box::new(crate::ParamCase {
                id: id.into(),
                of: 2,
            }));
            t
        };
        let tests = vec![case("a b", 1), case("c d", 2)];
        let (matrix, diagnostics) = build(&tests, MatrixOptions::default());
        assert!(matrix.entries.is_empty());
        let named: Vec<bool> = ["[a b]", "[c d]"]
            .iter()
            .map(|id| diagnostics.iter().any(|d| d.message.contains(id)))
            .collect();
        assert_eq!(named, [true, true], "{diagnostics:?}");
    }

    #[test]
    fn cases_go_to_their_groups_and_a_function_wholly_in_one_job_is_named_once() {
        let path = "tests/integration/test_b.py";
        let case = |function: &str, id: &str, of: u32, group: GroupId| {
            let mut t = item(path, &format!("{function}[{id}]"), 3, Some(group));
            t.function = function.into();
            t.param = Some(Box::new(crate::ParamCase { id: id.into(), of }));
            t
        };
        let str_group = |s: &str| GroupId::Str(s.into());
        let tests = vec![
            case("test_b", "aws-small", 2, str_group("aws")),
            case("test_b", "ceph-small", 2, str_group("ceph")),
            case("test_c", "1", 3, str_group("aws")),
            case("test_c", "2", 3, str_group("aws")),
            case("test_c", "3", 3, str_group("aws")),
            case("test_d", "x", 2, str_group("ceph")),
        ];
        let (matrix, diagnostics) = build(&tests, MatrixOptions::default());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let jobs: Vec<(Option<String>, Vec<String>)> = matrix
            .entries
            .into_iter()
            .map(|e| {
                (
                    e.group_id,
                    e.node_ids.into_iter().map(String::from).collect(),
                )
            })
            .collect();
        let at = |rest: &str| format!("{path}::{rest}");
        assert_eq!(
            jobs,
            [
                (
                    Some("aws".to_owned()),
                    vec![at("test_b[aws-small]"), at("test_c")]
                ),
                (
                    Some("ceph".to_owned()),
                    vec![at("test_b[ceph-small]"), at("test_d[x]")]
                ),
            ]
        );
    }

    #[test]
    fn one_entry_per_file_and_group_in_order() {
        let tests = vec![
            item(
                "tests/integration/b/test_x.py",
                "test_1",
                1,
                Some(GroupId::Str("s".into())),
            ),
            item(
                "tests/integration/b/test_x.py",
                "test_2",
                5,
                Some(GroupId::Int(10)),
            ),
            item(
                "tests/integration/b/test_x.py",
                "test_3",
                9,
                Some(GroupId::Int(2)),
            ),
            item("tests/integration/a.py", "test_4", 1, Some(GroupId::Int(1))),
            item(
                "tests/integration/b/test_x.py",
                "test_5",
                12,
                Some(GroupId::Int(2)),
            ),
        ];
        let (m, d) = build(&tests, MatrixOptions::default());
        assert!(d.is_empty());
        let names: Vec<_> = m.entries.iter().map(|e| e.job_name.as_str()).collect();
        assert_eq!(
            names,
            [
                "a.py | group 1",
                "b/test_x.py | group 2",
                "b/test_x.py | group 10",
                "b/test_x.py | group s"
            ]
        );
        assert_eq!(m.entries[1].node_ids.len(), 2);
        assert_eq!(m.entries[1].group_number, Some(2));
        assert_eq!(m.entries[3].group_number, None);
        assert_eq!(m.entries[1].artifact_group_id, "b_test_x.py_group_2");
    }

    #[test]
    fn mixed_file_is_an_error_naming_the_lost_test() {
        let tests = vec![
            item("t/test_a.py", "test_1", 1, Some(GroupId::Int(1))),
            item("t/test_a.py", "test_2", 7, None),
        ];
        let d = check_grouping(&tests, UngroupedPolicy::Error);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::MixedGrouping);
        assert_eq!(d[0].line, 7);
        assert!(d[0].message.contains("t/test_a.py::test_2"));
    }

    #[test]
    fn ungrouped_file_follows_policy() {
        let tests = vec![item("t/test_a.py", "test_1", 1, None)];
        assert_eq!(
            check_grouping(&tests, UngroupedPolicy::Error)[0].code,
            Code::UngroupedFile
        );
        assert!(check_grouping(&tests, UngroupedPolicy::WholeFile).is_empty());
        let (m, _) = build(
            &tests,
            MatrixOptions {
                ungrouped: UngroupedPolicy::WholeFile,
                ..Default::default()
            },
        );
        assert_eq!(m.entries.len(), 1);
        assert_eq!(m.entries[0].group_id, None);
        let (m, _) = build(&tests, MatrixOptions::default());
        assert!(m.entries.is_empty());
    }

    #[test]
    fn a_suite_without_any_group_is_one_diagnostic() {
        let tests = vec![
            item("t/test_a.py", "test_1", 1, None),
            item("t/test_a.py", "test_2", 5, None),
            item("t/test_b.py", "test_1", 1, None),
        ];
        let d = check_grouping(&tests, UngroupedPolicy::Error);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!((d[0].code, d[0].line), (Code::NoGroups, 0));
        assert!(
            d[0].message.contains("3 tests in 2 files"),
            "{}",
            d[0].message
        );
        assert!(check_grouping(&tests, UngroupedPolicy::WholeFile).is_empty());
        // One grouped test anywhere: each ungrouped file is reported on its own.
        let mut some = tests.clone();
        some.push(item("t/test_c.py", "test_1", 1, Some(GroupId::Int(1))));
        let codes: Vec<Code> = check_grouping(&some, UngroupedPolicy::Error)
            .iter()
            .map(|d| d.code)
            .collect();
        assert_eq!(codes, [Code::UngroupedFile, Code::UngroupedFile]);
    }

    #[test]
    fn runners_must_agree() {
        let mut a = item("t/test_a.py", "test_1", 1, Some(GroupId::Int(1)));
        a.runner = Some(Box::new(Runner::Label("large".into())));
        let b = item("t/test_a.py", "test_2", 4, Some(GroupId::Int(1)));
        let mut c = item("t/test_a.py", "test_3", 8, Some(GroupId::Int(1)));
        let (m, d) = build(&[a.clone(), b.clone()], MatrixOptions::default());
        assert!(d.is_empty(), "a test without a runner follows its group");
        assert_eq!(m.entries[0].runner, Some(Runner::Label("large".into())));
        c.runner = Some(Box::new(Runner::Labels(vec!["small".into()])));
        let (m, d) = build(&[a, b, c], MatrixOptions::default());
        assert!(m.entries.is_empty());
        assert_eq!(d[0].code, Code::RunnerConflict);
        assert_eq!(d[0].line, 8);
    }

    #[test]
    fn unsafe_values_are_rejected() {
        let tests = vec![
            item("t/my tests/test_a.py", "test_1", 1, Some(GroupId::Int(1))),
            item(
                "t/test_b.py",
                "test_1",
                1,
                Some(GroupId::Str("a;rm".into())),
            ),
        ];
        let (m, d) = build(&tests, MatrixOptions::default());
        assert!(m.entries.is_empty());
        let codes: Vec<_> = d.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::UnsafePath, Code::UnsafeGroupId]);
    }

    #[test]
    fn classes_with_unseen_bases_are_named_whole() {
        let mut a = item("t/test_a.py", "test_1", 3, Some(GroupId::Int(1)));
        let mut b = item("t/test_a.py", "test_2", 5, Some(GroupId::Int(1)));
        a.unseen_in = Some("t/test_a.py::TestImpl".into());
        b.unseen_in = a.unseen_in.clone();
        let c = item("t/test_a.py", "test_3", 9, Some(GroupId::Int(1)));
        let (m, d) = build(&[a.clone(), b.clone(), c], MatrixOptions::default());
        assert!(d.is_empty());
        assert_eq!(
            m.entries[0].node_ids,
            ["t/test_a.py::TestImpl", "t/test_a.py::test_3"]
        );
        b.group = Some(GroupId::Int(2));
        let (m, d) = build(&[a, b], MatrixOptions::default());
        assert!(m.entries.is_empty());
        assert_eq!(d[0].code, Code::UnresolvedBase);
    }

    #[test]
    fn job_path_is_below_the_test_root() {
        assert_eq!(
            job_path(
                "tests/integration/relations/test_db.py",
                "tests/integration"
            ),
            "relations/test_db.py"
        );
        assert_eq!(
            job_path("tests/test_db.py", "tests/test_db.py"),
            "test_db.py"
        );
        assert_eq!(job_path("test_db.py", ""), "test_db.py");
    }
}
