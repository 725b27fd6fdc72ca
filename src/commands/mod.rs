pub mod affected;
pub mod backends;
pub mod check;
pub mod collect;
pub mod matrix;
