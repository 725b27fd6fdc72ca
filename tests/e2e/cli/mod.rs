//! The command-line contract: exit codes, outputs, backends and error messages.

mod bad_input;
mod bounded;
mod distribution;
mod exit;
mod fixtures;
mod github;
mod gitignore;
mod grouping;
mod hijack;
mod matrix;
mod output;
mod special_files;
mod workflow;
