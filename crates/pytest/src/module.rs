//! Collecting the tests of one parsed module, as pytest's python plugin would.

use crate::cases::{self, Cases, Problem};
use crate::classes::{self, ClassKind};
use crate::diagnostics::FileDiagnostics;
use crate::eval::{Evaluator, Value};
use crate::marks::{Bindings, MarkRef};
use crate::namespace::{Binding, Namespace};
use crate::params;
use crate::resolve::{self, Level, Resolver};
use crate::source::LineIndex;
use fanout_core::{Code, GroupSource, ParamCase, ParamMarks, TestItem};
use ruff_python_ast::{StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashSet as HashSet;

/// The ini options that decide what is a test.
pub struct Rules<'c> {
    pub python_classes: &'c [String],
    pub python_functions: &'c [String],
    pub ids: crate::ids::IdRules,
}

pub struct ModuleCollector<'a> {
    pub rel_path: &'a str,
    pub test_root: &'a str,
    pub index: &'a LineIndex<'a>,
    pub bindings: &'a Bindings<'a>,
    pub module: &'a Namespace<'a>,
    pub rules: Rules<'a>,
    /// The module's `pytestmark`, read once for all its tests.
    module_marks: Vec<MarkRef<'a>>,
    /// One evaluator per module: its work budget bounds the whole file.
    evaluator: Evaluator<'a, 'a>,
    pub tests: Vec<TestItem>,
    pub diagnostics: FileDiagnostics<'a>,
}

/// What pytest calls as a test: a `def`, or a lambda bound to a test name.
#[derive(Clone, Copy)]
enum Callable<'a> {
    Def(&'a StmtFunctionDef),
    Lambda(TextRange),
}

/// A class node on the way from a test to its module.
struct ClassNode<'a> {
    name: &'a str,
    marks: Vec<MarkRef<'a>>,
    /// Inherits from a class defined elsewhere.
    opaque: bool,
}

impl<'a> ModuleCollector<'a> {
    pub fn new(
        rel_path: &'a str,
        test_root: &'a str,
        index: &'a LineIndex<'a>,
        bindings: &'a Bindings<'a>,
        rules: Rules<'a>,
    ) -> Self {
        let module = bindings.module;
        ModuleCollector {
            rel_path,
            test_root,
            index,
            bindings,
            module,
            rules,
            module_marks: pytestmark(module, bindings),
            evaluator: Evaluator::new(bindings),
            tests: Vec::new(),
            diagnostics: FileDiagnostics::new(rel_path, index),
        }
    }

    pub fn collect(&mut self) {
        // PyCollector.collect: a module with `__test__ = False` yields nothing.
        if classes::dunder_test(self.module) == Some(false) {
            return;
        }
        self.warn_alternatives(self.module);
        self.warn_imported_tests();
        for (name, binding) in self.module.iter() {
            match binding {
                Binding::Class(def) => self.class(def, name, &mut Vec::new()),
                other => {
                    if let Some(callable) = self.test_callable(name, other, self.module, false) {
                        self.item(name, callable, &[]);
                    }
                }
            }
        }
    }

    /// The callable behind a binding when pytest would collect it as a test function.
    fn test_callable(
        &self,
        name: &str,
        binding: Binding<'a>,
        ns: &Namespace<'a>,
        unittest: bool,
    ) -> Option<Callable<'a>> {
        let callable = match binding {
            Binding::Function(def) => Callable::Def(def),
            // `test_alias = test_real` and `test_x = lambda: ...` bind functions too.
            Binding::Value(Some(ruff_python_ast::Expr::Name(target))) => {
                match ns.get(target.id.as_str()) {
                    Some(Binding::Function(def)) => Callable::Def(def),
                    _ => return None,
                }
            }
            Binding::Value(Some(ruff_python_ast::Expr::Lambda(lambda))) => {
                Callable::Lambda(lambda.range)
            }
            _ => return None,
        };
        let named = if unittest {
            name.starts_with("test")
        } else {
            classes::name_matches(name, self.rules.python_functions)
        };
        let fixture = match callable {
            Callable::Def(def) => def
                .decorator_list
                .iter()
                .any(|d| self.bindings.is_fixture(&d.expression)),
            Callable::Lambda(_) => false,
        };
        // `test_x.__test__ = False` after the def.
        let switched_off = matches!(
            ns.attribute(name, "__test__"),
            Some(ruff_python_ast::Expr::BooleanLiteral(b)) if !b.value
        );
        (named && !fixture && !switched_off).then_some(callable)
    }

    /// pytest collects test functions and classes imported into a test module; fanout
    /// cannot see their definitions.
    fn warn_imported_tests(&mut self) {
        for (name, range) in self.module.imported() {
            // Still bound to the import at the end of the module?
            if !matches!(self.module.get(name), Some(Binding::Value(None))) {
                continue;
            }
            if self.test_like(name) {
                let d = self.diagnostics.warning(
                    Code::ImportedTest,
                    *range,
                    format!("`{name}` is imported into this test module; if it is a test function or class, pytest collects it here and fanout does not see it"),
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

    fn class(&mut self, def: &'a StmtClassDef, name: &'a str, chain: &mut Vec<ClassNode<'a>>) {
        let mro = classes::mro(def, self.module);
        let namespaces: Vec<Namespace<'a>> = mro
            .classes
            .iter()
            .map(|c| Namespace::of_body(&c.body))
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
                def.name.range(),
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
                    def.name.range(),
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
        // Base classes' marks come first, as pytest's get_unpacked_marks(consider_mro=True).
        let mut marks = Vec::new();
        for (class, ns) in mro.classes.iter().zip(&namespaces).rev() {
            marks.extend(pytestmark(ns, self.bindings));
            marks.extend(
                class
                    .decorator_list
                    .iter()
                    .rev()
                    .filter_map(|d| self.bindings.mark(&d.expression)),
            );
        }
        chain.push(ClassNode {
            name,
            marks,
            opaque,
        });
        // Walk the classes' dicts as pytest does: first binding of a name wins, and
        // inherited members come before the subclass's own.
        if let Some(ns) = namespaces.first() {
            self.warn_alternatives(ns);
        }
        let mut seen = HashSet::default();
        let mut per_class = Vec::new();
        for ns in &namespaces {
            let mut members = Vec::new();
            for (member, binding) in ns.iter() {
                if !seen.insert(member) {
                    continue;
                }
                match binding {
                    Binding::Class(c) if kind == ClassKind::Plain => members.push((member, Err(c))),
                    Binding::Class(_) => {}
                    other => {
                        let unittest = kind == ClassKind::UnitTest;
                        if let Some(callable) = self.test_callable(member, other, ns, unittest) {
                            members.push((member, Ok(callable)));
                        }
                    }
                }
            }
            per_class.push(members);
        }
        for members in per_class.into_iter().rev() {
            for (member, entry) in members {
                match entry {
                    Ok(callable) => self.item(member, callable, chain),
                    Err(class) => self.class(class, member, chain),
                }
            }
        }
        chain.pop();
        if opaque {
            self.report_unresolved_bases(
                def,
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
        def: &StmtClassDef,
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
                def.name.range(),
                format!("class `{name}` inherits from {bases}, defined elsewhere: tests it inherits are not listed, so the matrix names the class and pytest runs them"),
            )
        } else {
            self.diagnostics.error(
                Code::UnresolvedBase,
                def.name.range(),
                format!("class `{name}` inherits from {bases}, defined elsewhere, and has no test fanout can see: its inherited tests would be in no job"),
            )
        };
        self.diagnostics.push(d.with_hint(
            "define test base classes in the test module, or give the class a test of its own",
        ));
    }

    fn item(&mut self, name: &str, callable: Callable<'a>, chain: &[ClassNode<'a>]) {
        let class = (!chain.is_empty())
            .then(|| chain.iter().map(|c| c.name).collect::<Vec<_>>().join("::"));
        let node_id = match &class {
            Some(class) => format!("{}::{class}::{name}", self.rel_path),
            None => format!("{}::{name}", self.rel_path),
        };
        let (decorators, position) = match callable {
            Callable::Def(def) => (&def.decorator_list[..], def.name.range().start()),
            Callable::Lambda(range) => (&[][..], range.start()),
        };
        let (line, _) = self.index.position(position);
        // Decorators apply bottom-up, so pytest lists the lowest one first.
        let function_marks: Vec<MarkRef<'a>> = decorators
            .iter()
            .rev()
            .filter_map(|d| self.bindings.mark(&d.expression))
            .collect();
        let mut levels = vec![Level {
            source: GroupSource::Function,
            what: format!("function `{name}`"),
            marks: function_marks,
        }];
        levels.extend(chain.iter().rev().map(|c| Level {
            source: GroupSource::Class,
            what: format!("class `{}`", c.name),
            marks: c.marks.clone(),
        }));
        levels.push(Level {
            source: GroupSource::Module,
            what: "the module".into(),
            marks: self.module_marks.clone(),
        });
        let base = TestItem {
            node_id,
            path: self.rel_path.to_owned(),
            class,
            function: name.to_owned(),
            line,
            def_line: self.index.line_text(line).into(),
            group: None,
            group_source: None,
            group_error: false,
            doctest: false,
            unseen_in: chain.iter().position(|c| c.opaque).map(|i| {
                let classes: Vec<&str> = chain[..=i].iter().map(|c| c.name).collect();
                format!("{}::{}", self.rel_path, classes.join("::"))
            }),
            runner: None,
            marks: Vec::new(),
            param_marks: None,
            param: None,
            test_root: self.test_root.to_owned(),
        };
        let parametrize: Vec<MarkRef<'a>> = levels
            .iter()
            .flat_map(|l| &l.marks)
            .filter(|m| m.name == "parametrize")
            .copied()
            .collect();
        let cases = if parametrize.is_empty() {
            Cases::None
        } else {
            cases::cases(&parametrize, &mut self.evaluator, self.rules.ids)
        };
        match cases {
            Cases::Known {
                cases,
                ids_unknown: None,
            } if cases.iter().any(|c| !c.marks.is_empty()) => {
                let of = u32::try_from(cases.len()).unwrap_or(u32::MAX);
                for case in cases {
                    let mut item = base.clone();
                    item.node_id = format!("{}[{}]", base.node_id, case.id);
                    item.param = Some(Box::new(ParamCase { id: case.id, of }));
                    self.resolve(&mut item, &levels, CaseMarks::Known(&case.marks));
                    self.tests.push(item);
                }
            }
            Cases::Known {
                cases,
                ids_unknown: Some(problem),
            } if cases.iter().any(|c| !c.marks.is_empty()) => {
                let mut item = base;
                let case_marks = cases.iter().map(|c| c.marks.as_slice()).collect();
                self.resolve(
                    &mut item,
                    &levels,
                    CaseMarks::IdsUnknown(case_marks, problem),
                );
                self.tests.push(item);
            }
            Cases::Unknown(problem) => {
                let mut item = base;
                self.resolve(
                    &mut item,
                    &levels,
                    CaseMarks::Unknown(&parametrize, problem),
                );
                self.tests.push(item);
            }
            _ => {
                let mut item = base;
                self.resolve(&mut item, &levels, CaseMarks::None);
                self.tests.push(item);
            }
        }
    }

    /// Fills in the group, runner and marks of one item (a function, or one of its cases).
    fn resolve(&mut self, item: &mut TestItem, levels: &[Level<'a>], case: CaseMarks<'_, 'a>) {
        let mut resolver = Resolver {
            bindings: self.bindings,
            evaluator: &mut self.evaluator,
            diagnostics: &mut self.diagnostics,
        };
        let case_marks: &[Value] = match &case {
            CaseMarks::Known(marks) => marks,
            _ => &[],
        };
        let group = match &case {
            CaseMarks::IdsUnknown(all, problem) => {
                resolve::group_of_unlisted_cases(&mut resolver, levels, all, problem)
            }
            CaseMarks::Unknown(parametrize, problem) => {
                resolve::group_of_unknown_cases(&mut resolver, levels, parametrize, problem)
            }
            _ => resolve::group(&mut resolver, levels, case_marks),
        };
        item.runner = resolve::runner(&mut resolver, levels, case_marks);
        item.group_error = group.is_err();
        if let Ok(Some((id, source))) = group {
            item.group = Some(id);
            item.group_source = Some(source);
        }
        // pytest's item marks: the function's own, its parameters', then class and module.
        let (function, outer) = levels.split_at(1.min(levels.len()));
        let evaluator = &mut self.evaluator;
        let mut marks: Vec<_> = function
            .iter()
            .flat_map(|l| &l.marks)
            .map(|m| resolve::mark_for_selection(m, evaluator))
            .collect();
        marks.extend(
            case_marks
                .iter()
                .filter_map(resolve::value_mark_for_selection),
        );
        marks.extend(
            outer
                .iter()
                .flat_map(|l| &l.marks)
                .map(|m| resolve::mark_for_selection(m, evaluator)),
        );
        item.marks = marks;
        item.param_marks = match case {
            CaseMarks::IdsUnknown(all, _) => Some(Box::new(ParamMarks::Combinations(
                all.iter()
                    .map(|marks| {
                        marks
                            .iter()
                            .filter_map(resolve::value_mark_for_selection)
                            .collect()
                    })
                    .collect(),
            ))),
            CaseMarks::Unknown(parametrize, _)
                if parametrize.iter().any(|m| params::has_param_marks(m)) =>
            {
                Some(Box::new(ParamMarks::Unknown))
            }
            _ => None,
        };
    }
}

/// What the parameters of an item say about its marks.
enum CaseMarks<'c, 'a> {
    /// Not parametrized, or no parameter carries a mark.
    None,
    /// One listed case: its parameters' marks.
    Known(&'c [Value]),
    /// Cases fanout can count but not name: the marks of each.
    IdsUnknown(Vec<&'c [Value]>, Problem),
    /// Parameters only known at run time.
    Unknown(&'c [MarkRef<'a>], Problem),
}

/// The marks of a namespace's `pytestmark`.
fn pytestmark<'a>(ns: &Namespace<'a>, bindings: &Bindings<'a>) -> Vec<MarkRef<'a>> {
    match ns.get("pytestmark") {
        Some(Binding::Value(Some(value))) => bindings.mark_list(value),
        _ => Vec::new(),
    }
}
