//! How a group mark is spelled: import forms, aliases, constants, keyword ids; and the marks
//! fanout must flag rather than guess.

use super::compare::{assert_matches_pytest, tests};
use crate::e2e::project::Project;

#[test]
fn import_forms_and_aliases() {
    let p = Project::new();
    p.file(
        "tests/test_plain.py",
        r#"
        import pytest

        @pytest.mark.group(1)
        def test_int():
            pass

        @pytest.mark.abort_on_fail
        @pytest.mark.group("smoke")
        @pytest.mark.skip_if_deployed
        async def test_str_stacked():
            pass

        @pytest.mark.group(id="kw")
        def test_keyword():
            pass

        @pytest.mark.group(0)
        def test_zero_is_a_group():
            pass

        @pytest.mark.group("large deployment")
        def test_space():
            pass
        "#,
    )
    .file(
        "tests/test_import_as.py",
        r#"
        import pytest as pt

        @pt.mark.group(2)
        def test_pt():
            pass
        "#,
    )
    .file(
        "tests/test_from_mark.py",
        r#"
        from pytest import mark

        @mark.group(3)
        def test_mark():
            pass
        "#,
    )
    .file(
        "tests/test_from_mark_as.py",
        r#"
        from pytest import mark as m

        @m.group("m")
        def test_m():
            pass
        "#,
    )
    .file(
        "tests/test_aliases.py",
        r#"
        import pytest

        g1 = pytest.mark.group(1)
        grp = pytest.mark.group

        @g1
        def test_alias_mark():
            pass

        @grp("two")
        def test_alias_factory():
            pass
        "#,
    )
    .file(
        "tests/test_constants.py",
        r#"
        import pytest

        SMALL = "small"
        BIG: int = 10

        @pytest.mark.group(SMALL)
        def test_str_constant():
            pass

        @pytest.mark.group(id=BIG)
        def test_annotated_int_constant():
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    assert_eq!(compared.node_ids().len(), 12, "every spelling is a test");
    assert!(
        tests(&compared.fanout)
            .iter()
            .all(|t| !t["group_id"].is_null()),
        "every spelling is resolved: {:#}",
        compared.fanout
    );
}

#[test]
fn names_that_are_not_pytest_marks() {
    let p = Project::new();
    p.file(
        "tests/test_lookalikes.py",
        r#"
        import pytest

        def group(n):
            return lambda f: f

        class mark:
            @staticmethod
            def group(n):
                return lambda f: f

        @pytest.mark.group(1)
        def test_real():
            pass

        @group(2)
        @pytest.mark.group(1)
        def test_local_group_function():
            pass

        @mark.group(3)
        @pytest.mark.group(1)
        def test_local_mark_class():
            pass
        "#,
    );
    assert_matches_pytest(&p, &[]);
}

#[test]
fn rebound_constant_takes_the_value_at_decoration_time() {
    let p = Project::new();
    p.file(
        "tests/test_rebound.py",
        r#"
        import pytest

        NAME = "first"

        @pytest.mark.group(NAME)
        def test_first():
            pass

        NAME = "second"

        @pytest.mark.group(NAME)
        def test_second():
            pass
        "#,
    );
    // Either fanout resolves both as pytest does, or it flags them; never a wrong id.
    assert_matches_pytest(&p, &[]);
}

/// Ids computed from module data are evaluated statically, as pytest computes them.
#[test]
fn computed_ids_are_evaluated() {
    let p = Project::new();
    p.file(
        "tests/test_computed.py",
        r#"
        import pytest

        PREFIX = "db"
        SIZES = {"small": 1, "large": 2}
        NAMES = [f"{PREFIX}-{size}" for size in SIZES]

        @pytest.mark.group(f"{PREFIX}-1")
        def test_fstring():
            pass

        @pytest.mark.group("{}-2".format(PREFIX))
        def test_format():
            pass

        @pytest.mark.group("%s-%03d" % (PREFIX, SIZES["large"]))
        def test_percent():
            pass

        @pytest.mark.group(NAMES[-1].upper())
        def test_subscript():
            pass

        @pytest.mark.group(len(SIZES) * 10 + 1)
        def test_arithmetic():
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    assert!(compared
        .fanout_codes_in("tests/test_computed.py")
        .is_empty());
    assert_eq!(
        compared.fanout_test("tests/test_computed.py::test_subscript")["group_id"],
        "DB-LARGE"
    );
}

/// Ids only known at run time are errors at the id, never guesses.
#[test]
fn dynamic_ids_are_flagged() {
    let p = Project::new();
    p.file(
        "tests/test_dynamic.py",
        r#"
        import os
        import pytest

        SUFFIXES = ["a"]

        @pytest.mark.group(os.environ.get("GROUP", "g"))
        def test_environment():
            pass

        def name():
            return "n"

        @pytest.mark.group(name())
        def test_project_function():
            pass

        for SUFFIX in SUFFIXES:
            pass

        @pytest.mark.group(SUFFIX)
        def test_loop_variable():
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    compared.assert_fanout_reports("tests/test_dynamic.py", "dynamic-group-id");
    let lines: Vec<u64> = compared.fanout["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
        .iter()
        .filter(|d| d["code"] == "dynamic-group-id")
        .filter_map(|d| d["line"].as_u64())
        .collect();
    assert_eq!(lines, [6, 13, 20], "one diagnostic at each dynamic id");
    for node in [
        "test_environment",
        "test_project_function",
        "test_loop_variable",
    ] {
        let id = format!("tests/test_dynamic.py::{node}");
        assert!(
            compared.oracle_item(&id).group.is_some(),
            "pytest sees a group on {id}"
        );
        assert!(
            compared.fanout_test(&id)["group_id"].is_null(),
            "fanout guesses no id for {id}"
        );
    }
}

#[test]
fn two_group_marks_on_one_function() {
    let p = Project::new();
    p.file(
        "tests/test_twice.py",
        r#"
        import pytest

        @pytest.mark.group(1)
        @pytest.mark.group(2)
        def test_twice():
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    compared.assert_fanout_reports("tests/test_twice.py", "duplicate-group-mark");
    assert_eq!(
        compared
            .oracle_item("tests/test_twice.py::test_twice")
            .group_count_at_level,
        2
    );
}

#[test]
fn malformed_group_marks() {
    let p = Project::new();
    let cases = [
        (
            "test_no_args.py",
            "@pytest.mark.group()",
            "invalid-group-mark",
        ),
        (
            "test_two_args.py",
            "@pytest.mark.group(1, 2)",
            "invalid-group-mark",
        ),
        (
            "test_float.py",
            "@pytest.mark.group(1.5)",
            "invalid-group-mark",
        ),
        (
            "test_slash.py",
            r#"@pytest.mark.group("a/b")"#,
            "invalid-group-id",
        ),
        (
            "test_empty.py",
            r#"@pytest.mark.group("")"#,
            "invalid-group-id",
        ),
        (
            "test_colon.py",
            r#"@pytest.mark.group(id="x:y")"#,
            "invalid-group-id",
        ),
    ];
    for (file, decorator, _) in cases {
        p.file(
            &format!("tests/{file}"),
            &format!("import pytest\n\n{decorator}\ndef test_it():\n    pass\n"),
        );
    }
    let compared = assert_matches_pytest(&p, &[]);
    for (file, decorator, code) in cases {
        let path = format!("tests/{file}");
        compared.assert_fanout_reports(&path, code);
        let item = compared.oracle_item(&format!("{path}::test_it"));
        let group = item.group.as_ref().expect("pytest sees the mark");
        let ids: Vec<&serde_json::Value> =
            group.args.iter().chain(group.kwargs.get("id")).collect();
        let one_id = ids.len() == 1 && group.kwargs.keys().all(|k| k == "id");
        let int_or_str = ids
            .iter()
            .all(|id| id.is_string() || id.is_i64() || id.is_u64());
        if code == "invalid-group-mark" {
            assert!(
                !(one_id && int_or_str),
                "{decorator}: pytest sees one int/str id {ids:?}, yet fanout calls the mark invalid"
            );
        } else {
            assert!(
                one_id && ids[0].is_string(),
                "{decorator}: pytest sees {ids:?}"
            );
        }
    }
}
