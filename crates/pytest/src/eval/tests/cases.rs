//! Table-driven cases: a module prelude and expression, and the expected repr or shape.

use super::eval_last;

/// (source whose last line is the expression, expected repr).
const REPRS: &[(&str, &str)] = &[
    ("1 + 2 * 3", "7"),
    ("-7 // 2, -7 % 2, 7 // -2, 7 % -2", "(-4, 1, -4, -1)"),
    ("'a' 'b' \"c\"", "'abc'"),
    ("A = 'x'\nB = A + 'y'\nB * 2", "'xyxy'"),
    ("def f(): pass\nclass C: pass\n[f, C]", "?"),
    ("[x * y for x in range(3) if x for y in (10, 20)]", "[10, 20, 20, 40]"),
    ("{k: v for k, v in [('a', 1), ('b', 2)]}", "{'a': 1, 'b': 2}"),
    ("x = 100\n[x for x in range(2)], x", "([0, 1], 100)"),
    ("[(a, rest) for a, *rest in [(1, 2, 3), (4,)]]", "[(1, [2, 3]), (4, [])]"),
    ("D = {(1, 'a'): 'one'}\nD[(1.0, 'a')]", "'one'"),
    ("{1: 'a', 1.0: 'b', True: 'c'}", "{1: 'c'}"),
    ("[1, 2, 3, 4, 5][::-2], 'hello'[1:-1], (1, 2)[-1]", "([5, 3, 1], 'ell', 2)"),
    ("1 < 2 < 3, 1 < 3 < 2, 1 == 1.0 == True", "(True, False, True)"),
    ("0 or 'x', 1 and [], None or 0", "('x', [], 0)"),
    ("'a' if 1 > 2 else 'b'", "'b'"),
    ("f'{1 + 1}-{\"x\"!r:>5}-{3.14159:.2f}-{7:03d}-{255:x}'", "\"2-  'x'-3.14-007-ff\""),
    ("x = 5\nf'{x=}'", "'x=5'"),
    ("'%s-%d-%r-%05.2f' % ('a', 3.9, 'b', 2.5)", "\"a-3-'b'-02.50\""),
    ("'{}-{name}-{0}'.format('p', name='n')", "'p-n-p'"),
    ("sorted({3, 1, 2}), len({1, 2, 2}), 2 in {1, 2}", "([1, 2, 3], 2, True)"),
    ("list(zip('ab', [1, 2, 3])), list(enumerate('xy', 1))", "([('a', 1), ('b', 2)], [(1, 'x'), (2, 'y')])"),
    ("import itertools\nlist(itertools.product([1, 2], 'ab'))", "[(1, 'a'), (1, 'b'), (2, 'a'), (2, 'b')]"),
    ("from itertools import chain\nlist(chain([1], (2,), 'c'))", "[1, 2, 'c']"),
    ("'-'.join(['a', 'b']).upper().split('-')", "['A', 'B']"),
    ("dict(a=1, **{'b': 2}).items()", "[('a', 1), ('b', 2)]"),
    ("[*range(2), *'ab']", "[0, 1, 'a', 'b']"),
    ("from enum import Enum\nclass Color(Enum):\n    RED = 'red'\n    BLUE = 'blue'\n[Color.RED, Color.BLUE.value, Color.RED.name]", "[<Color.RED: 'red'>, 'blue', 'RED']"),
    ("import enum\nclass Size(str, enum.Enum):\n    S = 's'\n    M = 'm'\n[s.value for s in Size]", "['s', 'm']"),
    ("from enum import Enum\nclass C(Enum):\n    A = 1\n    B = 1\nC.B", "<C.A: 1>"),
    ("from enum import Enum\nclass C(Enum):\n    A = 1\nf'{C.A}', str(C.A)", "('C.A', 'C.A')"),
    ("1e16, 1e-05, 0.1 + 0.2, 1/3, float('inf'), -0.0", "(1e+16, 1e-05, 0.30000000000000004, 0.3333333333333333, inf, -0.0)"),
    ("2j, 1 - 2j, -2j", "(2j, (1-2j), (-0-2j))"),
    ("repr('it\\'s'), repr('a\"b\\'c'), '\\x00\\t\\u00e9\\u200b'", "('\"it\\'s\"', '\\'a\"b\\\\\\'c\\'', '\\x00\\té\\u200b')"),
    ("(1,), (), [], {}, set(), {1}", "((1,), (), [], {}, set(), {1})"),
    ("b'a\\'\\x00\\xff'", "b\"a'\\x00\\xff\""),
];

#[test]
fn expressions_evaluate_to_the_expected_repr() {
    let mut failures = Vec::new();
    for (source, expected) in REPRS {
        let seen = eval_last(source);
        let got = seen.repr.clone().unwrap_or_else(|| "?".into());
        if got != *expected {
            failures.push(format!(
                "{source:?}\n  expected {expected}\n  got      {got}  ({seen:?})"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const REAL_SUITE: &str = r#"
import pytest
ALL_GROUPS = {
    (cloud, size): pytest.param(cloud, size, id=f"{cloud}-{size}",
        marks=[pytest.mark.group(f"{cloud}-{size}"), pytest.mark.runner(["self-hosted", "xlarge" if size == "large" else "large"])])
    for cloud in ["microceph", "aws"] for size in ["large", "small"]
}
SMALL = [ALL_GROUPS[(cloud, "small")] for cloud in ["aws", "microceph"]]
SMALL
"#;

#[test]
fn the_real_suite_pattern_gives_known_params() {
    let seen = eval_last(REAL_SUITE);
    assert_eq!(seen.unknown, None);
    assert_eq!(
        seen.shape,
        "[param('aws', 'small'; id='aws-small'; marks=[mark.group('aws-small'), mark.runner(['self-hosted', 'large'])]), \
          param('microceph', 'small'; id='microceph-small'; marks=[mark.group('microceph-small'), mark.runner(['self-hosted', 'large'])])]"
            .replace("          ", "")
    );
}

/// (source, expected shape): params, marks and opaque parts.
const SHAPES: &[(&str, &str)] = &[
    ("import pytest as pt\npt.param(1, marks=pt.mark.slow)", "param(1; id=-; marks=[mark.slow])"),
    ("from pytest import mark, param\nparam(1, id='a', marks=(mark.skip(reason='r'),))", "param(1; id='a'; marks=[mark.skip()[reason='r']])"),
    ("import pytest\nslow = pytest.mark.slow\n[slow, pytest.mark.group(1)]", "[mark.slow, mark.group(1)]"),
    ("def make_params(): pass\n[make_params(), 1]", "[?(a call to `make_params` (project code) is only known at run time), 1]"),
    ("import os\nos.environ['X']", "?(`os` is the module `os`, whose attributes are only known at run time)"),
    ("A = B\nB = A\nA", "?(`A` is defined in terms of itself)"),
    ("x = 1\nx = 2\nx", "?(`x` is bound more than once or by an import or loop, so its value is only known at run time)"),
    ("[1][5]", "?(index out of range (IndexError))"),
    ("1 / 0", "?(a division by zero (ZeroDivisionError))"),
    ("9223372036854775807 + 1", "?(an int beyond 64 bits, which fanout does not evaluate)"),
    ("{1, 2}", "?"),
    ("def f(): pass\nf", "<f>"),
    ("str", "<str>"),
    ("R = range(3)\n[repr(R), f'{zip()}', R == [0, 1, 2], list(R), 1 in R]", "[?(the text or identity of a `range()` object), ?(the text or identity of a `zip()` object), ?(the text or identity of a `range()` object), [0, 1, 2], True]"),
    ("str(x for x in 'a')", "?(the text of a generator object)"),
];

#[test]
fn params_marks_and_opaque_values() {
    let mut failures = Vec::new();
    for (source, expected) in SHAPES {
        let seen = eval_last(source);
        if seen.shape != *expected {
            failures.push(format!(
                "{source:?}\n  expected {expected}\n  got      {}",
                seen.shape
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
