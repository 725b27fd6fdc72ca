//! Command line and environment merged once into plain settings: the pipeline and the
//! commands never see clap types or read the environment themselves. `[tool.fanout]` joins
//! them in the pipeline's load stage, where the rootdir that locates it is known.

use crate::cli;
use crate::environment::Environment;
use crate::pytest_run::{Launcher, LauncherError};
use std::ffi::OsString;
use std::path::PathBuf;

/// Where the project is and which config to read: pytest's positional args, `--rootdir`, `-c`.
#[derive(Debug, Clone, Default)]
pub struct ProjectArgs {
    pub paths: Vec<PathBuf>,
    pub rootdir: Option<PathBuf>,
    pub config_file: Option<PathBuf>,
}

/// What to keep of the collected tests.
#[derive(Debug, Clone, Default)]
pub struct SelectArgs {
    /// `-m` from the command line (pytest's addopts `-m` applies when this is `None`).
    pub markexpr: Option<String>,
    /// `--changed-since` and its companions, when given.
    pub changes: Option<ChangeArgs>,
}

#[derive(Debug, Clone)]
pub struct ChangeArgs {
    /// The REF to compare with; `None`: the CI's pull request base.
    pub base: Option<String>,
    pub include_worktree: bool,
    pub strict: bool,
}

/// How output looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color_stdout: bool,
    pub color_stderr: bool,
}

impl Style {
    pub fn resolve(choice: cli::ColorChoice, env: &Environment) -> Self {
        use std::io::IsTerminal;
        let auto = |terminal: bool| {
            if env.no_color() {
                false
            } else {
                env.clicolor_force() || terminal
            }
        };
        let (color_stdout, color_stderr) = match choice {
            cli::ColorChoice::Always => (true, true),
            cli::ColorChoice::Never => (false, false),
            cli::ColorChoice::Auto => (
                auto(std::io::stdout().is_terminal()),
                auto(std::io::stderr().is_terminal()),
            ),
        };
        Style {
            color_stdout,
            color_stderr,
        }
    }
}

impl ProjectArgs {
    fn new(paths: &[PathBuf], rootdir: &Option<PathBuf>, config_file: &Option<PathBuf>) -> Self {
        ProjectArgs {
            paths: paths.to_vec(),
            rootdir: rootdir.clone(),
            config_file: config_file.clone(),
        }
    }

    pub fn of(tests: &cli::Tests) -> Self {
        Self::new(&tests.paths, &tests.rootdir, &tests.config_file)
    }
}

/// The options every collecting command shares.
pub fn selection(s: &cli::Selection, env: &Environment) -> (ProjectArgs, SelectArgs) {
    let changes = s.changed_since.as_ref().map(|base| ChangeArgs {
        base: Some(base.clone()).filter(|b| !b.is_empty()),
        include_worktree: include_worktree(s, env),
        strict: s.strict,
    });
    (
        ProjectArgs::of(&s.tests),
        SelectArgs {
            markexpr: s.tests.markexpr.clone(),
            changes,
        },
    )
}

pub fn check_project(args: &cli::CheckArgs) -> ProjectArgs {
    ProjectArgs::new(&args.paths, &args.rootdir, &args.config_file)
}

/// What `verify` runs, and what it compares with.
pub struct VerifySettings {
    pub project: ProjectArgs,
    pub select: SelectArgs,
    pub launcher: Result<Launcher, LauncherError>,
    /// The options pytest gets from fanout's command line: paths, `-c`, `--rootdir`, `-m`.
    pub pytest_args: Vec<OsString>,
}

pub fn verify(args: &cli::VerifyArgs, env: &Environment) -> VerifySettings {
    let project = ProjectArgs::of(&args.tests);
    let mut pytest_args = pytest_options(&project, args.tests.markexpr.as_deref());
    pytest_args.extend(
        args.tests
            .paths
            .iter()
            .map(|p| fanout_core::shell_safety::os_argument(p.as_ref())),
    );
    VerifySettings {
        project,
        select: SelectArgs {
            markexpr: args.tests.markexpr.clone(),
            changes: None,
        },
        launcher: launcher(&args.pytest, env),
        pytest_args,
    }
}

/// Which jobs `fanout run` runs.
pub enum RunTarget {
    /// `--job JOB`.
    One(String),
    /// `--all`: this many at a time, logs in `log_dir` (absolute) or a new directory.
    All {
        parallel: usize,
        log_dir: Option<PathBuf>,
    },
}

/// What `fanout run` runs, and how. Paths are absolute: the jobs run in pytest's rootdir.
pub struct RunSettings {
    pub project: ProjectArgs,
    pub select: SelectArgs,
    pub dynamic: DynamicFiles,
    pub launcher: Result<Launcher, LauncherError>,
    pub target: RunTarget,
    /// `-c` and `-m` from the command line, for every job (fanout adds `--rootdir`).
    pub pytest_options: Vec<OsString>,
    pub junit_dir: Option<PathBuf>,
    pub timings: Option<PathBuf>,
}

pub fn run(args: &cli::RunArgs, env: &Environment) -> RunSettings {
    let (project, select) = selection(&args.selection, env);
    let launcher = match (Launcher::words(&args.command), &args.python) {
        (Some(command), _) => Ok(command),
        (None, Some(python)) => Ok(Launcher::interpreter(python)),
        (None, None) => Launcher::default_interpreter(env.get("VIRTUAL_ENV"), env.get("PATH")),
    };
    let dynamic = if args.resolve_dynamic {
        DynamicFiles::Resolve(ResolveSettings {
            launcher: launcher.clone(),
            markexpr: select.markexpr.clone(),
        })
    } else {
        DynamicFiles::StaticOffered
    };
    let here = crate::environment::invocation_dir();
    let absolute = |p: &PathBuf| here.join(p);
    let target = match &args.job {
        Some(job) => RunTarget::One(job.clone()),
        None => RunTarget::All {
            parallel: args.parallel.map_or_else(
                || std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
                usize::from,
            ),
            log_dir: args.log_dir.as_ref().map(absolute),
        },
    };
    let mut options_project = project.clone();
    options_project.config_file = project.config_file.as_ref().map(absolute);
    options_project.rootdir = None;
    RunSettings {
        pytest_options: pytest_options(&options_project, select.markexpr.as_deref()),
        project,
        select,
        dynamic,
        launcher,
        target,
        junit_dir: args.junit_dir.as_ref().map(absolute),
        timings: args.timings.as_ref().map(absolute),
    }
}

/// What to do with the files whose groups or tests only running code can tell.
pub enum DynamicFiles {
    /// `--resolve-dynamic` was not given: the diagnostics' hints name it.
    StaticOffered,
    /// `--resolve-dynamic`: collect those files with pytest.
    Resolve(ResolveSettings),
}

/// How `--resolve-dynamic` runs pytest. The pipeline adds the config file and rootdir fanout
/// read (pytest would choose its own from the files it is given) and the files.
pub struct ResolveSettings {
    pub launcher: Result<Launcher, LauncherError>,
    /// `-m` from the command line, passed on so that pytest's items are the selected ones
    /// (an addopts `-m` pytest reads itself).
    pub markexpr: Option<String>,
}

/// `--resolve-dynamic` and its launcher; `markexpr` is the command line's `-m`, if any.
pub fn dynamic_files(
    args: &cli::ResolveArgs,
    markexpr: Option<&str>,
    env: &Environment,
) -> DynamicFiles {
    if !args.resolve_dynamic {
        return DynamicFiles::StaticOffered;
    }
    DynamicFiles::Resolve(ResolveSettings {
        launcher: launcher(&args.pytest, env),
        markexpr: markexpr.map(str::to_owned),
    })
}

/// `--collect-command`, else `--python`, else the active virtualenv's or PATH's Python.
fn launcher(args: &cli::PytestArgs, env: &Environment) -> Result<Launcher, LauncherError> {
    match (&args.python, &args.collect_command) {
        (_, Some(command)) => Launcher::command(command),
        (Some(python), None) => Ok(Launcher::interpreter(python)),
        (None, None) => Launcher::default_interpreter(env.get("VIRTUAL_ENV"), env.get("PATH")),
    }
}

/// The options pytest gets from fanout's command line: `-c`, `--rootdir`, `-m`.
fn pytest_options(project: &ProjectArgs, markexpr: Option<&str>) -> Vec<OsString> {
    let mut options: Vec<OsString> = Vec::new();
    if let Some(file) = &project.config_file {
        options.extend([
            "-c".into(),
            fanout_core::shell_safety::os_argument(file.as_ref()),
        ]);
    }
    if let Some(dir) = &project.rootdir {
        options.extend([
            "--rootdir".into(),
            fanout_core::shell_safety::os_argument(dir.as_ref()),
        ]);
    }
    if let Some(expr) = markexpr {
        options.extend(["-m".into(), expr.into()]);
    }
    options
}

/// `check`'s output format: the flag, else `github` under GitHub Actions.
pub fn check_format(args: &cli::CheckArgs, env: &Environment) -> cli::CheckFormat {
    args.format.unwrap_or(if env.github_actions() {
        cli::CheckFormat::Github
    } else {
        cli::CheckFormat::Human
    })
}

/// `affected`: `--base` wins over `--changed-since`; neither means the CI's base.
pub fn affected(args: &cli::AffectedArgs, env: &Environment) -> (ProjectArgs, SelectArgs) {
    let (project, mut select) = selection(&args.selection, env);
    let base = args
        .base
        .clone()
        .or_else(|| args.selection.changed_since.clone())
        .filter(|b| !b.is_empty());
    select.changes = Some(ChangeArgs {
        base,
        include_worktree: include_worktree(&args.selection, env),
        strict: args.selection.strict,
    });
    (project, select)
}

/// `--include-worktree` / `--no-include-worktree`, else yes outside CI: a CI checkout has no
/// local edits worth counting, only the build's own files.
fn include_worktree(s: &cli::Selection, env: &Environment) -> bool {
    if s.include_worktree {
        true
    } else if s.no_include_worktree {
        false
    } else {
        !env.ci()
    }
}
