use super::*;
use crate::eval::Param;
use std::rc::Rc;

fn s(text: &str) -> Value {
    Value::Str(text.into())
}

fn list(items: Vec<Value>) -> Value {
    Value::List(items.into())
}

fn ids_of(names: &str, values: Value, ids: Option<Value>) -> Result<Vec<String>, Why> {
    let (names, force_tuple) = argnames(&s(names))?;
    let sets = parameter_sets(&values, names.len(), force_tuple)?;
    make_ids(&names, &sets, ids.as_ref(), IdRules::default())
}

#[test]
fn automatic_ids_by_type() {
    let values = list(vec![
        Value::Int(1),
        Value::Int(-2),
        Value::Float(1.5),
        s("a b"),
        Value::Bytes(b"\x00b\xff".as_slice().into()),
        Value::Bool(true),
        Value::None,
        Value::Named("helper".into()),
        list(vec![]),
        Value::Complex {
            real: 0.0,
            imag: 2.0,
        },
    ]);
    let got = ids_of("x", values, None).unwrap_or_default();
    assert_eq!(
        got,
        [
            "1",
            "-2",
            "1.5",
            "a b",
            "\\x00b\\xff",
            "True",
            "None",
            "helper",
            "x8",
            "2j"
        ]
    );
}

#[test]
fn tuples_explicit_ids_params_and_duplicates() {
    let values = list(vec![
        Value::Tuple(vec![Value::Int(1), s("a")].into()),
        Value::Param(Rc::new(Param {
            values: vec![Value::Int(2), s("b")],
            id: Some(s("named")),
            marks: Vec::new(),
        })),
        Value::Tuple(vec![Value::Int(1), s("a")].into()),
    ]);
    assert_eq!(
        ids_of("x, y", values.clone(), None).unwrap_or_default(),
        ["1-a0", "named", "1-a1"]
    );
    let ids = list(vec![s("first"), Value::None, s("first")]);
    assert_eq!(
        ids_of("x,y", values, Some(ids)).unwrap_or_default(),
        ["first0", "named", "first1"]
    );
}

#[test]
fn duplicate_suffixes_skip_ids_already_taken() {
    // pytest: [a0, a0, a, a] -> a0_0, a0_1, then `a` + 0 is free again.
    let got = unique(["a0", "a0", "a", "a"].map(String::from).to_vec());
    assert_eq!(got, ["a0_0", "a0_1", "a0", "a1"]);
    let got = unique(["a", "a", "a0"].map(String::from).to_vec());
    assert_eq!(got, ["a1", "a2", "a0"]);
}

#[test]
fn empty_parameters_are_one_notset_case_and_trailing_comma_wants_tuples() {
    assert_eq!(
        ids_of("x", list(vec![]), None).unwrap_or_default(),
        ["NOTSET"]
    );
    let one = list(vec![Value::Tuple(vec![Value::Int(3)].into())]);
    assert_eq!(ids_of("x,", one.clone(), None).unwrap_or_default(), ["3"]);
    // Without the comma the tuple is the value itself: no id from a tuple.
    assert_eq!(ids_of("x", one, None).unwrap_or_default(), ["x0"]);
}

#[test]
fn long_strings_and_unknowns() {
    let long = "y".repeat(101);
    assert_eq!(
        ids_of("x", list(vec![s(&long), s(&long[..100])]), None).unwrap_or_default(),
        ["x0".to_owned(), long[..100].to_owned()]
    );
    let opaque = Value::opaque(
        Default::default(),
        "a call to `make` is only known at run time",
    );
    let err = ids_of("x", list(vec![opaque.clone()]), None);
    assert_eq!(
        err.map_err(|w| w.reason),
        Err("a call to `make` is only known at run time".to_owned())
    );
    // An explicit id makes an unknown value harmless.
    let param = Value::Param(Rc::new(Param {
        values: vec![opaque],
        id: Some(s("known")),
        marks: Vec::new(),
    }));
    assert_eq!(
        ids_of("x", list(vec![param]), None),
        Ok(vec!["known".into()])
    );
    assert!(ids_of("x, y", list(vec![Value::Int(1)]), None).is_err());
    assert!(ids_of(
        "x",
        list(vec![Value::Int(1)]),
        Some(list(vec![s("a"), s("b")]))
    )
    .is_err());
}

/// Runs python3 on `script` (reading lines from stdin) and returns its stdout lines.
fn python(script: &str, input: &str) -> Option<Vec<String>> {
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(input.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    assert!(out.status.success(), "python3 failed");
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect(),
    )
}

#[test]
fn escaping_matches_python_unicode_escape() {
    let samples = [
        "plain",
        "tab\there",
        "new\nline",
        "back\\slash",
        "é",
        "\u{7f}",
        "\u{1}",
        "日本",
        "\u{1F600}",
        "quote'\"",
        "\u{a0}\u{ff}\u{100}",
    ];
    let input: String = samples
        .iter()
        .map(|s| {
            format!(
                "{}\n",
                s.chars()
                    .map(|c| format!("{:x}", u32::from(c)))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        })
        .collect();
    let Some(want) = python(
        "import sys\nfor l in sys.stdin: print(''.join(chr(int(h,16)) for h in l.split()).encode('unicode_escape').decode('ascii'))",
        &input,
    ) else {
        panic!("python3 is needed for this test");
    };
    let got: Vec<String> = samples
        .iter()
        .map(|s| escape(s, IdRules::default()))
        .collect();
    assert_eq!(got, want);
}
