//! github backend.
