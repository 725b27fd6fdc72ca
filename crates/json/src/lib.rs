//! json backend.
