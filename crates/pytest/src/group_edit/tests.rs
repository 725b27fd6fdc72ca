use super::*;

fn assign(pairs: &[(&str, Option<i64>)]) -> Assignments {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

fn edit(source: &str, pairs: &[(&str, Option<i64>)]) -> Edited {
    edit_group_marks(source, &assign(pairs)).expect("parses")
}

#[test]
fn adds_renumbers_and_removes_keeping_everything_else() {
    let before = "import pytest\n\n\n# setup first\n@pytest.mark.abort_on_fail  # keep me\nasync def test_a(ops_test):\n    pass\n\n\n@pytest.mark.group( 7 )\ndef test_b():\n    pass\n\n\nclass TestC:\n    @pytest.mark.group(2)\n    @pytest.mark.slow\n    def test_d(self):\n        pass\n\n    def test_e(self):\n        pass\n";
    let got = edit(
        before,
        &[
            ("test_a", Some(1)),
            ("test_b", Some(1)),
            ("TestC::test_d", None),
            ("TestC::test_e", Some(2)),
        ],
    );
    assert_eq!(got.skipped, []);
    assert_eq!(
        got.text,
        "import pytest\n\n\n# setup first\n@pytest.mark.group(1)\n@pytest.mark.abort_on_fail  # keep me\nasync def test_a(ops_test):\n    pass\n\n\n@pytest.mark.group(1)\ndef test_b():\n    pass\n\n\nclass TestC:\n    @pytest.mark.slow\n    def test_d(self):\n        pass\n\n    @pytest.mark.group(2)\n    def test_e(self):\n        pass\n"
    );
    let again = edit(
        &got.text,
        &[
            ("test_a", Some(1)),
            ("test_b", Some(1)),
            ("TestC::test_d", None),
            ("TestC::test_e", Some(2)),
        ],
    );
    assert_eq!(again.text, got.text, "idempotent");
}

#[test]
fn keeps_crlf_line_endings() {
    let before = "import pytest\r\n\r\nasync def test_a():\r\n    pass\r\n\r\n@pytest.mark.group(3)\r\ndef test_b():\r\n    pass\r\n";
    let got = edit(before, &[("test_a", Some(1)), ("test_b", None)]);
    assert_eq!(
        got.text,
        "import pytest\r\n\r\n@pytest.mark.group(1)\r\nasync def test_a():\r\n    pass\r\n\r\ndef test_b():\r\n    pass\r\n"
    );
}

#[test]
fn outer_and_parameter_groups_are_reported_not_rewritten() {
    let before = "import pytest\n\npytestmark = pytest.mark.group(1)\n\ndef test_a():\n    pass\n";
    let got = edit(before, &[("test_a", Some(2))]);
    assert_eq!(got.text, before);
    assert_eq!(got.skipped[0].line, 5);
    assert!(got.skipped[0].reason.contains("module `pytestmark`"));

    let before = "import pytest\n\n@pytest.mark.group(1)\nclass TestA:\n    def test_a(self):\n        pass\n";
    let got = edit(before, &[("TestA::test_a", Some(2))]);
    assert_eq!(
        (got.text.as_str(), got.skipped[0].reason.contains("class")),
        (before, true)
    );

    let before = "import pytest\n\n@pytest.mark.parametrize('x', [pytest.param(1, marks=pytest.mark.group(1))])\ndef test_a(x):\n    pass\n";
    let got = edit(before, &[("test_a", Some(2))]);
    assert_eq!(got.text, before);
    assert!(got.skipped[0].reason.contains("parameters"));
}

#[test]
fn no_import_no_insert() {
    let before = "def test_a():\n    pass\n";
    let got = edit(before, &[("test_a", Some(1))]);
    assert_eq!(got.text, before);
    assert!(got.skipped[0].reason.contains("import pytest"));
}

#[test]
fn syntax_errors_are_errors() {
    assert!(edit_group_marks("def (:\n", &assign(&[])).is_err());
}
