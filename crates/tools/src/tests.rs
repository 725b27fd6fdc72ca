use super::*;

fn scratch() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("fanout-tools-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("creating a scratch dir");
    dir
}

#[test]
fn a_missing_tool_is_reported_once_with_every_test_that_needed_it() {
    let target = scratch();
    // Each call records the test running on its thread; libtest names threads after tests.
    let run = |name: &str, absent: Vec<&'static Tool>| {
        let target = target.clone();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || available_in(&target, &absent, Mode::Auto, false))
            .expect("spawning")
            .join()
            .expect("joining")
    };
    assert!(!run("e2e::a", vec![&NPM, &RSYNC]));
    assert!(!run("e2e::b", vec![&NPM]));
    assert!(run("e2e::c", vec![]));
    let report = take_report(&target);
    assert_eq!(
        report.matches("node and npm missing").count(),
        1,
        "{report}"
    );
    assert_eq!(report.matches("rsync missing").count(), 1, "{report}");
    assert!(report.contains("2 tests did not run"), "{report}");
    let npm = report.find("node and npm missing").expect("npm");
    let rsync = report.find("rsync missing").expect("rsync");
    let (npm_part, rsync_part) = report.split_at(rsync);
    assert!(npm_part[npm..].contains("would run e2e::a") && npm_part.contains("would run e2e::b"));
    assert!(rsync_part.contains("would run e2e::a") && !rsync_part.contains("e2e::b"));
    assert!(report.contains("apt-get install rsync"), "{report}");
    assert!(!report.contains("e2e::c"), "{report}");
    // Taken: a second report of the same invocation is empty.
    assert_eq!(take_report(&target), "");
    let _ = fs::remove_dir_all(&target);
}

#[test]
fn nothing_missing_reports_nothing() {
    let target = scratch();
    assert_eq!(take_report(&target), "");
    let _ = fs::remove_dir_all(&target);
}

#[test]
#[should_panic(expected = "needs rsync (not on PATH), and FANOUT_TEST_TOOLS=require")]
fn require_makes_a_missing_tool_a_failure() {
    let target = scratch();
    available_in(&target, &[&RSYNC], Mode::Require, true);
}

#[test]
fn on_path_finds_executables_only() {
    assert!(
        on_path("sh").is_some(),
        "sh is on every PATH the tests run with"
    );
    assert!(on_path("fanout-tools-no-such-command").is_none());
}

/// The report is the last thing `cargo test --workspace` prints only while this package's
/// tests run last (packages run in name order) and no library adds doc tests after them.
#[test]
fn this_package_runs_last_in_the_workspace() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crates/");
    let mut checked = 0;
    for entry in fs::read_dir(crates).expect("reading crates/") {
        let manifest = entry.expect("an entry").path().join("Cargo.toml");
        let Ok(text) = fs::read_to_string(&manifest) else {
            continue;
        };
        let doc: toml::Table = text.parse().expect("a manifest parses");
        let name = doc["package"]["name"].as_str().expect("a package name");
        assert!(
            name <= env!("CARGO_PKG_NAME"),
            "{name} sorts after {}: its tests would run after the missing-tools report",
            env!("CARGO_PKG_NAME")
        );
        let has_lib = manifest.with_file_name("src").join("lib.rs").is_file();
        let doctest = doc
            .get("lib")
            .and_then(|lib| lib.get("doctest"))
            .and_then(toml::Value::as_bool);
        assert!(
            !has_lib || doctest == Some(false),
            "{}: set `[lib] doctest = false` (doc tests run after every package's tests, \
             below the missing-tools report)",
            manifest.display()
        );
        checked += 1;
    }
    assert!(checked >= 10, "read {checked} manifests");
}
