//! `--changed-since` and `fanout affected` on real git repositories built here with the git CLI
//! (fixed author, dates and config, so hashes are stable).

mod clones;
mod generated;
pub mod repo;
mod rules;
