//! The sets of tests `fanout plan` keeps together because the suite declares that they depend
//! on each other ([`fanout_core::dependency`]).

use fanout_core::dependency::{self, Kind};
use fanout_core::TestItem;

/// Tests of one file declared to run together, as function node ids, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Declared {
    pub ids: Vec<String>,
    pub kind: Kind,
}

/// One set per declared link within a file (the planner joins sets that share a test); links
/// across files cannot be kept (`fanout check` warns of them).
pub fn declared(tests: &[TestItem]) -> Vec<Declared> {
    dependency::links(tests)
        .into_iter()
        .filter(|l| tests[l.from].path == tests[l.to].path)
        .map(|l| Declared {
            ids: vec![
                tests[l.from].function_node_id().to_owned(),
                tests[l.to].function_node_id().to_owned(),
            ],
            kind: l.kind,
        })
        .collect()
}
