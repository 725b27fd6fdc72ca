use super::*;

const XML: &str = r#"<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="1" skipped="2" tests="5" time="12.5" timestamp="2026-11-27T18:03:17.5+01:00" hostname="vm"><testcase classname="tests.test_x.TestK" name="test_a" time="10.25" /><testcase classname="tests.test_x.TestK" name="test_p[a::b]" time="0.001" /><testcase classname="tests.test_x" name="test_fail" time="0.004"><failure message="assert 0">def test_fail():
&gt;       assert 0</failure></testcase><testcase classname="tests.test_x" name="test_skip" time="0.000"><skipped type="pytest.skip" message="skip">x</skipped></testcase><testcase classname="tests.test_x" name="test_xf" time="0.001"><skipped type="pytest.xfail" message="" /></testcase></testsuite></testsuites>"#;

#[test]
fn reads_pytest_junit_into_one_job() {
    let job = read_job(XML, "junit.xml", &|p| p == "tests/test_x.py").expect("parses");
    let ids: Vec<&str> = job.tests.iter().map(|t| t.node_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "tests/test_x.py::TestK::test_a",
            "tests/test_x.py::TestK::test_p[a::b]",
            "tests/test_x.py::test_fail",
            "tests/test_x.py::test_skip",
            "tests/test_x.py::test_xf"
        ]
    );
    let outcomes: Vec<Outcome> = job.tests.iter().map(|t| t.outcome).collect();
    use Outcome::*;
    assert_eq!(outcomes, [Passed, Passed, Failed, Skipped, Xfailed]);
    assert_eq!(job.tests[0].call, 10.25);
    assert_eq!(job.status, JobStatus::Failed);
    assert_eq!(job.path_to_test_file.as_deref(), Some("tests/test_x.py"));
    assert_eq!(job.start, 1_795_798_997.5);
    assert_eq!(job.duration(), 12.5);
}

#[test]
fn node_ids_without_files_take_capitalised_tails_as_classes() {
    let none = |_: &str| false;
    assert_eq!(node_id("a.b.TestC", "t", None, &none), "a/b.py::TestC::t");
    assert_eq!(node_id("test_x", "t[1]", None, &none), "test_x.py::t[1]");
    assert_eq!(
        node_id("pkg.Mod.TestC", "t", Some("pkg/Mod.py"), &none),
        "pkg/Mod.py::TestC::t"
    );
}

#[test]
fn refuses_what_is_not_junit() {
    assert!(matches!(
        read_job("<html></html>", "x", &|_| false),
        Err(JunitError::NoSuite)
    ));
    assert!(matches!(
        read_job("<testsuite><testcase></testsuite>", "x", &|_| false),
        Err(JunitError::Xml { .. })
    ));
}

#[test]
fn timestamps_with_and_without_offsets() {
    assert_eq!(parse_timestamp("1970-01-01T00:00:00"), Some(0.0));
    assert_eq!(parse_timestamp("2000-03-01T00:00:00Z"), Some(951_868_800.0));
    assert_eq!(
        parse_timestamp("2000-03-01T01:30:00+01:30"),
        Some(951_868_800.0)
    );
    assert_eq!(parse_timestamp("yesterday"), None);
}
