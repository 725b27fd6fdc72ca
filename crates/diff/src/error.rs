//! Why a selection could not be made.

/// fanout cannot be sure which tests a change affects: select everything (or, with `--strict`,
/// fail) and tell the user why and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsure {
    pub reason: String,
    pub hint: String,
}

impl Unsure {
    pub fn new(reason: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            hint: hint.into(),
        }
    }
}

impl std::fmt::Display for Unsure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (hint: {})", self.reason, self.hint)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// The answer would be a guess.
    #[error("cannot tell which tests the change affects: {0}")]
    Unsure(Unsure),
    /// Reading the repository failed.
    #[error("git: {0}")]
    Git(String),
}
