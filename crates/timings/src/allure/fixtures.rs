//! Which test a fixture's setup and teardown belong to: a container's befores ran in the setup
//! of its first child, its afters in the teardown of its last (see the module above).

use super::files::{ContainerFile, Fixture};
use super::{checked, AllureError, Measured};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The fixtures counted in each of `tests` (sorted in the order they ran), by index.
pub(super) fn attribute(
    tests: &[Measured],
    containers: &[(&PathBuf, ContainerFile)],
) -> Result<Vec<Fixtures>, AllureError> {
    let rank: HashMap<&str, usize> = tests
        .iter()
        .enumerate()
        .rev() // A uuid given twice stands for its first test.
        .filter_map(|(i, t)| Some((t.uuid.as_deref()?, i)))
        .collect();
    let mut fixtures = vec![Fixtures::default(); tests.len()];
    for (path, container) in containers {
        let children: Vec<usize> = (container.children.iter().flatten())
            .filter_map(|uuid| rank.get(uuid.as_str()).copied())
            .collect();
        let (Some(&first), Some(&last)) = (children.iter().min(), children.iter().max()) else {
            continue;
        };
        for before in container.befores.iter().flatten() {
            if before.failed() {
                children
                    .iter()
                    .for_each(|&i| fixtures[i].setup_failed = true);
            }
            if let Some(span) = span_of(path, before)? {
                fixtures[first].add_before(span);
            }
        }
        for after in container.afters.iter().flatten() {
            if after.failed() {
                fixtures[last]
                    .teardown_errors
                    .push(after.message().to_owned());
            }
            if let Some(span) = span_of(path, after)? {
                fixtures[last].add_after(span);
            }
        }
    }
    Ok(fixtures)
}

/// The fixture time counted in one test, in milliseconds.
#[derive(Debug, Clone, Default)]
pub(super) struct Fixtures {
    pub setup: f64,
    pub teardown: f64,
    /// When the first of its fixtures' setups began, the last teardown ended.
    pub first_start: Option<f64>,
    pub last_stop: Option<f64>,
    /// A fixture it used failed in its setup: pytest's error at setup.
    pub setup_failed: bool,
    /// The messages of the failed finalizers counted in its teardown.
    pub teardown_errors: Vec<String>,
}

impl Fixtures {
    fn add_before(&mut self, (start, stop): (f64, f64)) {
        self.setup += stop - start;
        self.first_start = Some(self.first_start.map_or(start, |s| s.min(start)));
    }

    fn add_after(&mut self, (start, stop): (f64, f64)) {
        self.teardown += stop - start;
        self.last_stop = Some(self.last_stop.map_or(stop, |s| s.max(stop)));
    }
}

/// A fixture's span; `None` when allure did not write both ends.
fn span_of(path: &Path, fixture: &Fixture) -> Result<Option<(f64, f64)>, AllureError> {
    let (Some(start), Some(stop)) = (fixture.start, fixture.stop) else {
        return Ok(None);
    };
    let what = format!("fixture `{}`", fixture.name.as_deref().unwrap_or("?"));
    checked(path, &what, start, stop).map(Some)
}
