//! The pytest plugins fanout knows the markers of: the one table, each entry with the line of
//! the plugin's source that registers its markers. Only plugins whose source was read are here;
//! pytest-randomly, pytest-env and pytest-httpserver were read too and register no marker.

/// A plugin and the markers it registers when pytest loads it.
#[derive(Debug, PartialEq, Eq)]
pub struct Plugin {
    /// Distribution name, normalized (PEP 503); `None` for a plugin that ships with pytest and
    /// is loaded only on request (`-p pytester`).
    pub package: Option<&'static str>,
    /// The modules that load it: `pytest_plugins` and `-p` name one of these.
    pub modules: &'static [&'static str],
    /// Its `pytest11` entry-point name (or pytest's name for a builtin): `-p NAME` and
    /// `-p no:NAME` use it.
    pub entry_point: &'static str,
    pub markers: &'static [&'static str],
    /// Where the plugin registers them (`config.addinivalue_line("markers", ...)`).
    pub source: &'static str,
    /// Whether the names mean this plugin wherever they are used: then a mark of them without
    /// the plugin does nothing, so `--fix` never registers it and the hint says to load the
    /// plugin. `false` for names projects often register for themselves (`slow`).
    pub owns_names: bool,
}

impl Plugin {
    /// How messages name it.
    pub fn name(&self) -> &'static str {
        self.package.unwrap_or(self.entry_point)
    }
}

pub const KNOWN: &[Plugin] = &[
    Plugin {
        package: Some("anyio"),
        modules: &["anyio.pytest_plugin"],
        entry_point: "anyio",
        markers: &["anyio"],
        source: "https://github.com/agronholm/anyio/blob/660a06d548ca72759e9d89ed722dd1ad5227afe4/src/anyio/pytest_plugin.py#L115",
        owns_names: true,
    },
    Plugin {
        package: Some("hypothesis"),
        modules: &["_hypothesis_pytestplugin"],
        entry_point: "hypothesispytest",
        markers: &["hypothesis"],
        source: "https://github.com/HypothesisWorks/hypothesis/blob/master/hypothesis-python/src/_hypothesis_pytestplugin.py (pytest_configure)",
        owns_names: true,
    },
    Plugin {
        package: Some("pytest-asyncio"),
        modules: &["pytest_asyncio.plugin", "pytest_asyncio"],
        entry_point: "asyncio",
        markers: &["asyncio"],
        source: "https://github.com/pytest-dev/pytest-asyncio/blob/937525ed7e00ae706d74dc3571bc5e47f6270922/pytest_asyncio/plugin.py#L306",
        owns_names: true,
    },
    Plugin {
        package: Some("pytest-benchmark"),
        modules: &["pytest_benchmark.plugin", "pytest_benchmark"],
        entry_point: "benchmark",
        markers: &["benchmark"],
        source: "https://github.com/ionelmc/pytest-benchmark/blob/47d66c88b84b5b11cc78e465cfc655d0a02de740/src/pytest_benchmark/plugin.py#L531",
        owns_names: true,
    },
    Plugin {
        package: Some("pytest-dependency"),
        modules: &["pytest_dependency"],
        entry_point: "dependency",
        markers: &["dependency"],
        source: "https://github.com/RKrahl/pytest-dependency/blob/5a27a67b2b5e3bfa42614577628f150eb5a469b9/src/pytest_dependency.py#L142",
        owns_names: true,
    },
    Plugin {
        package: Some("pytest-django"),
        modules: &["pytest_django.plugin", "pytest_django"],
        entry_point: "django",
        markers: &[
            "django_db",
            "urls",
            "django_isolate_apps",
            "ignore_template_errors",
        ],
        source: "https://github.com/pytest-dev/pytest-django/blob/67f97981cd444cabbbe4562ff172c466d85b4d1b/pytest_django/plugin.py#L283-L308",
        owns_names: true,
    },
    Plugin {
        package: Some("pytest-httpx"),
        modules: &["pytest_httpx"],
        entry_point: "pytest_httpx",
        markers: &["httpx_mock"],
        source: "https://github.com/Colin-b/pytest_httpx/blob/dbc20d7c55db0785026ce2b7a71779790b7cb20d/pytest_httpx/__init__.py#L75",
        owns_names: true,
    },
    Plugin {
        package: Some("pytest-mpl"),
        modules: &["pytest_mpl.plugin", "pytest_mpl"],
        entry_point: "pytest_mpl",
        markers: &["mpl_image_compare"],
        source: "https://github.com/matplotlib/pytest-mpl/blob/f58f8b6d8edc49457ce6682f1284f04c89e8561d/pytest_mpl/plugin.py#L230",
        owns_names: true,
    },
    Plugin {
        package: Some("pytest-operator"),
        modules: &["pytest_operator.plugin", "pytest_operator"],
        entry_point: "pytest-operator",
        markers: &["abort_on_fail", "skip_if_deployed"],
        source: "https://github.com/charmed-kubernetes/pytest-operator/blob/7a450fed671d305a553f8ba69e87640b6bc32bc1/pytest_operator/plugin.py#L172-L173",
        owns_names: true,
    },
    Plugin {
        // Removed from data-platform-workflows in 2026-03; the last version registers both.
        package: Some("pytest-operator-groups"),
        modules: &["pytest_operator_groups._plugin", "pytest_operator_groups"],
        entry_point: "operator_groups",
        markers: &["group", "runner"],
        source: "https://github.com/canonical/data-platform-workflows/blob/110284a652ffdeb77c7c6c76576b563a55c0b72c/python/pytest_plugins/pytest_operator_groups/pytest_operator_groups/_plugin.py#L28-L31",
        // fanout's own markers: `--fix` registers them.
        owns_names: false,
    },
    Plugin {
        package: Some("pytest-order"),
        modules: &["pytest_order.plugin", "pytest_order"],
        entry_point: "pytest_order",
        markers: &["order"],
        source: "https://github.com/pytest-dev/pytest-order/blob/1366bc6c16588cdcd8c7eda989198c0b70e0db8e/src/pytest_order/plugin.py#L24-L27",
        owns_names: true,
    },
    Plugin {
        package: Some("pytest-rerunfailures"),
        modules: &["pytest_rerunfailures"],
        entry_point: "rerunfailures",
        markers: &["flaky"],
        source: "https://github.com/pytest-dev/pytest-rerunfailures/blob/eab650fb2a2665d61539aafda81ae549440c2834/src/pytest_rerunfailures.py#L574",
        owns_names: true,
    },
    Plugin {
        package: Some("pytest-skip-slow"),
        modules: &["pytest_skip_slow"],
        entry_point: "skip_slow",
        markers: &["slow", "hugemem"],
        source: "https://github.com/okken/pytest-skip-slow/blob/3827a954e92d54fc08cd5be811f4986be5e3d644/pytest_skip_slow.py#L13-L14",
        owns_names: false,
    },
    Plugin {
        package: Some("pytest-timeout"),
        modules: &["pytest_timeout"],
        entry_point: "timeout",
        markers: &["timeout"],
        source: "https://github.com/pytest-dev/pytest-timeout/blob/16edd491cb2d65bfd6e0bc1d64173450cf23a01f/pytest_timeout.py#L143",
        owns_names: true,
    },
    Plugin {
        package: Some("pytest-trio"),
        modules: &["pytest_trio.plugin", "pytest_trio"],
        entry_point: "trio",
        markers: &["trio"],
        source: "https://github.com/python-trio/pytest-trio/blob/f0168502bc3340f22b8b80ed388efa1a26883aa8/pytest_trio/plugin.py#L42",
        owns_names: true,
    },
    Plugin {
        package: Some("pytest-xdist"),
        modules: &["xdist.plugin", "xdist"],
        entry_point: "xdist",
        markers: &["xdist_group"],
        source: "https://github.com/pytest-dev/pytest-xdist/blob/f63b6a25b4eb932385c6ee4651eac5c08fbd3a20/src/xdist/plugin.py#L381",
        owns_names: true,
    },
    Plugin {
        // Ships with pytest but is not loaded by default (`builtin_plugins`, not `default_plugins`).
        package: None,
        modules: &["pytester", "_pytest.pytester"],
        entry_point: "pytester",
        markers: &["pytester_example_path"],
        source: "https://github.com/pytest-dev/pytest/blob/df87db7b0462fb764ef73fa00561adf8ad047572/src/_pytest/pytester.py#L117",
        owns_names: true,
    },
];

/// The known plugin that registers `marker` and owns the name, if one does.
pub fn owner_of(marker: &str) -> Option<&'static Plugin> {
    KNOWN
        .iter()
        .find(|p| p.owns_names && p.markers.contains(&marker))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_entry_is_sourced_and_unique() {
        let mut names = HashSet::new();
        let mut markers = HashSet::new();
        for p in KNOWN {
            assert!(p.source.starts_with("https://github.com/"), "{p:?}");
            assert!(!p.modules.is_empty() && !p.markers.is_empty(), "{p:?}");
            assert!(names.insert(p.name()), "{} twice", p.name());
            for m in p.markers {
                assert!(markers.insert(*m), "`{m}` in two entries");
            }
        }
    }

    #[test]
    fn markers_find_their_plugin() {
        let name = |m| owner_of(m).map(Plugin::name);
        assert_eq!(name("xdist_group"), Some("pytest-xdist"));
        assert_eq!(name("django_db"), Some("pytest-django"));
        assert_eq!(name("pytester_example_path"), Some("pytester"));
        assert_eq!(name("hypothesis"), Some("hypothesis"));
        assert_eq!(name("juju3"), None);
        assert_eq!(name("slow"), None, "a name projects register themselves");
        assert_eq!(name("group"), None, "fanout's own");
    }
}
