//! One diagnostics model, one renderer per format: [`human`] (terminals and logs),
//! [`github`] (workflow commands), [`gitlab`] (Code Quality reports). JSON documents are typed structs in each command.
//! Every string from the repository is escaped here for the channel it goes to.

pub mod github;
pub mod gitlab;
pub mod human;
