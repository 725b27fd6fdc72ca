//! The parts of pytest's command line that matter for collection, read from `addopts` the way
//! argparse would (`allow_abbrev=False`), so positional paths are told apart from option values.

/// Options (pytest's own and common plugins') that consume the next argument.
const TAKES_VALUE: &[&str] = &[
    "-k",
    "-m",
    "-W",
    "--pythonwarnings",
    "--maxfail",
    "--max-warnings",
    "--ignore",
    "--ignore-glob",
    "--deselect",
    "--confcutdir",
    "--import-mode",
    "-c",
    "--config-file",
    "--rootdir",
    "--basetemp",
    "--durations",
    "--durations-min",
    "-p",
    "-o",
    "--override-ini",
    "--verbosity",
    "-r",
    "--report-chars",
    "--tb",
    "--show-capture",
    "--color",
    "--code-highlight",
    "--pdbcls",
    "--capture",
    "--pastebin",
    "--assert",
    "--junitxml",
    "--junit-xml",
    "--junitprefix",
    "--junit-prefix",
    "--doctest-report",
    "--doctest-glob",
    "--lfnf",
    "--last-failed-no-failures",
    "--log-level",
    "--log-format",
    "--log-date-format",
    "--log-cli-level",
    "--log-cli-format",
    "--log-cli-date-format",
    "--log-file",
    "--log-file-mode",
    "--log-file-level",
    "--log-file-format",
    "--log-file-date-format",
    "--log-auto-indent",
    "--log-disable",
    // pytest-xdist, pytest-timeout, pytest-rerunfailures, pytest-django, pytest-asyncio, pytest-html,
    // pytest-split, pytest-repeat, pytest-randomly.
    "-n",
    "--numprocesses",
    "--maxprocesses",
    "--dist",
    "--max-worker-restart",
    "--tx",
    "--rsyncdir",
    "--rsyncignore",
    "--timeout",
    "--timeout-method",
    "--timeout_method",
    "--reruns",
    "--reruns-delay",
    "--only-rerun",
    "--ds",
    "--dc",
    "--asyncio-mode",
    "--html",
    "--css",
    "--splits",
    "--group",
    "--splitting-algorithm",
    "--durations-path",
    "--count",
    "--repeat-scope",
    "--randomly-seed",
    "--cov-config",
    "--cov-fail-under",
    "--cov-context",
];

/// Options whose value is optional (argparse `nargs="?"`): they take the next argument unless it
/// looks like an option.
const OPTIONAL_VALUE: &[&str] = &["--debug", "--cache-show", "--cov", "--cov-report"];

/// Short options that take a value (may be attached: `-mslow`).
const SHORT_WITH_VALUE: &str = "kmWcpor";

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Addopts {
    pub positional: Vec<String>,
    pub ignore: Vec<String>,
    pub ignore_glob: Vec<String>,
    pub markexpr: Option<String>,
    pub collect_in_virtualenv: bool,
    pub pyargs: bool,
    /// `--doctest-glob` values.
    pub doctest_glob: Vec<String>,
    /// `--doctest-modules`.
    pub doctest_modules: bool,
    /// Modules loaded with `-p NAME`.
    pub plugins: Vec<String>,
    /// Plugins switched off with `-p no:NAME`.
    pub disabled_plugins: Vec<String>,
    /// `-o key=value`, `--strict-markers` (`strict_markers=true`), `--strict` (`strict=true`), in order.
    pub overrides: Vec<String>,
    /// `--deselect` node id prefixes.
    pub deselect: Vec<String>,
    /// The last `-c`/`--config-file` value: only `PYTEST_ADDOPTS` can choose the config file.
    pub config_file: Option<String>,
    /// The last `--rootdir` value.
    pub rootdir: Option<String>,
    /// The last `-k` expression, which fanout does not model.
    pub keyword: Option<String>,
    /// The last `--import-mode` value.
    pub import_mode: Option<String>,
}

/// What was wrong with the arguments (argparse's complaint).
pub(crate) type AddoptsError = String;

impl Addopts {
    pub(crate) fn parse(args: &[String]) -> Result<Self, AddoptsError> {
        let mut out = Self::default();
        let mut iter = args.iter().peekable();
        while let Some(arg) = iter.next() {
            if arg == "--" {
                out.positional.extend(iter.by_ref().cloned());
                break;
            }
            if !arg.starts_with('-') || arg == "-" {
                out.positional.push(arg.clone());
                continue;
            }
            let (name, attached) = split_option(arg);
            if let Some(value) = attached {
                out.apply(&name, Some(value));
            } else if TAKES_VALUE.contains(&name.as_str()) {
                let value = iter
                    .next()
                    .ok_or_else(|| format!("argument {name}: expected one argument"))?;
                out.apply(&name, Some(value.clone()));
            } else if OPTIONAL_VALUE.contains(&name.as_str()) {
                let value = iter.next_if(|next| !next.starts_with('-')).cloned();
                out.apply(&name, value);
            } else {
                out.apply(&name, None);
            }
        }
        Ok(out)
    }

    fn apply(&mut self, name: &str, value: Option<String>) {
        match (name, value) {
            ("--ignore", Some(v)) => self.ignore.push(v),
            ("--ignore-glob", Some(v)) => self.ignore_glob.push(v),
            ("-m", Some(v)) => self.markexpr = Some(v),
            ("--deselect", Some(v)) => self.deselect.push(v),
            ("-c" | "--config-file", Some(v)) => self.config_file = Some(v),
            ("--rootdir", Some(v)) => self.rootdir = Some(v),
            ("-k", Some(v)) => self.keyword = Some(v),
            ("--import-mode", Some(v)) => self.import_mode = Some(v),
            ("-o" | "--override-ini", Some(v)) => self.overrides.push(v),
            ("--collect-in-virtualenv", _) => self.collect_in_virtualenv = true,
            ("--doctest-glob", Some(v)) => self.doctest_glob.push(v),
            ("--doctest-modules", _) => self.doctest_modules = true,
            ("-p", Some(v)) => match v.strip_prefix("no:") {
                Some(name) => self.disabled_plugins.push(name.to_owned()),
                None => self.plugins.push(v),
            },
            ("--pyargs", _) => self.pyargs = true,
            ("--strict-markers", _) => self.overrides.push("strict_markers=true".into()),
            ("--strict", _) => self.overrides.push("strict=true".into()),
            _ => {}
        }
    }
}

/// `--name=value`, `-xvalue`, `-x=value` or a cluster of short flags ending in one with a value
/// (`-vm` + next arg). Returns the option that decides and its attached value, if any.
fn split_option(arg: &str) -> (String, Option<String>) {
    if arg.starts_with("--") {
        return match arg.split_once('=') {
            Some((name, value)) => (name.to_string(), Some(value.to_string())),
            None => (arg.to_string(), None),
        };
    }
    for (i, c) in arg.char_indices().skip(1) {
        if SHORT_WITH_VALUE.contains(c) {
            let rest = &arg[i + c.len_utf8()..];
            let rest = if i == 1 {
                rest.strip_prefix('=').unwrap_or(rest)
            } else {
                rest
            };
            return (
                format!("-{c}"),
                (!rest.is_empty()).then(|| rest.to_string()),
            );
        }
    }
    (arg.to_string(), None)
}

#[cfg(test)]
mod tests {
    #[test]
    fn doctest_options() {
        let a = parse("--doctest-glob=*.rst --doctest-glob x*.txt --doctest-modules -p no:doctest");
        assert_eq!(a.doctest_glob, ["*.rst", "x*.txt"]);
        assert!(a.doctest_modules);
        assert_eq!(a.disabled_plugins, ["doctest"]);
    }

    #[test]
    fn plugins_loaded_and_switched_off() {
        let a = parse("-p pytest_asyncio -pno:xdist -v");
        assert_eq!(a.plugins, ["pytest_asyncio"]);
        assert_eq!(a.disabled_plugins, ["xdist"]);
    }

    use super::*;

    fn parse(s: &str) -> Addopts {
        Addopts::parse(&crate::python::shlex_split(s).unwrap()).unwrap()
    }

    #[test]
    fn collection_options() {
        let a = parse("-ra -q --ignore=build --ignore legacy --ignore-glob '*_old.py' -m 'not slow' --collect-in-virtualenv");
        assert_eq!(a.ignore, ["build", "legacy"]);
        assert_eq!(a.ignore_glob, ["*_old.py"]);
        assert_eq!(a.markexpr.as_deref(), Some("not slow"));
        assert!(a.collect_in_virtualenv);
        assert!(a.positional.is_empty());
    }

    #[test]
    fn attached_and_clustered_short_values() {
        assert_eq!(parse("-mslow").markexpr.as_deref(), Some("slow"));
        assert_eq!(parse("-m=slow").markexpr.as_deref(), Some("slow"));
        assert_eq!(parse("-vm fast").markexpr.as_deref(), Some("fast"));
        assert_eq!(parse("-m a -m b").markexpr.as_deref(), Some("b"));
    }

    #[test]
    fn positionals_are_told_apart_from_values() {
        let a = parse("-p no:cacheprovider -n 4 --tb short tests -- -odd");
        assert_eq!(a.positional, ["tests", "-odd"]);
        assert_eq!(parse("--debug tests").positional, Vec::<String>::new());
        assert_eq!(parse("--cov --no-cov-on-fail tests").positional, ["tests"]);
    }

    #[test]
    fn overrides_in_order() {
        let a = parse(
            "--strict-markers -o testpaths=it --override-ini=python_files=check_*.py --strict",
        );
        assert_eq!(
            a.overrides,
            [
                "strict_markers=true",
                "testpaths=it",
                "python_files=check_*.py",
                "strict=true"
            ]
        );
    }

    #[test]
    fn missing_value_is_an_error() {
        assert!(Addopts::parse(&["--ignore".to_string()]).is_err());
    }
}
