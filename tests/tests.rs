//! End-to-end tests of the `fanout` binary: one test binary (see STYLE.md), modules by theme.

mod e2e;
mod support;
