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
    assert_eq!(s.ungrouped, Ungrouped::WholeFile);
    assert_eq!(s.known_markers, ["slow"]);
    assert_eq!(s.max_jobs, Some(8));
    assert!(!s.respect_gitignore);
    assert_eq!(from, Some(PathBuf::from("pyproject.toml")));
}

#[test]
fn unknown_key_suggests_the_close_one() {
    let e = settings("[project]\n\n[tool.fanout]\n  ungroupd = 'error'\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "pyproject.toml:4:3: unknown key `ungroupd` in [tool.fanout]; did you mean `ungrouped`? expected one of `ungrouped`, `known-markers`, `max-jobs`, `respect-gitignore`"
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
