//! pytest config discovery. (being written)
