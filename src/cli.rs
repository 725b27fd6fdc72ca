//! Command-line interface definitions.

use clap::{ArgGroup, Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;

/// `fanout --version`: the package version and the commit it was built from (build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("FANOUT_GIT_COMMIT"),
    ")"
);

#[derive(Parser)]
#[command(
    name = "fanout",
    version = VERSION,
    about = "Fan slow pytest integration suites out over parallel CI jobs, one job per (test file, group).",
    long_about = None,
    after_help = "Exit status: 0 success, 1 the tests are not groupable as they stand (errors were printed), 2 usage or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// List every test pytest would collect, with its group.
    Collect(CollectArgs),
    /// Write the CI job matrix: one job per (test file, group id).
    Matrix(MatrixArgs),
    /// List the output backends built into this binary.
    Backends,
    /// Check marker registration and grouping before CI does (see docs/check.md).
    Check(CheckArgs),
    /// List the groups a git change affects, and the ones it leaves out.
    Affected(AffectedArgs),
    /// Run pytest's own collection and compare it with fanout's (see docs/collection.md).
    Verify(VerifyArgs),
    /// Run one job of the matrix, or all of them N at a time, on this machine (see docs/run.md).
    Run(RunArgs),
    /// Where a run's time went: wall and machine time, speed-up, setup shares, slowest jobs
    /// and tests, a gantt chart (see docs/planning.md).
    Report(ReportArgs),
    /// Propose groups from measured timings: one per slow test, merged while the wall time
    /// holds; `--diff` shows and `--write` applies the group marks (see docs/planning.md).
    Plan(PlanArgs),
    /// Print a shell completion script (e.g. `fanout completions bash > /etc/bash_completion.d/fanout`).
    Completions(CompletionsArgs),
    /// Print the man page, fanout(1), in roff (e.g. `fanout man > fanout.1`).
    Man(ManArgs),
}

/// The measurements `report` and `plan` read (default: `--timings timings.json`).
#[derive(Args, Clone)]
pub struct TimingSources {
    /// Timings files written by `fanout run --timings`, one run each (default: timings.json
    /// when no other input is given).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub timings: Vec<PathBuf>,
    /// JUnit XML (pytest --junitxml), one file per CI job: the files given are one run; each
    /// folder given is one run (every *.xml below it: one CI run's downloaded artifacts).
    #[arg(long, value_name = "FILE|DIR", num_args = 1..)]
    pub junit: Vec<PathBuf>,
    /// pytest-split's `.test_durations`, each read as one sequential run.
    #[arg(long, value_name = "FILE")]
    pub durations: Vec<PathBuf>,
    /// allure-pytest results folders (pytest --alluredir), one run each: test times, and the
    /// setup and teardown of their fixtures.
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub allure: Vec<PathBuf>,
    /// How many of the newest runs count (default 10; `plan` also reads `history` in
    /// [tool.fanout.plan]). A run given twice counts once.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub history: Option<u32>,
}

#[derive(Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub sources: TimingSources,
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Also write a self-contained HTML page with the chart to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// How many of the slowest jobs and tests to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum ReportFormat {
    Human,
    Json,
    /// Markdown with a mermaid gantt chart, for a GitHub step summary or comment.
    Github,
}

#[derive(Args)]
pub struct PlanArgs {
    /// The tests, as for `collect` (the files to plan are those with timings).
    #[command(flatten)]
    pub tests: Tests,
    #[command(flatten)]
    pub sources: TimingSources,
    /// A test is slow, and gets a group of its own, when it costs at least this many times
    /// what a new job of its file pays again: the shared setup plus pytest's start-up.
    #[arg(long, value_name = "FACTOR", default_value_t = fanout_plan::DEFAULT_SLOW_THRESHOLD, value_parser = parse_factor)]
    pub slow_threshold: f64,
    /// At most this many jobs in all (default: `max-jobs` in [tool.fanout], else no limit).
    #[arg(long, value_name = "N")]
    pub max_jobs: Option<usize>,
    /// At most this much machine time, the sum of the predicted jobs, in seconds.
    #[arg(long, value_name = "SECONDS", value_parser = parse_factor)]
    pub max_machine_time: Option<f64>,
    /// Show the group mark changes as a unified diff (exit 1 when there are any).
    #[arg(long, conflicts_with = "write")]
    pub diff: bool,
    /// Write the group marks into the test files.
    #[arg(long)]
    pub write: bool,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Args)]
pub struct ManArgs {
    /// Write fanout.1 and a page per command (fanout-matrix.1, ...) to this directory instead.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The tests a command reads, as pytest is told them: paths, `-m`, rootdir and config file.
#[derive(Args, Clone)]
pub struct Tests {
    /// Test paths, as given to pytest (default: `testpaths` from the pytest config, or the
    /// current directory).
    pub paths: Vec<PathBuf>,
    /// Only tests whose marks match this expression, with pytest's `-m` grammar.
    #[arg(short = 'm', value_name = "MARKEXPR")]
    pub markexpr: Option<String>,
    /// Use this directory as pytest's rootdir (pytest's `--rootdir`).
    #[arg(long, value_name = "DIR")]
    pub rootdir: Option<PathBuf>,
    /// Read the pytest config from this file (pytest's `-c`).
    #[arg(short = 'c', long = "config-file", value_name = "FILE")]
    pub config_file: Option<PathBuf>,
}

/// Options shared by every command that collects tests.
#[derive(Args, Clone)]
pub struct Selection {
    #[command(flatten)]
    pub tests: Tests,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Only the groups a git change since the merge base of REF and HEAD affects (see
    /// docs/pull-requests.md). Without REF: the CI's pull request base.
    #[arg(long, value_name = "REF", num_args = 0..=1, default_missing_value = "")]
    pub changed_since: Option<String>,
    /// Count staged, unstaged and untracked changes too (default: yes, but not when CI=true).
    #[arg(long, overrides_with = "no_include_worktree")]
    pub include_worktree: bool,
    /// Count only committed changes.
    #[arg(long, overrides_with = "include_worktree")]
    pub no_include_worktree: bool,
    /// When the change selection cannot be sure (shallow clone, unknown REF...), fail with
    /// exit 2 instead of selecting every group.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Args)]
pub struct AffectedArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub resolve: ResolveArgs,
    /// Compare with the merge base of REF and HEAD (default: the CI's pull request base).
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// Say why each group is selected.
    #[arg(long)]
    pub explain: bool,
}

#[derive(Args)]
pub struct CollectArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub resolve: ResolveArgs,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Args)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub resolve: ResolveArgs,
    /// Output backend (see `fanout backends`).
    #[arg(long, short = 'b', value_name = "NAME")]
    pub backend: String,
    /// Write to this file instead of the backend's default destination.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A backend setting, over the one in `[tool.fanout.<backend>]` (repeatable), e.g.
    /// `--backend-option template=.integration` for gitlab.
    #[arg(long = "backend-option", value_name = "KEY=VALUE", value_parser = parse_backend_option)]
    pub backend_options: Vec<(String, String)>,
}

/// `fanout run`: the matrix's jobs, selected as `matrix` selects them, run here.
#[derive(Args)]
#[command(
    group(ArgGroup::new("which").required(true).args(["job", "all"])),
    after_help = "Exit status: --job: pytest's (128 + N when a signal N ended it); --all: 0 every job passed, 1 a job failed, 130 interrupted; 1 without running anything when the selection has errors, 2 usage or I/O error."
)]
pub struct RunArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Run this one job in the foreground, named by its `job_name` or `artifact_group_id`
    /// from the matrix; its output streams through and fanout exits with pytest's status.
    #[arg(long, value_name = "JOB")]
    pub job: Option<String>,
    /// Run every selected job, N at a time (-j), each with its own log file.
    #[arg(long)]
    pub all: bool,
    /// How many jobs run at once with --all (default: the number of CPUs).
    #[arg(short = 'j', long = "jobs", value_name = "N", requires = "all",
          value_parser = clap::value_parser!(u16).range(1..))]
    pub parallel: Option<u16>,
    /// Where --all writes each job's output, as `<artifact_group_id>.log` (default: a new
    /// directory in the system's temporary directory; fanout prints it).
    #[arg(long, value_name = "DIR", requires = "all")]
    pub log_dir: Option<PathBuf>,
    /// Keep a JUnit XML report per job, `DIR/<artifact_group_id>.xml` (pytest's --junitxml).
    #[arg(long, value_name = "DIR")]
    pub junit_dir: Option<PathBuf>,
    /// Write the timings file: every job's start, end and status, every test's outcome and
    /// setup/call/teardown seconds (format: docs/timings.md).
    #[arg(long, value_name = "FILE")]
    pub timings: Option<PathBuf>,
    /// The Python that runs `-m pytest` (default: the one in $VIRTUAL_ENV, else python3, else
    /// python on PATH).
    #[arg(long, value_name = "PY", conflicts_with = "command")]
    pub python: Option<PathBuf>,
    /// Collect the files whose groups only running code can tell with pytest, started as the
    /// jobs are (see `matrix --resolve-dynamic`).
    #[arg(long)]
    pub resolve_dynamic: bool,
    /// After `--`: a command that runs pytest, to which fanout appends pytest's options and
    /// the job's node ids, e.g. `-- tox run -e integration --`.
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<OsString>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Test paths, as given to pytest (default: `testpaths` from the pytest config, or the
    /// current directory).
    pub paths: Vec<PathBuf>,
    /// Use this directory as pytest's rootdir (pytest's `--rootdir`).
    #[arg(long, value_name = "DIR")]
    pub rootdir: Option<PathBuf>,
    /// Read the pytest config from this file (pytest's `-c`).
    #[arg(short = 'c', long = "config-file", value_name = "FILE")]
    pub config_file: Option<PathBuf>,
    /// Output format (default: `github` when GITHUB_ACTIONS=true, else `human`).
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,
    /// Register the missing markers in the config file pytest reads.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Show what `--fix` would change, without writing (exit 1 when it would change something).
    #[arg(long)]
    pub diff: bool,
    /// Print the explanation of a diagnostic code and exit.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
    #[command(flatten)]
    pub resolve: ResolveArgs,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum CheckFormat {
    Human,
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// GitLab's Code Quality report (JSON), for `artifacts: reports: codequality`.
    Gitlab,
}

#[derive(Args)]
pub struct VerifyArgs {
    /// The tests (and `-m`, passed on to pytest).
    #[command(flatten)]
    pub tests: Tests,
    #[command(flatten)]
    pub pytest: PytestArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Human)]
    pub format: VerifyFormat,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// How to start the project's pytest: `verify`, and `--resolve-dynamic` elsewhere.
#[derive(Args, Clone)]
pub struct PytestArgs {
    /// The Python that runs `-m pytest` (default: the one in $VIRTUAL_ENV, else python3, else
    /// python on PATH).
    #[arg(long, value_name = "PY", conflicts_with = "collect_command")]
    pub python: Option<PathBuf>,
    /// A command that runs pytest, to which fanout appends `--collect-only -q -p ...` and the
    /// paths, e.g. "tox run -e integration --".
    #[arg(long, value_name = "CMD")]
    pub collect_command: Option<String>,
}

/// `--resolve-dynamic` and how to start pytest for it.
#[derive(Args, Clone)]
pub struct ResolveArgs {
    /// Let pytest collect the files whose groups or tests fanout cannot know without running
    /// code (dynamic-group-id, parameter-groups, unresolved-base, imported-test) and take their
    /// groups from it: one `pytest --collect-only` run of those files, in your environment
    /// (see docs/collection.md).
    #[arg(long)]
    pub resolve_dynamic: bool,
    #[command(flatten)]
    pub pytest: PytestArgs,
}

impl Cli {
    /// What the derive cannot say, because `verify` shares `--python` and `--collect-command`:
    /// elsewhere they only mean something with `--resolve-dynamic`.
    pub fn check_requirements(&self) -> Result<(), clap::Error> {
        let resolve = match &self.command {
            Command::Collect(args) => &args.resolve,
            Command::Matrix(args) => &args.resolve,
            Command::Check(args) => &args.resolve,
            _ => return Ok(()),
        };
        let given = match (&resolve.pytest.python, &resolve.pytest.collect_command) {
            _ if resolve.resolve_dynamic => return Ok(()),
            (Some(_), _) => "--python",
            (None, Some(_)) => "--collect-command",
            (None, None) => return Ok(()),
        };
        Err(Cli::command().error(
            clap::error::ErrorKind::MissingRequiredArgument,
            format!("{given} says how to run pytest for --resolve-dynamic; add --resolve-dynamic, or drop {given}"),
        ))
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum VerifyFormat {
    Human,
    Json,
    /// GitHub Actions workflow commands: an annotation per difference.
    Github,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `KEY=VALUE` for `--backend-option`.
fn parse_backend_option(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("expected KEY=VALUE, got `{text}`")),
    }
}

/// A finite number of 0 or more, for `--slow-threshold` and `--max-machine-time`.
fn parse_factor(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Ok(n),
        _ => Err(format!("expected a number of 0 or more, got `{text}`")),
    }
}
