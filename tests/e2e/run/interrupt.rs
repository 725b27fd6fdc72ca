//! Ctrl-C during `fanout run --all`: every job's process group is stopped, the table and the
//! timings are still written, and fanout exits 130.

use super::{CONFIG, RECORDING_CONFTEST};
use crate::e2e::project::Project;
use crate::support::pytest_oracle::python;
use fanout_timings::{JobStatus, Timings};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Whether any process is left in process group `pgid` (`kill -0 -PGID`).
fn group_alive(pgid: &str) -> bool {
    Command::new("kill")
        .args(["-0", "--", &format!("-{pgid}")])
        .stderr(Stdio::null())
        .status()
        .expect("kill runs")
        .success()
}

#[test]
fn ctrl_c_stops_every_job_and_exits_130() {
    let p = Project::new();
    p.file("pyproject.toml", CONFIG)
        .file("tests/conftest.py", RECORDING_CONFTEST);
    for group in 1..=3 {
        p.file(
            &format!("tests/test_sleep_{group}.py"),
            &format!(
                r#"
                import os, time, pytest

                @pytest.mark.group({group})
                def test_sleep(tmp_path_factory):
                    # A grandchild in the job's group too: it must go with the job.
                    os.system("sleep 60 &")
                    with open(os.path.join(os.path.dirname(__file__), "..", "pgid-{group}"), "w") as f:
                        f.write(str(os.getpgid(0)))
                    time.sleep(60)
                "#
            ),
        );
    }
    let py = python();
    let timings = p.join("timings.json");
    let child = p
        .command_in(
            "",
            &[
                "run",
                "--all",
                "-j",
                "2",
                "--python",
                py.to_str().expect("utf-8"),
                "--timings",
                timings.to_str().expect("utf-8"),
            ],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("fanout starts");
    let started = Instant::now();
    let pgids: Vec<String> = loop {
        let found: Vec<String> = (1..=3)
            .filter_map(|g| std::fs::read_to_string(p.join(&format!("pgid-{g}"))).ok())
            .filter(|s| !s.is_empty())
            .collect();
        if found.len() == 2 {
            break found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "two jobs should be running"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let fanout_pid = child.id().to_string();
    assert!(
        !pgids.contains(&fanout_pid),
        "jobs run in groups of their own"
    );
    let sent = Instant::now();
    let status = Command::new("kill")
        .args(["-INT", &fanout_pid])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let output = child.wait_with_output().expect("fanout ends");
    assert!(
        sent.elapsed() < Duration::from_secs(8),
        "stopped within the grace period"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stdout}\n{stderr}");
    // A killed grandchild is a zombie until its new parent (init) reaps it: allow a moment.
    let reaped = Instant::now();
    while pgids.iter().any(|g| group_alive(g)) && reaped.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(50));
    }
    for pgid in &pgids {
        assert!(!group_alive(pgid), "process group {pgid} is gone");
    }
    assert!(stdout.contains("interrupted"), "{stdout}");
    assert!(
        stdout.contains("not run"),
        "the third job never started:\n{stdout}"
    );
    let timings = Timings::read(&timings).expect("timings written after Ctrl-C");
    assert_eq!(timings.jobs.len(), 2, "only the jobs that started");
    assert!(timings
        .jobs
        .iter()
        .all(|j| j.status == JobStatus::Interrupted));
}
