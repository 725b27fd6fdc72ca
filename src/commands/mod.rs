pub mod backends;
pub mod collect;
pub mod matrix;
