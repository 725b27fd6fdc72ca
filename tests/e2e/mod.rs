//! Tests that run the built `fanout` binary on temporary projects.
//!
//! `fidelity` asks a real pytest (the oracle in `tests/support`) what it collects and checks
//! that fanout agrees; `cli` checks the command-line contract (exit codes, outputs, errors).

pub(crate) mod action;
pub mod affected;
mod check;
pub(crate) mod ci_files;
mod cli;
pub(crate) mod docs;
mod fidelity;
pub(crate) mod gitlab;
mod native_ci;
pub(crate) mod planning;
mod project;
mod release;
mod resolve_dynamic;
pub(crate) mod run;
mod verify;
mod writes;
