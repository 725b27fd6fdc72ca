use super::*;
use std::os::unix::fs::{symlink, PermissionsExt as _};

fn edit(path: &Path, before: Option<&str>, after: &str) -> FileEdit {
    FileEdit {
        path: path.to_owned(),
        rel: "f.py".to_owned(),
        before: before.map(str::to_owned),
        after: after.to_owned(),
    }
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("metadata").permissions().mode() & 0o7777
}

#[test]
fn a_replaced_file_keeps_its_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("f.py");
    fs::write(&f, "a\n").expect("seed");
    fs::set_permissions(&f, fs::Permissions::from_mode(0o751)).expect("chmod");
    apply_edit(&edit(&f, Some("a\n"), "b\n")).expect("applied");
    assert_eq!(fs::read_to_string(&f).expect("read"), "b\n");
    assert_eq!(mode(&f), 0o751);
}

#[test]
fn a_read_only_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("f.py");
    fs::write(&f, "a\n").expect("seed");
    fs::set_permissions(&f, fs::Permissions::from_mode(0o444)).expect("chmod");
    let err = apply_edit(&edit(&f, Some("a\n"), "b\n")).expect_err("refused");
    assert!(matches!(err, WriteError::ReadOnly(_)), "{err}");
    assert!(err.to_string().contains("chmod u+w"), "{err}");
    assert_eq!(fs::read_to_string(&f).expect("read"), "a\n");
    assert_eq!(mode(&f), 0o444);
    let err = replace_file(&f, "c\n").expect_err("an output too");
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
}

#[test]
fn a_symlink_stays_a_link_and_its_target_is_edited() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("real")).expect("mkdir");
    let target = dir.path().join("real/f.py");
    fs::write(&target, "a\n").expect("seed");
    let link = dir.path().join("f.py");
    symlink("real/f.py", &link).expect("symlink");
    apply_edit(&edit(&link, Some("a\n"), "b\n")).expect("applied");
    assert!(fs::symlink_metadata(&link)
        .expect("lstat")
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_link(&link).expect("readlink"),
        Path::new("real/f.py")
    );
    assert_eq!(fs::read_to_string(&target).expect("read"), "b\n");
}

#[test]
fn a_dangling_symlink_is_an_error_that_names_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("out.json");
    symlink("gone/x.json", &link).expect("symlink");
    let err = write_file(&link, Expect::Anything, |o| o.write_all(b"x")).expect_err("refused");
    assert!(matches!(err, WriteError::DanglingLink { .. }), "{err}");
    assert!(err.to_string().contains("gone/x.json"), "{err}");
}

#[test]
fn a_file_changed_since_it_was_read_is_not_overwritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("f.py");
    fs::write(&f, "a\nuser edit\n").expect("seed");
    let e = edit(&f, Some("a\n"), "b\n");
    assert!(matches!(check_edit(&e), Err(WriteError::Changed(_))));
    let err = apply_edit(&e).expect_err("refused");
    assert!(matches!(err, WriteError::Changed(_)), "{err}");
    assert_eq!(fs::read_to_string(&f).expect("read"), "a\nuser edit\n");
    // Deleted meanwhile: also a change.
    fs::remove_file(&f).expect("rm");
    assert!(matches!(apply_edit(&e), Err(WriteError::Changed(_))));
    assert!(!f.exists());
}

#[test]
fn a_new_file_is_not_written_over_one_that_appeared() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("pytest.ini");
    fs::write(&f, "[pytest]\n").expect("someone else's file");
    let err = apply_edit(&edit(&f, None, "new\n")).expect_err("refused");
    assert!(matches!(err, WriteError::Appeared(_)), "{err}");
    assert_eq!(fs::read_to_string(&f).expect("read"), "[pytest]\n");
    fs::remove_file(&f).expect("rm");
    apply_edit(&edit(&f, None, "new\n")).expect("created");
    assert_eq!(fs::read_to_string(&f).expect("read"), "new\n");
}

#[test]
fn a_new_file_gets_the_umask_mode_not_0600() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("out.json");
    replace_file(&f, "{}").expect("written");
    // The umask only clears bits: group or other can read unless it is 077.
    let m = mode(&f);
    assert_eq!(m & 0o600, 0o600, "{m:o}");
    assert_eq!(m & 0o111, 0, "{m:o}");
}

#[test]
fn no_temporary_file_is_left_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("f.py");
    fs::write(&f, "a\n").expect("seed");
    apply_edit(&edit(&f, Some("a\n"), "b\n")).expect("applied");
    let _ = apply_edit(&edit(&f, Some("stale\n"), "c\n"));
    let names: Vec<_> = fs::read_dir(dir.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("f.py")]);
}

#[test]
fn a_diff_of_a_new_file_starts_from_dev_null() {
    let d = edit(Path::new("x"), None, "a\n").unified_diff();
    assert!(d.starts_with("--- /dev/null\n+++ b/f.py\n"), "{d}");
    let d = edit(Path::new("x"), Some("a\n"), "b\n").unified_diff();
    assert!(d.starts_with("--- a/f.py\n+++ b/f.py\n"), "{d}");
}

#[test]
fn reading_a_fifo_is_an_error_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("conftest.py");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let err = read_to_string(&fifo).expect_err("not a file");
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("a FIFO"), "{err}");
    assert!(!is_regular(&fifo));
    let err = read(dir.path()).expect_err("a directory");
    assert!(err.to_string().contains("directory"), "{err}");
    fs::write(dir.path().join("f"), "x").expect("write");
    assert_eq!(read_to_string(dir.path().join("f")).expect("read"), "x");
}
