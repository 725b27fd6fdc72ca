//! Property tests: random and mutated Python sources never make collection panic.

use super::tests::collect_text;
use proptest::prelude::*;

const FRAGMENTS: &[&str] = &[
    "import pytest\n",
    "import pytest as pt\n",
    "from pytest import mark\n",
    "pytestmark = pytest.mark.group(1)\n",
    "pytestmark = [pytest.mark.group('a'), pytest.mark.slow]\n",
    "SMALL = 'small'\n",
    "g1 = pytest.mark.group(1)\n",
    "A = B\nB = A\n",
    "@pytest.mark.group(SMALL)\n",
    "@pytest.mark.group(f'{x}')\n",
    "@pytest.mark.group()\n",
    "@pytest.mark.group(*args)\n",
    "@g1\n",
    "@A\n",
    "@pytest.mark.runner(['a', 1])\n",
    "@pytest.mark.parametrize('x', [pytest.param(1, marks=pytest.mark.group(2))])\n",
    "@pytest.mark.parametrize('x', [pytest.param(i, marks=pytest.mark.group(i)) for i in A])\n",
    "@pytest.fixture\n",
    "def test_a():\n    pass\n",
    "async def test_b(x):\n    pass\n",
    "class TestC(Base):\n    pytestmark = pytest.mark.group(2)\n    def test_m(self):\n        pass\n",
    "class Base(TestC):\n    def test_n(self):\n        pass\n",
    "class TestD:\n    def __init__(self):\n        pass\n",
    "if x:\n    def test_e():\n        pass\nelse:\n    test_e = 1\n",
    "del test_a\n",
    "    \n",
    "(\n",
    "\u{e9}\u{1F600} = '\u{0}'\n",
];

fn source() -> impl Strategy<Value = String> {
    prop::collection::vec(0..FRAGMENTS.len(), 0..24)
        .prop_map(|picks| picks.into_iter().map(|i| FRAGMENTS[i]).collect::<String>())
}

/// Deletes, duplicates or inserts characters at random places.
fn mutated() -> impl Strategy<Value = String> {
    (
        source(),
        prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<char>()), 0..8),
    )
        .prop_map(|(text, edits)| {
            let mut chars: Vec<char> = text.chars().collect();
            for (at, kind, c) in edits {
                if chars.is_empty() {
                    chars.push(c);
                    continue;
                }
                let i = at.index(chars.len());
                match kind {
                    0 => {
                        chars.remove(i);
                    }
                    1 => chars.insert(i, chars[i]),
                    _ => chars.insert(i, c),
                }
            }
            chars.into_iter().collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_sources_never_panic(text in source()) {
        let (tests, diagnostics) = collect_text(&text);
        for d in &diagnostics {
            prop_assert!(!d.message.is_empty());
        }
        for t in &tests {
            prop_assert!(t.node_id.starts_with("t/test_a.py::"));
        }
    }

    #[test]
    fn mutated_sources_never_panic(text in mutated()) {
        let _ = collect_text(&text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = collect_text(&text);
    }
}

/// Assignments over the names the fragments define (and one they do not).
fn assignments() -> impl Strategy<Value = crate::group_edit::Assignments> {
    const NAMES: &[&str] = &[
        "test_a",
        "test_b",
        "test_e",
        "TestC::test_m",
        "Base::test_n",
        "TestC::test_n",
        "test_missing",
    ];
    prop::collection::btree_map(
        prop::sample::select(NAMES).prop_map(str::to_owned),
        prop::option::of(1i64..4),
        0..NAMES.len(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The rewriter never panics; what it writes parses, and writing it again changes nothing;
    /// every assignment is applied or reported.
    #[test]
    fn the_rewriter_is_total_and_idempotent(text in source(), groups in assignments()) {
        rewrite_checks(&text, &groups)?;
    }

    #[test]
    fn the_rewriter_survives_mutated_sources(text in mutated(), groups in assignments()) {
        rewrite_checks(&text, &groups)?;
    }
}

fn rewrite_checks(
    text: &str,
    groups: &crate::group_edit::Assignments,
) -> Result<(), TestCaseError> {
    let Ok(first) = crate::group_edit::edit_group_marks(text, groups) else {
        return Ok(());
    };
    prop_assert!(
        crate::source::parse(&first.text).is_ok(),
        "the edit does not parse:\n{}",
        first.text
    );
    let second = crate::group_edit::edit_group_marks(&first.text, groups)
        .map_err(|e| TestCaseError::fail(format!("the edit does not parse: {e}")))?;
    prop_assert_eq!(&second.text, &first.text, "not idempotent");
    if groups.contains_key("test_missing") {
        prop_assert!(
            first.skipped.iter().any(|s| s.function == "test_missing"),
            "an assignment was dropped: {:?}",
            first.skipped
        );
    }
    Ok(())
}
