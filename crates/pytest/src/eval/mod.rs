//! A safe static evaluator for module-level Python data: what `parametrize` values, ids and
//! mark arguments are, without running code. Anything it cannot know is a
//! [`Value::Opaque`] that says why, never a guess.

mod value;

pub use value::{EnumMember, EnumMixin, MarkCall, Param, Unknown, Value};
