//! fanout's model, shared by every frontend and backend.
//!
//! Frontends (the pytest collector) produce [`TestItem`]s and [`Diagnostic`]s; the
//! [`matrix`] module turns them into [`MatrixEntry`]s; backends registered with
//! [`inventory`] write that matrix in a CI platform's format.

pub mod backend;
pub mod dependency;
pub mod diagnostic;
pub mod escape;
pub mod files;
pub mod group;
pub mod grow;
pub mod matrix;
pub mod naming;
pub mod pyrepr;
pub mod shared_str;
pub mod shell_safety;
pub mod test_item;
pub mod yaml;

pub use backend::{Backend, BackendError, BackendOptions, BackendRegistration, OutputContext};
pub use diagnostic::{Code, Diagnostic, ExitStatus, Severity};
pub use group::{GroupId, GroupIdError};
pub use matrix::{Matrix, MatrixEntry, MatrixOptions};
pub use shared_str::SharedStr;
pub use test_item::{GroupSource, Mark, MarkValue, ParamCase, ParamMarks, Runner, TestItem};

/// Version of every machine-readable document fanout writes (`"schema": 1`).
pub const SCHEMA_VERSION: u32 = 1;
