//! The evaluator against a real CPython: the same expressions, the same reprs.

use super::eval_last;
use std::fmt::Write as _;
use std::process::Command;

/// (module prelude, expression) pairs CPython and fanout must agree on exactly.
const AGREE: &[(&str, &str)] = &[
    ("", "[1.0, 2.5, 1e16, 1e15, 123456789012345678.0, 1e-4, 1e-5, 0.1 * 3, 5e-324, 1.7976931348623157e308]"),
    ("", "[-0.0, 1/3, 2/3, 10/4, 7.0 // 2, -7.0 // 2, 7.5 % -2, -7.5 % 2, 2 ** -1, 2.0 ** 0.5]"),
    ("", "[float('nan'), float('-inf'), 1e300 * 1e300, -1e300 * 1e300]"),
    ("", "[2j, 1+2j, 1-2j, -2j, 1.5j, 0j, (1+0j), complex(1, -0.0) if False else 1e20j]"),
    ("", "[7 // 3, -7 // 3, 7 % -3, -7 % -3, 2 ** 62, -(2 ** 62) * 2, 1 << 10, -9 >> 1, ~5, 6 & 3, 6 | 3, 6 ^ 3]"),
    ("", "[1 == 1.0, 1 == True, 0.5 < 1, 'a' < 'b', (1, 2) < (1, 3), [1] < [1, 0], 1 != 1.0, 2 ** 53 + 1 == 2.0 ** 53]"),
    ("", "['it\\'s', 'say \"hi\"', 'both \\' \"', 'tab\\there', 'nl\\n', 'bell\\x07', 'del\\x7f', '\\x85\\xa0\\xad', 'é', '中文', '\\u2028', '\\U0001f600', '\\u0301a', 'a\\u0301']"),
    ("", "[b'', b'a', b\"'\", b'\"', b'\\x00\\x7f\\x80', bytes(3) if False else b'\\\\']"),
    ("", "[(1,), (), ((),), [()], {'a': [1, (2,)]}, {(1, 2): {3: None}}, {1: True, 2: False}]"),
    ("", "[str(1.0), str(True), str(None), str([1, 'a']), str((1,)), str(b'x'), repr('x'), str('x')]"),
    ("x = 3.14159\nn = 42\ns = 'abc'", "[f'{x:.2f}', f'{x:10.3f}|', f'{n:5d}|', f'{n:<5}|', f'{n:^7}|', f'{n:*>6}', f'{n:+d}', f'{-n:05d}', f'{n:x}', f'{n:X}', f'{n:o}', f'{n:b}', f'{s:>6}', f'{s:.2}', f'{s!r}', f'{s!a}', f'{\"é\"!a}', f'{n:0>3}', f'{True:>5}', f'{x}', f'{1e20}', f'{-0.0:.1f}', f'{2.5:.0f}', f'{0.125:.2f}', f'{x:+.1f}', f'{n:f}']"),
    ("", "['%s' % 'a', '%s %s' % (1, 'b'), '%d' % 3.99, '%r' % 'q', '%05.2f' % 3.14159, '%5s|' % 'ab', '%-5s|' % 'ab', '%x' % 255, '%%' % (), '%i' % True, '%+d' % 5, '%.3f' % 2, '%s' % (None,), '%s' % [1]]"),
    ("", "['{}-{}'.format(1, 2), '{1}{0}'.format('a', 'b'), '{x}{y!r}'.format(x=1, y='z'), '{:>4}'.format('a'), '{{}}{}'.format(3), '{:.1f}'.format(2.25)]"),
    ("", "['a-b-c'.split('-'), 'a b  c'.split(), 'a-b-c'.split('-', 1), ' x '.strip(), 'xxaxx'.strip('x'), 'aaa'.replace('a', 'b', 2), 'ab'.upper(), 'AB'.lower(), 'abc'.startswith(('x', 'a')), 'abc'.endswith('bc'), ','.join(['1', '2']), ' a b '.split(None, 1), '  a'.lstrip(), 'a  '.rstrip()]"),
    ("D = {'a': 1, 'b': 2}", "[list(D.keys()), list(D.values()), list(D.items()), D.get('a'), D.get('z'), D.get('z', 0), D['b'], 'a' in D, 3 in D]"),
    ("L = [3, 1, 2, 1]", "[L.index(1), L.count(1), sorted(L), sorted(L, reverse=True), min(L), max(L), sum(L), len(L), any(L), all([]), list(reversed(L)), L[::-1], L[1:3], L[-2:], L[:-10], L[10:], L[::2], L[-1::-2]]"),
    ("", "[list(range(5)), list(range(2, 10, 3)), list(range(10, 0, -3)), list(range(0)), list(range(5, 2))]"),
    ("", "[int('12'), int(' -3 '), int('1_000'), int('ff', 16), int('0x1f', 0), int(3.9), int(-3.9), float('1.5'), float(' 2 '), float('1e3'), bool(0), bool('x'), abs(-3), abs(-2.5), abs(3+4j)]"),
    ("", "[min(3, 1, 2), max('a', 'b'), min([], default=5), sum([0.1, 0.2]), sum([[1], [2]], []), tuple('ab'), set('a'), dict([(1, 2)]), dict(a=1)]"),
    ("", "[[x for x in 'abc' if x != 'b'], sorted({x % 3 for x in range(10) if x < 2}), {x % 1 for x in range(3)}, {k: k * 2 for k in range(3)}, list(x + y for x in 'ab' for y in 'cd'), [(i, j) for i, j in enumerate('xy')], [a + b for (a, b), c in [((1, 2), 3)]]]"),
    ("", "[1 if 0 else 2, 0 or [], 'a' and 'b', not 0, not 'x', -True, +False, 3 in [1, 2, 3], 'b' in 'abc', 4 not in (1,), None is None, 1 < 2 < 3 > 2]"),
    ("", "['ab' * 3, [1] * 3, (1, 2) * 2, 2 * 'x', 'x' * -1, [0] * 0, 'a' + 'b', [1] + [2], (1,) + (2,), True + True, 3 * 1.5, 7 / 2, 2 ** 10, 2 ** 0.5, 10 % 3.5]"),
    ("from enum import Enum, IntEnum\nclass C(Enum):\n    A = 'a'\n    B = 2\nclass N(IntEnum):\n    ONE = 1\n    TWO = 2", "[C.A, C.B, C.A.value, C.B.name, list(C), [c.value for c in C], str(C.A), f'{C.B}', N.ONE, N.TWO.value, N.ONE == 1, N.TWO + 1, C.A == 'a', len(C), sorted([N.TWO, N.ONE])]"),
    ("import pytest\nX = 'x'", "[X, f'{X}-1', X.upper()]"),
    ("", "[1 == 1 == 1.0, (1, 'a') == (1.0, 'a'), [1] == (1,), {1, 2} == {2, 1}, {'a': 1, 'b': 2} == {'b': 2, 'a': 1}, 1 == '1', None == 0, 0.1 + 0.2 == 0.3]"),
];

/// Expressions CPython rejects: fanout must not give a value for them.
const PYTHON_RAISES: &[&str] = &[
    "1 / 0",
    "1 % 0",
    "[1][2]",
    "{'a': 1}['b']",
    "'a' + 1",
    "[1] < ['a']",
    "int('x')",
    "{[1]: 2}",
    "'%d' % 'a'",
    "'%s %s' % (1,)",
    "'%s' % (1, 2)",
    "'{}{}'.format(1)",
    "f'{\"a\":d}'",
    "f'{1:s}'",
    "min([])",
    "[1, 2].index(3)",
    "(0.0) ** -1",
    "{}.get()",
    "'a'.split('')",
    "range(1, 2, 0)",
    "[a for a, b in [(1, 2, 3)]]",
    "sorted([1, 'a'])",
    "(-8) ** 0.5 < 0",
    "f'{None:>3}'",
];

/// Hex of UTF-8 text, so test strings reach Python without quoting questions.
fn hex(text: &str) -> String {
    text.bytes().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn unhex(text: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

/// The repr CPython gives for each (prelude, expression), None when it raises.
fn cpython_reprs(cases: &[(String, String)]) -> Option<Vec<Option<String>>> {
    let mut script = String::from(
        "import sys, types\nsys.modules['pytest'] = types.ModuleType('pytest')\ncases = [\n",
    );
    for (prelude, expr) in cases {
        let _ = writeln!(script, "  ('{}', '{}'),", hex(prelude), hex(expr));
    }
    script.push_str(
        "]\nfor prelude, expr in cases:\n    ns = {}\n    try:\n        exec(bytes.fromhex(prelude).decode(), ns)\n        \
         print(repr(eval(bytes.fromhex(expr).decode(), ns)).encode().hex())\n    except Exception:\n        print('-')\n",
    );
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("cases.py");
    std::fs::write(&path, script).ok()?;
    let output = match Command::new("python3").arg(&path).output() {
        Ok(output) => output,
        Err(e) => {
            eprintln!("SKIPPED: no python3 to compare with ({e})");
            return None;
        }
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).ok()?;
    Some(
        stdout
            .lines()
            .map(|l| if l == "-" { None } else { unhex(l) })
            .collect(),
    )
}

/// Evaluates each case with fanout and compares with CPython.
pub(super) fn compare_with_cpython(cases: &[(String, String)], python_raises_ok: bool) {
    let Some(expected) = cpython_reprs(cases) else {
        return;
    };
    assert_eq!(expected.len(), cases.len());
    let mut failures = Vec::new();
    for ((prelude, expr), python) in cases.iter().zip(expected) {
        let seen = eval_last(&format!("{prelude}\n{expr}\n"));
        let agrees = match (&python, &seen.repr) {
            (Some(p), Some(f)) => p == f,
            (None, None) => true,
            (None, Some(_)) => false,
            // A negative number to a fractional power is complex: fanout leaves it opaque.
            (Some(p), None) => python_raises_ok && (p.ends_with("j)") || p.ends_with("j)'")),
        };
        if !agrees {
            failures.push(format!(
                "{expr}\n  python: {python:?}\n  fanout: {:?} ({:?})",
                seen.repr, seen.unknown
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn reprs_agree_with_cpython() {
    let cases: Vec<(String, String)> = AGREE
        .iter()
        .map(|(p, e)| ((*p).to_owned(), (*e).to_owned()))
        .collect();
    compare_with_cpython(&cases, false);
}

#[test]
fn what_cpython_rejects_is_opaque() {
    let cases: Vec<(String, String)> = PYTHON_RAISES
        .iter()
        .map(|e| (String::new(), (*e).to_owned()))
        .collect();
    compare_with_cpython(&cases, true);
}

/// Pseudo-random arithmetic and string expressions (a fixed-seed generator: reproducible,
/// and one Python run for all of them).
#[test]
fn random_expressions_agree_with_cpython() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    const ATOMS: &[&str] = &[
        "0", "1", "-3", "7", "2.5", "-0.5", "1e20", "3e-7", "True", "10", "0.1",
    ];
    const OPS: &[&str] = &["+", "-", "*", "/", "//", "%", "**", "<", "==", "and", "or"];
    let mut cases = Vec::new();
    for _ in 0..400 {
        let mut expr = ATOMS[next(ATOMS.len() as u64) as usize].to_owned();
        for _ in 0..next(4) + 1 {
            let op = OPS[next(OPS.len() as u64) as usize];
            let atom = ATOMS[next(ATOMS.len() as u64) as usize];
            expr = format!("({expr} {op} {atom})");
        }
        let wrapped = match next(4) {
            0 => format!("repr({expr})"),
            1 => format!("f'{{{expr}}}'"),
            2 => format!("'%s' % ({expr},)"),
            _ => expr,
        };
        cases.push((String::new(), wrapped));
    }
    compare_with_cpython(&cases, true);
}
