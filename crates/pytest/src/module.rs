//! Collecting the tests of one parsed module, as pytest's python plugin would.

mod items;

use crate::classes::{self, ClassKind, ClassRef};
use crate::diagnostics::FileDiagnostics;
use crate::eval::Evaluator;
use crate::index::{ProjectIndex, Target};
use crate::marks::{Bindings, MarkRef};
use crate::namespace::{Binding, Namespace};
use crate::resolve::MarkNames;
use crate::source::LineIndex;
use fanout_core::{Code, TestItem};
use ruff_python_ast::{Decorator, Expr, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashSet as HashSet;

/// The ini options that decide what is a test.
pub struct Rules<'c> {
    pub python_classes: &'c [String],
    pub python_functions: &'c [String],
    pub ids: crate::ids::IdRules,
    /// Where the conftest chain a test's fixtures come from stops.
    pub rootdir: &'c std::path::Path,
}

pub struct ModuleCollector<'a> {
    pub rel_path: &'a str,
    pub index: &'a LineIndex<'a>,
    pub bindings: &'a Bindings<'a>,
    pub module: &'a Namespace<'a>,
    pub rules: Rules<'a>,
    /// The project's modules, this one among them.
    pub project: &'a ProjectIndex<'a>,
    /// This module's id in the project index.
    pub module_id: usize,
    /// Test-like names bound in ways fanout cannot follow, reported once collection knows
    /// whether the file's jobs are by group.
    unknowable: Vec<(TextRange, String)>,
    /// The module's `pytestmark`, read once for all its tests.
    module_marks: std::rc::Rc<[MarkRef<'a>]>,
    /// One evaluator per module: its work budget bounds the whole file.
    evaluator: Evaluator<'a, 'a>,
    mark_names: MarkNames,
    pub tests: Vec<TestItem>,
    pub diagnostics: FileDiagnostics<'a>,
    /// `rel_path` and `test_root` as every test of the module shares them.
    shared_path: fanout_core::SharedStr,
    shared_root: fanout_core::SharedStr,
    /// The module's fixtures, then its conftests' (closest first): read when a test's cases
    /// are first listed one by one.
    fixture_scopes: Option<Vec<crate::fixtures::Scope>>,
    /// Where each test's node id is written before it is shared (one allocation a test).
    node_id: String,
    mark_lists: MarkLists,
    /// What the marks of the module's own functions without `parametrize` resolved to, by
    /// their decorators' text (a class's tests keep theirs in its [`ClassNode`]).
    resolved: items::ResolvedMarks<'a>,
}

/// The mark lists of a module's tests, each kept once: most tests of a module carry one of a
/// few (their group's and their class's and module's marks).
#[derive(Default)]
struct MarkLists(rustc_hash::FxHashSet<std::sync::Arc<[fanout_core::Mark]>>);

impl MarkLists {
    fn share(&mut self, marks: Vec<fanout_core::Mark>) -> std::sync::Arc<[fanout_core::Mark]> {
        if let Some(shared) = self.0.get(marks.as_slice()) {
            return shared.clone();
        }
        let shared: std::sync::Arc<[fanout_core::Mark]> = marks.into();
        self.0.insert(shared.clone());
        shared
    }
}

/// What pytest calls as a test: a `def`, or a lambda bound to a test name.
#[derive(Clone, Copy)]
enum Callable<'a> {
    Def(&'a StmtFunctionDef),
    Lambda(TextRange),
    /// Defined in another module (inherited or imported): its decorators, and where this
    /// module brings it in.
    Elsewhere {
        decorators: &'a [Decorator],
        at: TextRange,
    },
}

impl<'a> Callable<'a> {
    fn decorators(self) -> &'a [Decorator] {
        match self {
            Callable::Def(def) => &def.decorator_list,
            Callable::Lambda(_) => &[],
            Callable::Elsewhere { decorators, .. } => decorators,
        }
    }

    /// The same callable, placed at `at` in this module.
    fn brought_in_at(self, at: TextRange) -> Self {
        Callable::Elsewhere {
            decorators: self.decorators(),
            at,
        }
    }
}

/// A class node on the way from a test to its module.
struct ClassNode<'a> {
    name: &'a str,
    marks: std::rc::Rc<[MarkRef<'a>]>,
    /// The class's body and its bases', subclass first: where its fixtures are.
    bodies: Vec<&'a [ruff_python_ast::Stmt]>,
    /// Inherits from a class defined elsewhere.
    opaque: bool,
    /// What its tests' marks resolved to, by decorator text: gone with this visit of the class.
    resolved: items::ResolvedMarks<'a>,
}

impl<'a> ModuleCollector<'a> {
    pub fn new(
        rel_path: &'a str,
        test_root: &'a str,
        index: &'a LineIndex<'a>,
        project: &'a ProjectIndex<'a>,
        module_id: usize,
        rules: Rules<'a>,
    ) -> Option<Self> {
        let context = project.context(module_id)?;
        let (bindings, module) = (context.bindings, context.namespace);
        Some(ModuleCollector {
            rel_path,
            index,
            bindings,
            module,
            rules,
            project,
            module_id,
            unknowable: Vec::new(),
            module_marks: pytestmark(module, bindings).into(),
            evaluator: Evaluator::new(bindings).with_imports(project),
            mark_names: MarkNames::default(),
            tests: Vec::new(),
            diagnostics: FileDiagnostics::new(rel_path, index),
            shared_path: rel_path.into(),
            shared_root: test_root.into(),
            fixture_scopes: None,
            node_id: String::new(),
            mark_lists: MarkLists::default(),
            resolved: items::ResolvedMarks::default(),
        })
    }

    pub fn collect(&mut self) {
        // PyCollector.collect: a module with `__test__ = False` yields nothing.
        if classes::dunder_test(self.module) == Some(false) {
            return;
        }
        self.warn_alternatives(self.module);
        self.warn_conditional(self.module);
        self.warn_imported_tests();
        self.star_imported();
        for (name, binding) in self.module.iter() {
            match binding {
                Binding::Class(def) => {
                    let class = ClassRef {
                        module: self.module_id,
                        def,
                    };
                    self.class(class, name, def.name.range(), &mut Vec::new());
                }
                Binding::Value(None) if self.module.import_source(name).is_some() => {
                    self.imported(name);
                }
                other => {
                    let module = self.module_id;
                    match self.test_callable(name, other, self.module, module, false) {
                        Some(callable) => self.item(name, callable, &[]),
                        None => self.check_knowable(name, other, None),
                    }
                }
            }
        }
        if !self.tests.is_empty() {
            for &range in self.module.conditional_skips() {
                let d = self.diagnostics.warning(
                    Code::ConditionalDefinition,
                    range,
                    "the whole module is skipped under a condition fanout cannot evaluate: where it holds, pytest collects none of the tests fanout lists here".into(),
                );
                self.diagnostics.push(d.with_hint("skip the tests with `pytestmark = pytest.mark.skipif(...)` so that they are collected everywhere"));
            }
        }
        for &range in self.module.hidden_bindings() {
            self.unknowable.push((
                range,
                "this statement binds names fanout cannot see; tests it creates are not listed"
                    .into(),
            ));
        }
        self.stand_in_for_unseen_tests();
        self.report_unknowable();
    }

    /// A module with no test fanout can see but names it cannot follow (`globals()[name] =
    /// ...`, `exec(...)`): pytest may well collect tests there, made at run time. One item
    /// stands for them, named by the file: its job runs the file whole (whatever pytest finds
    /// there), and where files need groups it is an `ungrouped-file` error naming the file. No
    /// file pytest collects from is left out of every job.
    fn stand_in_for_unseen_tests(&mut self) {
        if !self.tests.is_empty() {
            return;
        }
        let Some(&(range, _)) = self.unknowable.iter().min_by_key(|(r, _)| r.start()) else {
            return;
        };
        let (line, _) = self.index.position(range.start());
        let path = self.shared_path.clone();
        self.tests.push(TestItem {
            node_id: path.clone(),
            path: path.clone(),
            class: None,
            function: String::new(),
            line,
            def_line: self.index.line_text(line).into(),
            group: None,
            group_source: None,
            group_error: false,
            doctest: false,
            module_may_skip: self.module.may_skip_itself(),
            // The file is the collector whose tests fanout cannot see.
            unseen_in: Some(path.to_string()),
            runner: None,
            marks: Default::default(),
            // Their marks are unknown: `-m` keeps the file, and the run's `-m` picks.
            param_marks: Some(Box::new(fanout_core::ParamMarks::Unknown)),
            param: None,
            // Made at run time: how many, only running it can tell.
            cases: 0,
            test_root: self.shared_root.clone(),
        });
        for (_, message) in &mut self.unknowable {
            message.push_str(
                "; the file has no test fanout can see, so its job runs it whole and pytest \
                 collects what it makes",
            );
        }
    }

    /// The callable behind a binding when pytest would collect it as a test function.
    /// `module` is the module `ns` belongs to.
    fn test_callable(
        &self,
        name: &str,
        binding: Binding<'a>,
        ns: &Namespace<'a>,
        module: usize,
        unittest: bool,
    ) -> Option<Callable<'a>> {
        let callable = match binding {
            Binding::Function(def) => Callable::Def(def),
            Binding::Value(Some(value)) => self.callable_value(value, ns, module, 0)?,
            _ => return None,
        };
        let named = if unittest {
            name.starts_with("test")
        } else {
            classes::name_matches(name, self.rules.python_functions)
        };
        let fixture = callable
            .decorators()
            .iter()
            .any(|d| self.bindings.is_fixture(&d.expression));
        // `test_x.__test__ = False` after the def.
        let switched_off = matches!(
            ns.attribute(name, "__test__"),
            Some(ruff_python_ast::Expr::BooleanLiteral(b)) if !b.value
        );
        (named && !fixture && !switched_off).then_some(callable)
    }

    /// `test_alias = test_real`, `test_x = lambda: ...`, `test_c = staticmethod(f)` and
    /// `test_x = helpers.check` bind functions too.
    fn callable_value(
        &self,
        value: &'a Expr,
        ns: &Namespace<'a>,
        module: usize,
        depth: usize,
    ) -> Option<Callable<'a>> {
        // Aliases of aliases end somewhere; a cycle (`a = b; b = a`) binds nothing callable.
        if depth > 8 {
            return None;
        }
        match value {
            Expr::Lambda(lambda) => Some(Callable::Lambda(lambda.range)),
            Expr::Name(target) => match ns.get(target.id.as_str()) {
                Some(Binding::Function(def)) => Some(Callable::Def(def)),
                Some(Binding::Value(Some(inner))) => {
                    self.callable_value(inner, ns, module, depth + 1)
                }
                _ => self.resolved_function(module, value),
            },
            Expr::Attribute(_) => self.resolved_function(module, value),
            Expr::Call(call)
                if call.arguments.args.len() == 1
                    && matches!(&*call.func, Expr::Name(n) if matches!(n.id.as_str(), "staticmethod" | "classmethod")) =>
            {
                self.callable_value(call.arguments.args.first()?, ns, module, depth + 1)
            }
            _ => None,
        }
    }

    /// A function another module defines, named from `module`.
    fn resolved_function(&self, module: usize, value: &'a Expr) -> Option<Callable<'a>> {
        match self.project.resolve_expr(module, value) {
            Target::Function {
                def,
                module: defined_in,
            } if defined_in == module => Some(Callable::Def(def)),
            Target::Function { def, .. } => Some(Callable::Elsewhere {
                decorators: &def.decorator_list,
                at: value.range(),
            }),
            _ => None,
        }
    }

    /// A test-like name bound to something fanout cannot follow (a factory call, an
    /// unpacking) is remembered for [`Self::report_unknowable`]. `class` names the class for
    /// a member.
    fn check_knowable(&mut self, name: &str, binding: Binding<'a>, class: Option<&str>) {
        let unittest_like = class.is_some() && name.starts_with("test");
        if !(self.test_like(name) || unittest_like) {
            return;
        }
        let range = match binding {
            Binding::Value(Some(value)) if !known_not_callable(value) => value.range(),
            _ => return,
        };
        let what = class.map_or_else(|| format!("`{name}`"), |c| format!("`{c}.{name}`"));
        self.unknowable.push((range, format!("{what} is bound to a value fanout cannot evaluate; if it is a test function or class, pytest collects it and fanout does not list it")));
    }

    /// Reports what [`Self::check_knowable`] found: an error when the file's tests are in
    /// groups (an unlisted test would run in no job), a warning when the file runs whole.
    fn report_unknowable(&mut self) {
        let grouped = self.tests.iter().any(|t| t.group.is_some());
        for (range, message) in std::mem::take(&mut self.unknowable) {
            let d = if grouped {
                self.diagnostics.error(Code::UnresolvedTest, range, message)
            } else {
                self.diagnostics
                    .warning(Code::UnresolvedTest, range, message)
            };
            self.diagnostics.push(d.with_hint("define tests with `def`/`class` statements (or import them by name from a project module) so their names and marks can be read"));
        }
    }

    /// A name bound by an import: pytest collects it here when it is a test function or a
    /// test class (by name, or derived from `unittest.TestCase`).
    fn imported(&mut self, name: &'a str) {
        let Some(source) = self.module.import_source(name) else {
            return;
        };
        // A module collected alone imports no test-like name (see `needs_imports`).
        if self.project.is_single_module() && !self.test_like(name) {
            return;
        }
        match self.project.resolve_name(self.module_id, name) {
            Target::Class { module, def } => {
                self.class(
                    ClassRef { module, def },
                    name,
                    source.range,
                    &mut Vec::new(),
                );
            }
            Target::Function { module, def } => {
                let context = self.project.context(module);
                self.in_module(context.map(|c| c.bindings), |this| {
                    let binding = Binding::Function(def);
                    if let Some(callable) =
                        this.test_callable(name, binding, this.module, module, false)
                    {
                        this.item(name, callable.brought_in_at(source.range), &[]);
                    }
                });
            }
            _ => {}
        }
    }

    /// Names bound by `from module import *` from a project module, collected where the
    /// import is; names the module binds itself win.
    fn star_imported(&mut self) {
        for star in self.module.star_imports() {
            let Some(from) = self.project.star_source(self.module_id, *star) else {
                if star.level > 0 {
                    self.unknowable.push((star.range, "`import *` from a module fanout cannot find: tests it binds are not listed".into()));
                }
                continue;
            };
            let Some(context) = self.project.context(from) else {
                continue;
            };
            let names: Vec<&'a str> = match self.project.export_list(from) {
                Some(all) => all,
                None => context
                    .namespace
                    .iter()
                    .map(|(name, _)| name)
                    .filter(|name| !name.starts_with('_'))
                    .collect(),
            };
            for name in names {
                if self.module.contains(name) {
                    continue;
                }
                match self.project.resolve_name(from, name) {
                    Target::Class { module, def } => {
                        self.class(ClassRef { module, def }, name, star.range, &mut Vec::new());
                    }
                    Target::Function { module, def } => {
                        self.in_module(Some(context.bindings), |this| {
                            let binding = Binding::Function(def);
                            if let Some(callable) =
                                this.test_callable(name, binding, context.namespace, module, false)
                            {
                                this.item(name, callable.brought_in_at(star.range), &[]);
                            }
                        });
                    }
                    _ => {}
                }
            }
        }
    }

    /// Runs `f` reading marks with another module's bindings (for definitions there).
    fn in_module(&mut self, bindings: Option<&'a Bindings<'a>>, f: impl FnOnce(&mut Self)) {
        let own = self.bindings;
        if let Some(bindings) = bindings {
            self.bindings = bindings;
        }
        f(self);
        self.bindings = own;
    }

    /// Tests defined under a condition fanout cannot decide, assumed to run.
    fn warn_conditional(&mut self, ns: &Namespace<'a>) {
        for (name, range) in ns.conditional_defs() {
            if self.test_like(name) {
                let d = self.diagnostics.warning(
                    Code::ConditionalDefinition,
                    *range,
                    format!("`{name}` is defined under a condition fanout cannot evaluate; it assumes the condition holds"),
                );
                self.diagnostics.push(d.with_hint(
                    "define tests unconditionally and skip them with @pytest.mark.skipif",
                ));
            }
        }
    }

    /// pytest collects test functions and classes imported into a test module; fanout
    /// cannot see their definitions.
    fn warn_imported_tests(&mut self) {
        for (name, range) in self.module.imported() {
            // Still bound to the import at the end of the module?
            if !matches!(self.module.get(name), Some(Binding::Value(None))) {
                continue;
            }
            // Resolving reads other files: only names that look like tests need it.
            if !self.test_like(name) {
                continue;
            }
            let seen = match self.project.resolve_name(self.module_id, name) {
                Target::External(q) => crate::index::unittest_bases::is_testcase(&q),
                Target::Unknown => false,
                _ => true,
            };
            if !seen {
                let d = self.diagnostics.warning(
                    Code::ImportedTest,
                    *range,
                    format!("`{name}` is imported into this test module from outside the project; if it is a test function or class, pytest collects it here and fanout does not see it"),
                );
                self.diagnostics.push(d.with_hint("import the module instead (`import helpers`), or alias the name so it does not look like a test"));
            }
        }
    }

    fn warn_alternatives(&mut self, ns: &Namespace<'a>) {
        for (name, range) in ns.alternative_defs() {
            if self.test_like(name) {
                let d = self.diagnostics.warning(
                    Code::ConditionalTest,
                    *range,
                    format!("`{name}` is defined in an `elif`/`else` branch; fanout assumes the first branch runs and leaves it out"),
                );
                self.diagnostics.push(d.with_hint(
                    "define tests unconditionally and skip them with @pytest.mark.skipif",
                ));
            }
        }
    }

    /// A name pytest would take for a test function or class.
    fn test_like(&self, name: &str) -> bool {
        classes::name_matches(name, self.rules.python_functions)
            || classes::name_matches(name, self.rules.python_classes)
    }

    /// `site` is where the class enters this module: its name, or the import that binds it.
    fn class(
        &mut self,
        class: ClassRef<'a>,
        name: &'a str,
        site: TextRange,
        chain: &mut Vec<ClassNode<'a>>,
    ) {
        let def = class.def;
        let local = class.module == self.module_id;
        let mro = classes::mro(class, self.project);
        let namespaces: Vec<Namespace<'a>> = mro
            .classes
            .iter()
            .map(|c| Namespace::of_body(&c.def.body))
            .collect();
        // `__test__` is inherited like any class attribute.
        let dunder_test = namespaces.iter().find_map(classes::dunder_test);
        let kind = if mro.unittest {
            ClassKind::UnitTest
        } else if dunder_test == Some(true)
            || classes::name_matches(name, self.rules.python_classes)
        {
            ClassKind::Plain
        } else {
            return;
        };
        if dunder_test == Some(false) {
            return;
        }
        if kind == ClassKind::Plain && classes::generates_init(def) {
            let d = self.diagnostics.warning(
                Code::ClassNotCollected,
                site,
                format!(
                    "pytest does not collect class `{name}`: its decorator generates `__init__`"
                ),
            );
            self.diagnostics
                .push(d.with_hint("test classes cannot be dataclasses or attrs classes"));
            return;
        }
        if kind == ClassKind::Plain {
            if let Some(special) = ["__init__", "__new__"].into_iter().find(|m| {
                namespaces
                    .iter()
                    .any(|ns| matches!(ns.get(m), Some(Binding::Function(_))))
            }) {
                let d = self.diagnostics.warning(
                    Code::ClassNotCollected,
                    site,
                    format!(
                        "pytest does not collect class `{name}` because it defines `{special}`"
                    ),
                );
                self.diagnostics.push(d.with_hint(
                    "remove the constructor, or rename the class if it is not a test class",
                ));
                return;
            }
        }
        let opaque = !mro.unresolved_bases.is_empty();
        let tests_before = self.tests.len();
        let (project, own_bindings) = (self.project, self.bindings);
        let bindings_of = |c: &ClassRef<'a>| {
            project
                .context(c.module)
                .map_or(own_bindings, |ctx| ctx.bindings)
        };
        // Base classes' marks come first, as pytest's get_unpacked_marks(consider_mro=True).
        let mut marks = Vec::new();
        for (c, ns) in mro.classes.iter().zip(&namespaces).rev() {
            let bindings = bindings_of(c);
            marks.extend(pytestmark(ns, bindings));
            marks.extend(
                c.def
                    .decorator_list
                    .iter()
                    .rev()
                    .filter_map(|d| bindings.mark(&d.expression)),
            );
        }
        chain.push(ClassNode {
            name,
            marks: marks.into(),
            bodies: mro.classes.iter().map(|c| &c.def.body[..]).collect(),
            opaque,
            resolved: items::ResolvedMarks::default(),
        });
        // Walk the classes' dicts as pytest does: first binding of a name wins, and
        // inherited members come before the subclass's own.
        if let (Some(ns), true) = (namespaces.first(), local) {
            self.warn_alternatives(ns);
            self.warn_conditional(ns);
        }
        let mut seen = HashSet::default();
        let mut per_class = Vec::new();
        for (c, ns) in mro.classes.iter().zip(&namespaces) {
            let bindings = bindings_of(c);
            let foreign = c.module != self.module_id;
            let mut members = Vec::new();
            for (member, binding) in ns.iter() {
                if !seen.insert(member) {
                    continue;
                }
                match binding {
                    Binding::Class(inner) if kind == ClassKind::Plain => {
                        let inner = ClassRef {
                            module: c.module,
                            def: inner,
                        };
                        let at = if foreign {
                            site
                        } else {
                            inner.def.name.range()
                        };
                        members.push((member, Err((inner, at)), bindings));
                    }
                    Binding::Class(_) => {}
                    other => {
                        let unittest = kind == ClassKind::UnitTest;
                        let own = self.bindings;
                        self.bindings = bindings;
                        let found = self.test_callable(member, other, ns, c.module, unittest);
                        self.bindings = own;
                        match found {
                            Some(callable) if foreign => {
                                members.push((member, Ok(callable.brought_in_at(site)), bindings));
                            }
                            Some(callable) => members.push((member, Ok(callable), bindings)),
                            None if !foreign => self.check_knowable(member, other, Some(name)),
                            None => {}
                        }
                    }
                }
            }
            per_class.push(members);
        }
        for members in per_class.into_iter().rev() {
            for (member, entry, bindings) in members {
                match entry {
                    Ok(callable) => {
                        self.in_module(Some(bindings), |this| this.item(member, callable, chain));
                    }
                    Err((inner, at)) => self.class(inner, member, at, chain),
                }
            }
        }
        chain.pop();
        if opaque {
            self.report_unresolved_bases(
                site,
                name,
                &mro.unresolved_bases,
                self.tests.len() > tests_before,
            );
        }
    }

    /// A class whose bases are defined elsewhere may inherit tests fanout cannot list. The
    /// matrix then names the class itself, so pytest runs whatever it inherits; a class with
    /// no test fanout can see would have no job at all, which is an error.
    fn report_unresolved_bases(
        &mut self,
        site: TextRange,
        name: &str,
        bases: &[String],
        has_tests: bool,
    ) {
        let bases = bases
            .iter()
            .map(|b| format!("`{b}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let d = if has_tests {
            self.diagnostics.warning(
                Code::UnresolvedBase,
                site,
                format!("class `{name}` inherits from {bases}, defined outside the project: tests it inherits are not listed, so the matrix names the class and pytest runs them"),
            )
        } else {
            self.diagnostics.error(
                Code::UnresolvedBase,
                site,
                format!("class `{name}` inherits from {bases}, defined outside the project (or bound by code fanout does not follow), and has no test fanout can see: its inherited tests would be in no job"),
            )
        };
        self.diagnostics.push(d.with_hint(
            "define test base classes in a project module, or give the class a test of its own",
        ));
    }
}

/// Values that are never callable, so a test-like name bound to one is no test: literals,
/// containers, arithmetic, and calls of the usual constructors of plain values.
fn known_not_callable(value: &Expr) -> bool {
    match value {
        Expr::Call(call) => {
            let callee = match &*call.func {
                Expr::Name(n) => n.id.as_str(),
                Expr::Attribute(a) => a.attr.as_str(),
                _ => return false,
            };
            NOT_CALLABLE_RESULTS.contains(&callee)
        }
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) | Expr::If(_) => false,
        Expr::Lambda(_) | Expr::Named(_) | Expr::Await(_) | Expr::Yield(_) => false,
        _ => true,
    }
}

/// Callees whose result is a plain value (or a class pytest refuses, for `namedtuple`).
const NOT_CALLABLE_RESULTS: &[&str] = &[
    "join",
    "Path",
    "PurePath",
    "dirname",
    "abspath",
    "realpath",
    "resolve",
    "get",
    "getenv",
    "compile",
    "dict",
    "list",
    "set",
    "tuple",
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "frozenset",
    "range",
    "format",
    "read",
    "read_text",
    "read_bytes",
    "load",
    "loads",
    "namedtuple",
    "NamedTuple",
    "TypeVar",
    "getLogger",
    "object",
    "parametrize",
    "param",
    "fixture",
    "mark",
    "skipif",
    "xfail",
    "skip",
    "usefixtures",
    "filterwarnings",
];

/// The marks of a namespace's `pytestmark`.
fn pytestmark<'a>(ns: &Namespace<'a>, bindings: &Bindings<'a>) -> Vec<MarkRef<'a>> {
    match ns.get("pytestmark") {
        Some(Binding::Value(Some(value))) => {
            let mut marks = bindings.mark_list(value);
            for added in ns.pytestmark_added() {
                marks.extend(bindings.mark_list(added));
            }
            marks
        }
        _ => Vec::new(),
    }
}
