use super::*;

fn settings(text: &str) -> Result<(FanoutSettings, Option<PathBuf>), ConfigError> {
    parse(Path::new("pyproject.toml"), text)
}

#[test]
fn missing_table_means_defaults() {
    let (s, from) = settings("[project]\nname = 'x'\n").unwrap();
    assert_eq!(s, FanoutSettings::default());
    assert!(s.respect_gitignore);
    assert_eq!(from, None);
}

#[test]
fn all_keys() {
    let (s, from) = settings("[tool.fanout]\nungrouped = 'whole-file'\nknown-markers = ['slow']\nmax-jobs = 8\nrespect-gitignore = false\n").unwrap();
    assert_eq!(s.ungrouped, fanout_core::matrix::UngroupedPolicy::WholeFile);
    assert_eq!(s.known_markers, ["slow"]);
    assert_eq!(s.max_jobs, Some(8));
    assert!(!s.respect_gitignore);
    assert_eq!(from, Some(PathBuf::from("pyproject.toml")));
}

#[test]
fn plan_table_is_typed() {
    let (s, _) = settings("[tool.fanout.plan]\ntogether = [['t.py::a', 't.py::b']]\n").unwrap();
    assert_eq!(s.plan.together, [["t.py::a", "t.py::b"]]);
    assert!(
        s.backends.is_empty(),
        "plan is a setting, not a backend table"
    );
    let e = settings("[tool.fanout.plan]\ntogther = []\n").unwrap_err();
    assert!(e.to_string().contains("togther"), "{e}");
}

#[test]
fn unknown_key_suggests_the_close_one() {
    let e = settings("[project]\n\n[tool.fanout]\n  ungroupd = 'error'\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "pyproject.toml:4:3: unknown key `ungroupd` in [tool.fanout]; did you mean `ungrouped`? expected one of `ungrouped`, `known-markers`, `max-jobs`, `respect-gitignore`, `ignore-changes`, `affects`, `plan`, or a [tool.fanout.<backend>] table"
    );
    assert!(settings("[tool.fanout]\nmax_jobs = 2\n")
        .unwrap_err()
        .to_string()
        .contains("did you mean `max-jobs`?"));
    assert!(!settings("[tool.fanout]\nzzzzzzzz = 2\n")
        .unwrap_err()
        .to_string()
        .contains("did you mean"));
}

#[test]
fn wrong_types_name_the_line() {
    let e = settings("[tool.fanout]\nungrouped = 'sometimes'\n").unwrap_err();
    assert_eq!(e.line(), Some(2));
    assert!(e.to_string().contains("sometimes"), "{e}");
    let e = settings("[tool.fanout]\nmax-jobs = -1\n").unwrap_err();
    assert_eq!(e.line(), Some(2));
    assert!(settings("[tool]\nfanout = 3\n").is_err());
    assert!(settings("[tool.fanout\n").is_err());
}

#[test]
fn rootdir_pyproject_first_then_nearest_above_invocation_dir() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    std::fs::create_dir_all(root.join("a/b")).unwrap();
    std::fs::create_dir_all(root.join("r")).unwrap();
    std::fs::write(
        root.join("a/pyproject.toml"),
        "[tool.fanout]\nmax-jobs = 3\n",
    )
    .unwrap();
    let (s, from) = load_fanout_settings(&root.join("r"), &root.join("a/b")).unwrap();
    assert_eq!(
        (s.max_jobs, from),
        (Some(3), Some(root.join("a/pyproject.toml")))
    );
    std::fs::write(root.join("r/pyproject.toml"), "[project]\n").unwrap();
    let (s, from) = load_fanout_settings(&root.join("r"), &root.join("a/b")).unwrap();
    assert_eq!((s.max_jobs, from), (None, None));
}

#[test]
fn backend_tables_are_kept_as_written_for_their_backend() {
    let (s, _) = settings(
        "[tool.fanout]\nmax-jobs = 3\n\n[tool.fanout.gitlab]\ntemplate = '.it'\nmax-jobs = 300\n",
    )
    .unwrap();
    let table = &s.backends["gitlab"];
    assert_eq!(table.line, 4);
    assert_eq!(table.key_lines["max-jobs"], 6);
    assert_eq!(table.values["template"], serde_json::json!(".it"));
    assert_eq!(table.values["max-jobs"], serde_json::json!(300));
    assert_eq!(s.max_jobs, Some(3));
    // A key that is neither a setting nor a table is still refused where it is.
    let e = settings("[tool.fanout]\ngitlab = 3\n").unwrap_err();
    assert_eq!(e.line(), Some(2), "{e}");
}

#[test]
fn change_selection_keys() {
    let (s, _) = settings(
        "[tool.fanout]\nignore-changes = ['docs/**', '*.md']\n\n[tool.fanout.affects]\n'src/db/**' = ['tests/db/**']\n",
    )
    .unwrap();
    assert_eq!(s.ignore_changes, ["docs/**", "*.md"]);
    assert_eq!(s.affects["src/db/**"], ["tests/db/**"]);
    assert!(settings("[tool.fanout]\nignore-change = []\n")
        .unwrap_err()
        .to_string()
        .contains("did you mean `ignore-changes`?"));
}

#[test]
fn plan_history_is_read_and_checked() {
    let (s, _) = settings("[tool.fanout.plan]\nhistory = 3\n").unwrap();
    assert_eq!(s.plan.history.map(std::num::NonZeroUsize::get), Some(3));
    assert!(settings("[tool.fanout.plan]\nhistory = 0\n").is_err());
    assert!(settings("[tool.fanout.plan]\nhistory = -1\n").is_err());
    assert!(settings("[tool.fanout.plan]\nhistroy = 3\n").is_err());
}
