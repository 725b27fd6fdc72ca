//! The `-p fanout_run_plugin` pytest plugin (`fanout_run_plugin.py`): written to the run's
//! scratch directory, put first on `PYTHONPATH`; it appends one JSON line per finished test to
//! the file named by `FANOUT_RUN_TIMINGS`, and adds the node ids in `FANOUT_RUN_NODE_IDS` to
//! pytest's arguments.

use fanout_timings::{Outcome, TestTiming};
use serde::Deserialize;
use std::ffi::OsString;
use std::io;
use std::path::Path;

pub const MODULE: &str = "fanout_run_plugin";
const SOURCE: &str = include_str!("fanout_run_plugin.py");
pub const TIMINGS_VARIABLE: &str = "FANOUT_RUN_TIMINGS";
pub const NODE_IDS_VARIABLE: &str = "FANOUT_RUN_NODE_IDS";

pub fn write(dir: &Path) -> io::Result<()> {
    std::fs::write(dir.join(format!("{MODULE}.py")), SOURCE)
}

/// The plugin's directory, then the user's `PYTHONPATH`.
pub fn python_path(plugin_dir: &Path, user: Option<&String>) -> OsString {
    let mut dirs = vec![plugin_dir.to_path_buf()];
    dirs.extend(user.iter().flat_map(|p| std::env::split_paths(p.as_str())));
    std::env::join_paths(&dirs).unwrap_or_else(|_| plugin_dir.as_os_str().to_owned())
}

/// One line of the plugin's output.
#[derive(Deserialize)]
struct Line {
    node_id: String,
    outcome: Outcome,
    start: Option<f64>,
    setup: f64,
    call: f64,
    teardown: f64,
}

/// The tests a job finished, in order. A missing file (pytest never loaded the plugin, or ran
/// no test) is no tests; a line cut short by a killed process is skipped.
pub fn read(path: &Path) -> Vec<TestTiming> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    parse(&text)
}

fn parse(text: &str) -> Vec<TestTiming> {
    text.lines()
        .filter_map(|line| serde_json::from_str::<Line>(line).ok())
        .map(|l| TestTiming {
            node_id: l.node_id,
            outcome: l.outcome,
            start: l.start,
            setup: l.setup,
            call: l.call,
            teardown: l.teardown,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_line_is_skipped() {
        let text = concat!(
            r#"{"node_id": "t.py::a", "outcome": "xfailed", "start": 1.5, "setup": 0.1, "call": 0.2, "teardown": 0.0}"#,
            "\n",
            r#"{"node_id": "t.py::b", "outc"#
        );
        let tests = parse(text);
        assert_eq!(tests.len(), 1);
        assert_eq!(tests[0].outcome, Outcome::Xfailed);
        assert_eq!(tests[0].start, Some(1.5));
    }

    #[test]
    fn plugin_dir_goes_first() {
        let joined = python_path(Path::new("/p"), Some(&"/a:/b".to_owned()));
        assert_eq!(joined, "/p:/a:/b");
    }
}
