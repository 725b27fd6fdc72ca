//! Tests that run the built `fanout` binary on temporary projects.
//!
//! `fidelity` asks a real pytest (the oracle in `tests/support`) what it collects and checks
//! that fanout agrees; `cli` checks the command-line contract (exit codes, outputs, errors).

mod action;
pub mod affected;
mod check;
mod cli;
mod docs;
mod fidelity;
mod gitlab;
mod project;
mod resolve_dynamic;
mod verify;
