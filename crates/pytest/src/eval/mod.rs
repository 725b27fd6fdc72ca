//! A safe static evaluator for module-level Python data: what `parametrize` values, ids and
//! mark arguments are, without running code. Anything it cannot know is a
//! [`Value::Opaque`] that says why, never a guess.
//!
//! Work is bounded ([`Limits`]): a step budget, size caps on collections and strings, and a
//! nesting depth, so a hostile file gives opaque values instead of a hang or a crash.

mod builtins;
mod calls;
mod compare;
mod comprehension;
mod enums;
mod expr;
mod format;
mod iterators;
mod methods;
mod names;
mod ops;
mod percent;
mod repr;
mod str_format;
mod value;

#[cfg(test)]
mod tests;

pub use value::{EnumMember, EnumMixin, MarkCall, Param, Unknown, Value};

use crate::marks::Bindings;
use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

/// The result of a step that may fail with a reason; the caller adds where.
/// Unknown operands are not failures: they come back as `Ok(Value::Opaque)`.
type Outcome = Result<Value, String>;

/// How much work one [`Evaluator`] may do.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Expression nodes visited, loop iterations and items copied, over the evaluator's life.
    pub steps: u64,
    /// Items in one tuple, list, set, dict or range.
    pub collection_len: usize,
    /// Bytes in one str or bytes.
    pub str_len: usize,
    /// Nested evaluations (sub-expressions, names followed, comprehension clauses).
    pub depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            steps: 1_000_000,
            collection_len: 100_000,
            str_len: 1 << 20,
            depth: 200,
        }
    }
}

/// Evaluates expressions of one module. Reuse it for the module's expressions: the step
/// budget is shared, so one hostile file cannot cost more than [`Limits::steps`].
/// Where names imported from other project modules come from: the expression a constant is
/// bound to, and the bindings of the module it is written in.
pub trait ImportedConstants<'a> {
    fn constant(&self, importer: &Bindings<'a>, name: &str)
        -> Option<(&'a Expr, &'a Bindings<'a>)>;
}

pub struct Evaluator<'b, 'a> {
    bindings: &'b Bindings<'a>,
    /// Constants imported from other modules of the project, when an index is at hand.
    imports: Option<&'b dyn ImportedConstants<'a>>,
    limits: Limits,
    steps: u64,
    depth: usize,
    /// Comprehension variables, innermost last; they shadow module names.
    locals: Vec<(&'a str, Value)>,
    /// Module names being evaluated, to stop `A = B; B = A`.
    resolving: Vec<&'a str>,
    /// Enum classes already evaluated.
    enums: rustc_hash::FxHashMap<&'a str, Result<std::rc::Rc<enums::EnumTable<'a>>, String>>,
}

impl<'b, 'a> Evaluator<'b, 'a> {
    /// An evaluator in the module scope of `bindings.module`.
    pub fn new(bindings: &'b Bindings<'a>) -> Self {
        Self::with_limits(bindings, Limits::default())
    }

    pub fn with_limits(bindings: &'b Bindings<'a>, limits: Limits) -> Self {
        Evaluator {
            bindings,
            imports: None,
            limits,
            steps: 0,
            depth: 0,
            locals: Vec::new(),
            resolving: Vec::new(),
            enums: rustc_hash::FxHashMap::default(),
        }
    }

    /// Follows constants imported from other project modules through `imports`.
    pub fn with_imports(mut self, imports: &'b dyn ImportedConstants<'a>) -> Self {
        self.imports = Some(imports);
        self
    }

    /// The value of `expr` in the module scope. Never panics; what is not known is opaque.
    pub fn eval(&mut self, expr: &'a Expr) -> Value {
        if self.depth >= self.limits.depth {
            return Value::opaque(
                expr.range(),
                format!(
                    "nesting is deeper than fanout evaluates ({} levels)",
                    self.limits.depth
                ),
            );
        }
        if let Err(reason) = self.charge(1) {
            return Value::opaque(expr.range(), reason);
        }
        self.depth += 1;
        let value = self
            .eval_node(expr)
            .unwrap_or_else(|reason| Value::opaque(expr.range(), reason));
        self.depth -= 1;
        value
    }

    /// Spends `steps` of the budget.
    fn charge(&mut self, steps: usize) -> Result<(), String> {
        self.steps = self
            .steps
            .saturating_add(u64::try_from(steps).unwrap_or(u64::MAX));
        if self.steps > self.limits.steps {
            return Err(format!(
                "evaluating this file's data takes more than fanout's limit of {} steps",
                self.limits.steps
            ));
        }
        Ok(())
    }

    /// Checks and pays for a collection of `len` items.
    fn collection(&mut self, len: usize) -> Result<(), String> {
        if len > self.limits.collection_len {
            return Err(format!(
                "a collection of {len} items is more than fanout's limit of {}",
                self.limits.collection_len
            ));
        }
        self.charge(len)
    }

    /// Checks and pays for a str or bytes of `len` bytes (one step per 64 bytes).
    fn text(&mut self, len: usize) -> Result<(), String> {
        if len > self.limits.str_len {
            return Err(format!(
                "a string of {len} bytes is more than fanout's limit of {}",
                self.limits.str_len
            ));
        }
        self.charge(len / 64)
    }
}
