//! Static pytest collection.
