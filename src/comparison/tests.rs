use super::*;

fn fanout<'a>(node_id: &'static str, group: Option<&'a GroupId>) -> StaticTest<'a> {
    StaticTest {
        node_id,
        function_node_id: node_id,
        group,
        group_unknown: false,
        runner: None,
        unseen_in: None,
        path: file_of(node_id),
        line: 3,
    }
}

fn pytest(node_id: &str, function: &str, group: Option<GroupId>) -> CollectedItem {
    CollectedItem {
        node_id: node_id.to_owned(),
        function_node_id: function.to_owned(),
        group: group.map_or(MarkReading::Absent, MarkReading::Value),
        runner: MarkReading::Absent,
        marks: Vec::new(),
        location: None,
    }
}

fn kinds(differences: &[Difference]) -> Vec<(DifferenceKind, &str)> {
    differences
        .iter()
        .map(|d| (d.kind, d.node_id.as_str()))
        .collect()
}

#[test]
fn parameter_items_match_the_function_listed_whole() {
    let one = GroupId::Int(1);
    let ours = [fanout("t.py::test_a", Some(&one))];
    let theirs = [
        pytest("t.py::test_a[x]", "t.py::test_a", Some(GroupId::Int(1))),
        pytest("t.py::test_a[y]", "t.py::test_a", Some(GroupId::Int(1))),
    ];
    assert!(compare(&ours, &theirs, &[]).is_empty());
}

#[test]
fn each_parameter_item_is_held_to_the_functions_group() {
    let one = GroupId::Int(1);
    let ours = [fanout("t.py::test_a", Some(&one))];
    let theirs = [
        pytest("t.py::test_a[x]", "t.py::test_a", Some(GroupId::Int(1))),
        pytest(
            "t.py::test_a[y]",
            "t.py::test_a",
            Some(GroupId::Str("1".into())),
        ),
    ];
    let differences = compare(&ours, &theirs, &[]);
    assert_eq!(
        kinds(&differences),
        [(DifferenceKind::Group, "t.py::test_a[y]")]
    );
    assert_eq!(differences[0].pytest.as_deref(), Some("\"1\""));
    assert_eq!(differences[0].fanout.as_deref(), Some("1"));
    assert_eq!(differences[0].line, 3);
}

#[test]
fn tests_only_one_side_has() {
    let ours = [
        fanout("t.py::test_a", None),
        fanout("t.py::test_gone", None),
    ];
    let theirs = [
        pytest("t.py::test_a", "t.py::test_a", None),
        pytest("t.py::test_new", "t.py::test_new", None),
    ];
    assert_eq!(
        kinds(&compare(&ours, &theirs, &[])),
        [
            (DifferenceKind::OnlyPytest, "t.py::test_new"),
            (DifferenceKind::OnlyFanout, "t.py::test_gone"),
        ]
    );
}

#[test]
fn a_file_pytest_cannot_collect_is_not_also_missing_tests() {
    let ours = [fanout("t.py::test_a", None), fanout("u.py::test_b", None)];
    let errors = [CollectionError {
        node_id: "t.py".into(),
        message: "ImportError".into(),
    }];
    assert_eq!(
        kinds(&compare(&ours, &[], &errors)),
        [(DifferenceKind::OnlyFanout, "u.py::test_b")]
    );
}

#[test]
fn a_class_named_whole_covers_what_it_inherits() {
    let two = GroupId::Int(2);
    let mut inside = fanout("t.py::TestX::test_own", Some(&two));
    inside.unseen_in = Some("t.py::TestX");
    let theirs = [
        pytest(
            "t.py::TestX::test_own",
            "t.py::TestX::test_own",
            Some(GroupId::Int(2)),
        ),
        pytest(
            "t.py::TestX::test_inherited",
            "t.py::TestX::test_inherited",
            Some(GroupId::Int(2)),
        ),
        pytest("t.py::TestXY::test_other", "t.py::TestXY::test_other", None),
    ];
    assert_eq!(
        kinds(&compare(&[inside], &theirs, &[])),
        [(DifferenceKind::OnlyPytest, "t.py::TestXY::test_other")]
    );
}

#[test]
fn runners_compare_by_labels() {
    let labels = Runner::Labels(vec!["a".into(), "b".into()]);
    let mut ours = fanout("t.py::test_a", None);
    ours.runner = Some(&labels);
    let mut theirs = pytest("t.py::test_a", "t.py::test_a", None);
    theirs.runner = MarkReading::Value(Runner::Label("a".into()));
    let differences = compare(&[ours], &[theirs], &[]);
    assert_eq!(
        kinds(&differences),
        [(DifferenceKind::Runner, "t.py::test_a")]
    );
    assert_eq!(differences[0].pytest.as_deref(), Some("\"a\""));
    assert_eq!(differences[0].fanout.as_deref(), Some("[\"a\", \"b\"]"));
}

#[test]
fn below_respects_name_boundaries() {
    assert!(below("tests/a.py::test_x", "tests/a.py"));
    assert!(below("tests/a.py::test_x", "tests"));
    assert!(below("tests/a.py", ""));
    assert!(!below("tests/ab.py::test_x", "tests/a"));
    assert!(!below("t.py::TestXY::test", "t.py::TestX"));
}
