//! How deeply a module's statements and expressions nest, found by a walk whose own recursion
//! stops at the limit.

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, ModModule};
use ruff_text_size::{Ranged, TextSize};

/// CPython 3.11 compiles up to about 3 × its recursion limit of 1000 nested levels, less the
/// frames of whoever imports: 2000 imports, 3000 is "maximum recursion depth exceeded".
pub const MAX_DEPTH: usize = 3000;

/// Where nesting first goes beyond [`MAX_DEPTH`], if it does.
pub fn too_deep(module: &ModModule) -> Option<TextSize> {
    let mut walk = DepthWalk {
        depth: 0,
        exceeded_at: None,
    };
    walk.visit_body(&module.body);
    walk.exceeded_at
}

struct DepthWalk {
    depth: usize,
    exceeded_at: Option<TextSize>,
}

/// The nodes CPython's compiler recurses on.
fn nests(node: AnyNodeRef<'_>) -> bool {
    node.is_statement() || node.is_expression() || node.is_pattern()
}

impl<'a> SourceOrderVisitor<'a> for DepthWalk {
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        if self.exceeded_at.is_some() {
            return TraversalSignal::Skip;
        }
        if nests(node) {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                self.exceeded_at = Some(node.start());
                return TraversalSignal::Skip;
            }
        }
        TraversalSignal::Traverse
    }

    fn leave_node(&mut self, node: AnyNodeRef<'a>) {
        if nests(node) {
            self.depth = self.depth.saturating_sub(1);
        }
    }
}
