//! How deeply a module's statements and expressions nest, found by a walk whose own recursion
//! stops at the limit.

use super::ParseFailure;
use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, ModModule};
use ruff_text_size::Ranged;

/// CPython 3.11 compiles up to about 3 × its recursion limit of 1000 nested levels, less 3 per
/// frame of whoever imports (`python3 -c "import m"`: 2900 chained `+` import, 2990 do not), so
/// this accepts a few levels CPython may reject, never the other way round.
pub const MAX_DEPTH: usize = 3000;

/// The first place nesting goes beyond what CPython compiles, if any: [`MAX_DEPTH`] levels,
/// or a replacement field in a format spec in a format spec of the same f-string.
pub fn check(module: &ModModule) -> Option<ParseFailure> {
    let mut walk = DepthWalk {
        depth: 0,
        fields: 0,
        outer_fields: Vec::new(),
        failure: None,
    };
    walk.visit_body(&module.body);
    walk.failure
}

struct DepthWalk {
    depth: usize,
    /// Replacement fields open in the innermost f-string (more than one: in a format spec),
    /// and in each f-string around it.
    fields: usize,
    outer_fields: Vec<usize>,
    failure: Option<ParseFailure>,
}

/// The nodes CPython's compiler recurses on.
fn nests(node: AnyNodeRef<'_>) -> bool {
    node.is_statement() || node.is_expression() || node.is_pattern()
}

fn is_interpolated_string(node: AnyNodeRef<'_>) -> bool {
    matches!(
        node,
        AnyNodeRef::ExprFString(_) | AnyNodeRef::ExprTString(_)
    )
}

impl<'a> SourceOrderVisitor<'a> for DepthWalk {
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        if self.failure.is_some() {
            return TraversalSignal::Skip;
        }
        let offset = node.start().to_usize();
        if nests(node) {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                self.failure = Some(ParseFailure::too_deep(offset));
                return TraversalSignal::Skip;
            }
        }
        if is_interpolated_string(node) {
            self.outer_fields.push(self.fields);
            self.fields = 0;
        }
        if matches!(node, AnyNodeRef::InterpolatedElement(_)) {
            self.fields += 1;
            if self.fields > 2 {
                let message = "f-string: expressions nested too deeply".into();
                self.failure = Some(ParseFailure::at(offset, message));
                return TraversalSignal::Skip;
            }
        }
        TraversalSignal::Traverse
    }

    fn leave_node(&mut self, node: AnyNodeRef<'a>) {
        if nests(node) {
            self.depth = self.depth.saturating_sub(1);
        }
        if is_interpolated_string(node) {
            self.fields = self.outer_fields.pop().unwrap_or(0);
        }
        if matches!(node, AnyNodeRef::InterpolatedElement(_)) {
            self.fields = self.fields.saturating_sub(1);
        }
    }
}
