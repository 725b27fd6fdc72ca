//! The two kinds of file an allure results folder holds, as far as timings need them. Every
//! field is optional here: what a reader cannot do without is checked where it is used, with
//! the file's name in the error.

use serde::Deserialize;

/// `<uuid>-result.json`: one test (one pytest item).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultFile {
    pub uuid: Option<String>,
    /// pytest's `item.name` (`test_p[id one]`), or the `@allure.title` text when there is one.
    pub name: Option<String>,
    /// `tests.sub.test_y.TestC#test_p`: dotted module path, classes, `#`, the function.
    pub full_name: Option<String>,
    /// `["tests", "sub", "test_y.py", "TestC"]`: the path's parts, then the classes
    /// (allure-pytest 2.15 and later).
    pub title_path: Option<Vec<String>>,
    pub status: Option<String>,
    pub status_details: Option<StatusDetails>,
    /// Epoch milliseconds.
    pub start: Option<f64>,
    pub stop: Option<f64>,
    pub labels: Option<Vec<Label>>,
}

impl ResultFile {
    /// The value of the last label called `name` (allure-pytest appends its own `package`,
    /// `host` and `thread` after any the test set with `@allure.label`).
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .flatten()
            .rev()
            .find(|l| l.name.as_deref() == Some(name))
            .and_then(|l| l.value.as_ref()?.as_str())
    }

    pub fn message(&self) -> &str {
        self.status_details
            .as_ref()
            .and_then(|d| d.message.as_deref())
            .unwrap_or("")
    }
}

/// `<uuid>-container.json`: one fixture instance (a fixture definition between its setup and
/// its finalization) and the tests that used it.
#[derive(Debug, Deserialize)]
pub struct ContainerFile {
    pub children: Option<Vec<String>>,
    pub befores: Option<Vec<Fixture>>,
    pub afters: Option<Vec<Fixture>>,
}

/// A fixture's setup (a `before`) or one of its finalizers (an `after`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fixture {
    pub name: Option<String>,
    pub status: Option<String>,
    pub status_details: Option<StatusDetails>,
    pub start: Option<f64>,
    pub stop: Option<f64>,
}

impl Fixture {
    /// An exception other than a skip: `failed` (an assertion or `pytest.fail`) or `broken`.
    pub fn failed(&self) -> bool {
        matches!(self.status.as_deref(), Some("failed" | "broken"))
    }

    pub fn message(&self) -> &str {
        self.status_details
            .as_ref()
            .and_then(|d| d.message.as_deref())
            .unwrap_or("")
    }
}

#[derive(Debug, Deserialize)]
pub struct StatusDetails {
    pub message: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Label {
    pub name: Option<String>,
    /// Any JSON: `@allure.label("priority", 1)` writes a number.
    pub value: Option<serde_json::Value>,
}
