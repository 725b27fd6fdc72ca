//! Library classes that derive from `unittest.TestCase`: a class with one of them among its
//! bases is collected by pytest's unittest plugin whatever its name. Matched by the module
//! path the name is imported from, never by the bare class name.

/// (module, class): every entry is a `unittest.TestCase` subclass in that library's source.
const TESTCASE_BASES: &[(&str, &str)] = &[
    // cpython Lib/unittest/case.py: the base class itself, and `FunctionTestCase(TestCase)`.
    ("unittest", "TestCase"),
    ("unittest.case", "TestCase"),
    ("unittest", "FunctionTestCase"),
    ("unittest.case", "FunctionTestCase"),
    // cpython Lib/unittest/async_case.py: `class IsolatedAsyncioTestCase(TestCase)`.
    ("unittest", "IsolatedAsyncioTestCase"),
    ("unittest.async_case", "IsolatedAsyncioTestCase"),
    // tornado/testing.py: `AsyncTestCase(unittest.TestCase)`, `AsyncHTTPTestCase(AsyncTestCase)`,
    // `AsyncHTTPSTestCase(AsyncHTTPTestCase)`.
    ("tornado.testing", "AsyncTestCase"),
    ("tornado.testing", "AsyncHTTPTestCase"),
    ("tornado.testing", "AsyncHTTPSTestCase"),
    // twisted/trial/_synctest.py: `SynchronousTestCase(_Assertions)` with `_Assertions(
    // pyunit.TestCase)`; twisted/trial/_asynctest.py: `TestCase(SynchronousTestCase)`.
    ("twisted.trial.unittest", "TestCase"),
    ("twisted.trial.unittest", "SynchronousTestCase"),
    // django/test/testcases.py: `SimpleTestCase(unittest.TestCase)`, `TransactionTestCase(
    // SimpleTestCase)`, `TestCase(TransactionTestCase)`, `LiveServerTestCase(
    // TransactionTestCase)`; django/contrib/staticfiles/testing.py: `StaticLiveServerTestCase(
    // LiveServerTestCase)`.
    ("django.test", "SimpleTestCase"),
    ("django.test", "TestCase"),
    ("django.test", "TransactionTestCase"),
    ("django.test", "LiveServerTestCase"),
    ("django.test.testcases", "SimpleTestCase"),
    ("django.test.testcases", "TestCase"),
    ("django.test.testcases", "TransactionTestCase"),
    ("django.test.testcases", "LiveServerTestCase"),
    (
        "django.contrib.staticfiles.testing",
        "StaticLiveServerTestCase",
    ),
    // pyfakefs/fake_filesystem_unittest.py: `TestCase(unittest.TestCase, TestCaseMixin)`.
    ("pyfakefs.fake_filesystem_unittest", "TestCase"),
    // asynctest/case.py: `class TestCase(unittest.TestCase)`.
    ("asynctest", "TestCase"),
    ("asynctest.case", "TestCase"),
];

/// Whether the fully qualified `module.Class` is a library `unittest.TestCase` subclass.
pub fn is_testcase(qualified: &str) -> bool {
    let Some((module, class)) = qualified.rsplit_once('.') else {
        return false;
    };
    TESTCASE_BASES
        .iter()
        .any(|&(m, c)| m == module && c == class)
}

/// Bases that add nothing pytest looks at.
pub fn is_harmless(qualified: &str) -> bool {
    matches!(
        qualified,
        "builtins.object"
            | "abc.ABC"
            | "typing.Generic"
            | "typing.Protocol"
            | "typing_extensions.Protocol"
            | "typing_extensions.Generic"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matched_by_module_path_not_bare_name() {
        assert!(is_testcase("unittest.TestCase"));
        assert!(is_testcase("django.test.TestCase"));
        assert!(is_testcase("twisted.trial.unittest.TestCase"));
        assert!(!is_testcase("mylib.TestCase"));
        assert!(!is_testcase("TestCase"));
    }
}
