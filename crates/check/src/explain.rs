//! `fanout check --explain CODE`: the longer story behind each diagnostic.

use fanout_core::Code;

/// What the code means, why it matters and what to do, with an example.
pub fn explain(code: Code) -> &'static str {
    match code {
        Code::IoError => "A file or directory could not be read (permissions, a vanished file, a special file).\nfanout exits with 2: fix access to the file and run again.",
        Code::PathNotFound => "A PATH argument or a `testpaths` entry does not exist.\nExample: `fanout check tests/integraton`. Check the spelling, or `testpaths` in the pytest config.",
        Code::SymlinkLoop => "A symbolic link points back to one of its parents; fanout does not follow it twice.\nUsually harmless; remove the link if tests are missing.",
        Code::ConfigError => "A pytest config file or `[tool.fanout]` is malformed, e.g. `testpaths = 3` in [tool.pytest].\npytest would fail on it too. The message names the file, line and column.",
        Code::SyntaxError => "A test module does not parse. pytest fails the whole run on it, so fanout reports it\ninstead of guessing its groups. Fix the syntax error.",
        Code::InvalidUtf8 => "A test module is not UTF-8. fanout does not read `# coding:` declarations; re-save the file as UTF-8.",
        Code::DynamicGroupId => "A group id that is only known at run time: f-strings, `.format()`, loop variables, names bound more\nthan once, marks in parameters built by comprehensions.\n\n    @pytest.mark.group(f\"{cloud}-{size}\")   # dynamic-group-id\n\nUse an int or str literal, or a module-level constant assigned once.",
        Code::InvalidGroupId => "A group id that is empty, holds a control character, or one of `\\ / \" ' : < > | * ?`, which break CI\nartifact names. Example: `group(\"a/b\")`. Use letters, digits, spaces and `_ . - + @ , =`.",
        Code::InvalidGroupMark => "A group mark with no id, several ids, or an id that is not an int or str: `@pytest.mark.group`,\n`group(1.5)`. Write exactly one int or str id.",
        Code::DuplicateGroupMark => "Two group marks at one level (function, class with its bases, or module). pytest uses only the closest;\nthe other is almost always a mistake. Keep one.",
        Code::MixedGrouping => "Some tests of a file have a group and others do not. Tests with no group run in no job: CI is green\nand they never ran. Give every test of the file a group (or none, with `ungrouped = \"whole-file\"`).",
        Code::UngroupedFile => "No test of a file has a group. By default this is an error; `ungrouped = \"whole-file\"` in\n[tool.fanout] runs such a file as one job. A `test*.txt` doctest file cannot carry a mark at all.",
        Code::ParameterGroups => "Parameters of one test are in different groups, or only some have one:\n`pytest.param(1, marks=group(1)), pytest.param(2)`. fanout's jobs are per test function: give the\nfunction one group, or split it.",
        Code::RunnerConflict => "Tests of one group ask for different runners with `@pytest.mark.runner(...)`. A job runs on one runner:\nmake them agree, or split the group.",
        Code::InvalidRunner => "`runner` takes a string or a list of strings: `runner([\"self-hosted\", \"large\"])`, not `runner(3)`.",
        Code::NoTests => "No test was found under the paths. Check the paths and `python_files`.",
        Code::ClassNotCollected => "pytest skips a `Test*` class that defines `__init__` or `__new__`, or gets one from `@dataclass` or\nattrs. Its tests never run. Remove the constructor or rename the class.",
        Code::UnresolvedBase => "A test class inherits from a class defined in another module; tests and marks it adds are not seen.\nThe matrix names such a class whole (`path::TestX`) so pytest runs what it inherits. It is an error\nwhen the class has no test fanout can see, or its tests are in several groups. Define test base\nclasses in the test module, or give the class one group.",
        Code::ConditionalTest => "A test defined in an `elif`/`else` branch; fanout assumes the first branch runs. Define tests\nunconditionally and skip them with `@pytest.mark.skipif`.",
        Code::UnsafePath => "A test path that is unsafe to paste into a CI shell line (spaces, quotes, `$`). Rename the file or directory.",
        Code::UnsafeGroupId => "A group id that is unsafe to paste into a CI shell line, e.g. `group(\"a;b\")`. Use a simpler id.",
        Code::InvalidMarkExpression => "A `-m` expression pytest would reject, e.g. `-m \"a and\"`. Fix the expression.",
        Code::UnknownMarker => "A mark used in a test module that is not builtin (parametrize, skip, skipif, xfail, usefixtures,\nfilterwarnings, tryfirst, trylast), not registered in the config file pytest reads or by a conftest.py\n(`config.addinivalue_line(\"markers\", ...)`), not registered by a plugin the project lists, and not in\n`known-markers` in [tool.fanout].\n\n    @pytest.mark.gruop(2)      # unknown-marker; did you mean `group`?\n    def test_deploy(): ...\n\nWith strict markers (`--strict-markers` in addopts, or `strict_markers`/`strict` = true) pytest stops\nthe whole run on it, so it is an error; otherwise pytest only warns and, for a typo of `group`, the test\nsilently gets no group, so it is a warning. Fix near misses; register real markers with\n`fanout check --fix` or in `known-markers` when a plugin fanout does not know registers them.",
        Code::UnregisteredMarker => "The `group` marker (or `runner`) is used but not registered where pytest reads it: the config file\npytest uses, a conftest.py, or a plugin fanout knows registers it (pytest-operator-groups in\nrequirements, tox deps, pyproject dependencies, `pytest_plugins` or `-p` in addopts).\n\n    # pytest.ini exists, so this pyproject.toml table is not read:\n    [tool.pytest.ini_options]\n    markers = [\"group(id): ...\"]\n\n`fanout check --fix` adds the registration to the file pytest reads.",
        Code::IgnoredMarkers => "A config file registers markers that pytest does not read: pytest reads one config file, the first of\npytest.toml, .pytest.toml, pytest.ini, .pytest.ini, pyproject.toml, tox.ini, setup.cfg in the closest\ndirectory that has one, and only its pytest section ([pytest] in ini and pytest.toml files,\n[tool:pytest] in setup.cfg, [tool.pytest] or [tool.pytest.ini_options] in pyproject.toml).\n\n    pytest.ini exists, so the markers in pyproject.toml are not read\n\nMove the registrations to the file pytest reads (`fanout check --fix` registers those the tests use).",
        Code::UncollectedGroupMark => "A group mark on a function pytest does not collect, such as a helper decorated like a test:\n\n    @pytest.mark.group(1)\n    async def verify_endpoints(ops_test): ...\n\nIt is not a test, so the mark puts nothing in a group. Remove the mark, or rename the function so\n`python_functions` matches it if it is meant to be a test.",
        Code::OuterGroupMark => "A group mark on a class or in module-level `pytestmark`. pytest's closest-marker rule and fanout apply it\nto the tests below, but the original `--collect-groups` conftest reads only each function's own marks,\nso runners still using it leave these tests out. Put the mark on each test function if that matters.",
        Code::GroupIdTypeClash => "One file uses the same group id as an int and as a string, `group(1)` and `group(\"1\")`. fanout runs them\nas one job (ids are written as strings), but they are different marks for `-m 'group(...)'` and for the\noriginal conftest. Write every id of a file the same way.",
        Code::GroupZero => "A group id 0. The original `--collect-groups` conftest tested the id for truth, so group 0 counted as\n\"no group\" and its tests were skipped or rejected. Number groups from 1.",
        Code::ImportedTest => "A name that looks like a test is imported into a test module (`from helpers import test_x`).\npytest collects it there as a test of this module too. Import the module instead, or rename the function.",
        Code::TooManyJobs => "The matrix would have more (test file, group) jobs than `max-jobs` in [tool.fanout];\n`fanout matrix` refuses to write it. Merge small groups or raise `max-jobs`.",
        Code::DoctestModules => "`--doctest-modules` is in addopts: pytest collects the examples in the docstrings of every\nmodule, and those items carry no group, so no job runs them. Run doctests in a separate CI step.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_explained() {
        for code in Code::ALL {
            assert!(explain(*code).len() > 40, "{code}");
        }
    }
}
