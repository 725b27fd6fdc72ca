//! One test function, or each of its parametrized cases, as a `TestItem`: node id, closest
//! group and runner, and the marks `-m` reads.

use super::{Callable, ClassNode, ModuleCollector};
use crate::cases::{self, Cases, Problem};
use crate::eval::{Evaluator, Value};
use crate::fixtures;
use crate::marks::{Bindings, MarkRef};
use crate::params;
use crate::resolve::{self, Level, LevelMarkRefs, MarkNames, Resolver, Subject};
use fanout_core::{GroupId, GroupSource, Mark, ParamCase, ParamMarks, Runner, TestItem};
use ruff_text_size::Ranged;
use std::sync::Arc;

impl<'a> ModuleCollector<'a> {
    pub(super) fn item(&mut self, name: &'a str, callable: Callable<'a>, chain: &[ClassNode<'a>]) {
        let class = (!chain.is_empty())
            .then(|| chain.iter().map(|c| c.name).collect::<Vec<_>>().join("::"));
        self.node_id.clear();
        self.node_id.push_str(self.rel_path);
        for part in class.as_deref().into_iter().chain([name]) {
            self.node_id.push_str("::");
            self.node_id.push_str(part);
        }
        let (decorators, position) = match callable {
            Callable::Def(def) => (&def.decorator_list[..], def.name.range().start()),
            Callable::Lambda(range) => (&[][..], range.start()),
            Callable::Elsewhere { decorators, at } => (decorators, at.start()),
        };
        let (line, _) = self.index.position(position);
        let mut base = TestItem {
            node_id: self.node_id.as_str().into(),
            path: self.shared_path.clone(),
            class,
            function: name.to_owned(),
            line,
            def_line: self.index.line_text(line).into(),
            group: None,
            group_source: None,
            group_error: false,
            doctest: false,
            module_may_skip: self.module.may_skip_itself(),
            unseen_in: chain.iter().position(|c| c.opaque).map(|i| {
                let classes: Vec<&str> = chain[..=i].iter().map(|c| c.name).collect();
                format!("{}::{}", self.rel_path, classes.join("::"))
            }),
            runner: None,
            marks: Default::default(),
            param_marks: None,
            cases: 1,
            param: None,
            test_root: self.shared_root.clone(),
        };
        // Decorators defined here: their text, with the classes and bindings, decides
        // what they resolve to.
        let decorators_text = match callable {
            Callable::Def(def) => Some(
                match (def.decorator_list.first(), def.decorator_list.last()) {
                    (Some(first), Some(last)) => self
                        .index
                        .slice(ruff_text_size::TextRange::new(first.start(), last.end())),
                    _ => "",
                },
            ),
            Callable::Lambda(_) => Some(""),
            Callable::Elsewhere { .. } => None,
        };
        let resolved = chain.last().map_or(&self.resolved, |class| &class.resolved);
        if let Some(known) = decorators_text.and_then(|text| resolved.get(text, self.bindings)) {
            if let Some((id, source)) = known.group {
                base.group = Some(id);
                base.group_source = Some(source);
            }
            base.runner = known.runner;
            base.marks = known.marks;
            self.tests.push(base);
            return;
        }
        let reported_before = self.diagnostics.reported();
        // Decorators apply bottom-up, so pytest lists the lowest one first.
        let function_marks: Vec<MarkRef<'a>> = decorators
            .iter()
            .rev()
            .filter_map(|d| self.bindings.mark(&d.expression))
            .collect();
        let mut levels = Vec::with_capacity(chain.len() + 2);
        levels.push(Level {
            source: GroupSource::Function,
            what: Subject::Function(name),
            marks: LevelMarkRefs::Own(function_marks),
        });
        levels.extend(chain.iter().rev().map(|c| Level {
            source: GroupSource::Class,
            what: Subject::Class(c.name),
            marks: LevelMarkRefs::Shared(c.marks.clone()),
        }));
        levels.push(Level {
            source: GroupSource::Module,
            what: Subject::Module,
            marks: LevelMarkRefs::Shared(self.module_marks.clone()),
        });
        let parametrize: Vec<MarkRef<'a>> = levels
            .iter()
            .flat_map(|l| l.marks.iter())
            .filter(|m| m.name == "parametrize")
            .copied()
            .collect();
        let level_marks = LevelMarks::of(&levels, &mut self.evaluator, &mut self.mark_names);
        let cases = if parametrize.is_empty() {
            Cases::None
        } else {
            cases::cases(&parametrize, &mut self.evaluator, self.rules.ids)
        };
        // Cases fanout lists one by one: with the ids of the fixtures that add parameters.
        let cases = match cases {
            Cases::Known {
                cases,
                ids_unknown: None,
            } if cases.iter().any(|c| !c.marks.is_empty()) => {
                match self.fixture_params(callable, chain, &levels, &parametrize) {
                    Ok(fixtures) => Cases::Known {
                        cases: with_fixture_ids(cases, &fixtures),
                        ids_unknown: None,
                    },
                    // Marks on the fixture's parameters: `-m` may keep any case.
                    Err((problem, true)) => Cases::Unknown(problem),
                    Err((problem, false)) => Cases::Known {
                        cases,
                        ids_unknown: Some(problem),
                    },
                }
            }
            other => other,
        };
        base.cases = match &cases {
            Cases::None => 1,
            Cases::Plain(count) => u32::try_from(*count).unwrap_or(u32::MAX),
            Cases::Known { cases, .. } => u32::try_from(cases.len()).unwrap_or(u32::MAX),
            Cases::Unknown(_) => 0,
        };
        match cases {
            Cases::Known {
                cases,
                ids_unknown: None,
            } if cases.iter().any(|c| !c.marks.is_empty()) => {
                let of = u32::try_from(cases.len()).unwrap_or(u32::MAX);
                for case in cases {
                    let mut item = base.clone();
                    item.node_id = format!("{}[{}]", base.node_id, case.id).into();
                    item.param = Some(Box::new(ParamCase { id: case.id, of }));
                    item.cases = 1;
                    self.resolve(
                        &mut item,
                        &levels,
                        &level_marks,
                        CaseMarks::Known(&case.marks),
                    );
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
                    &level_marks,
                    CaseMarks::IdsUnknown(case_marks, problem),
                );
                self.tests.push(item);
            }
            Cases::Unknown(problem) => {
                let mut item = base;
                self.resolve(
                    &mut item,
                    &levels,
                    &level_marks,
                    CaseMarks::Unknown(&parametrize, problem),
                );
                self.tests.push(item);
            }
            _ => {
                let mut item = base;
                self.resolve(&mut item, &levels, &level_marks, CaseMarks::None);
                let quiet = self.diagnostics.reported() == reported_before && !item.group_error;
                if let (Some(text), true, true) = (decorators_text, parametrize.is_empty(), quiet) {
                    let resolved = chain.last().map_or(&self.resolved, |class| &class.resolved);
                    resolved.keep(
                        text,
                        Resolved {
                            bindings: self.bindings,
                            group: item.group.clone().zip(item.group_source),
                            runner: item.runner.clone(),
                            marks: item.marks.clone(),
                        },
                    );
                }
                self.tests.push(item);
            }
        }
    }

    /// The fixtures with `params=` the test requests, in the order pytest adds their ids
    /// (`crate::fixtures`); why not, where one cannot be named.
    fn fixture_params(
        &mut self,
        callable: Callable<'a>,
        chain: &[ClassNode<'a>],
        levels: &[Level<'a>],
        parametrize: &[MarkRef<'a>],
    ) -> Result<Vec<fixtures::Parametrizing>, (Problem, bool)> {
        let range = parametrize.first().map(|m| m.range);
        let Callable::Def(def) = callable else {
            // Defined elsewhere (inherited, imported): its arguments are not read here.
            return Ok(Vec::new());
        };
        let method = !chain.is_empty()
            && !def.decorator_list.iter().any(|d| {
                matches!(&d.expression, ruff_python_ast::Expr::Name(n) if n.id.as_str() == "staticmethod")
            });
        let direct: Vec<String> = parametrize.iter().flat_map(params::argnames).collect();
        let arguments: Vec<String> = fixtures::requested_arguments(&def.parameters, method)
            .into_iter()
            .filter(|a| a != "request")
            .collect();
        let mut usefixtures = Vec::new();
        // pytest reads usefixtures marks closest first (function, class, module).
        for mark in levels.iter().flat_map(|l| l.marks.iter()) {
            if mark.name == "usefixtures" {
                usefixtures.extend(
                    mark.arguments
                        .iter()
                        .flat_map(|a| &a.args)
                        .filter_map(|arg| match arg {
                            ruff_python_ast::Expr::StringLiteral(s) => {
                                Some(s.value.to_str().to_owned())
                            }
                            _ => None,
                        }),
                );
            }
        }
        if self.fixture_scopes.is_none() {
            let index = self.index;
            let rules = self.rules.ids;
            let mut scopes = vec![fixtures::scope_of_defs(
                self.module.iter().filter_map(|(_, b)| match b {
                    crate::namespace::Binding::Function(def) => Some(def),
                    _ => None,
                }),
                &mut self.evaluator,
                rules,
                &|def| {
                    let (line, _) = index.position(def.name.range().start());
                    format!("{}:{line}", self.rel_path)
                },
            )];
            let test_dir = self
                .rules
                .rootdir
                .join(self.rel_path)
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            scopes.extend(fixtures::conftest_scopes(
                &test_dir,
                self.rules.rootdir,
                rules,
            ));
            self.fixture_scopes = Some(scopes);
        }
        let index = self.index;
        let rules = self.rules.ids;
        let rel_path = self.rel_path;
        let class_scopes: Vec<fixtures::Scope> = chain
            .iter()
            .rev()
            .flat_map(|c| &c.bodies)
            .map(|body| {
                fixtures::scope_of(body, &mut self.evaluator, rules, &|def| {
                    let (line, _) = index.position(def.name.range().start());
                    format!("{rel_path}:{line}")
                })
            })
            .collect();
        let module_scopes = self.fixture_scopes.as_deref().unwrap_or_default();
        let scopes: Vec<&fixtures::Scope> = class_scopes.iter().chain(module_scopes).collect();
        fixtures::parametrizing(&scopes, &usefixtures, &arguments, &direct).map_err(|unnamed| {
            let marks_unknown = unnamed.marks_unknown();
            let problem = Problem {
                why: format!(
                    "it also takes the parameters of fixture `{}` (`params=`, {}), which pytest \
                     adds to each case's id and fanout cannot name: {}",
                    unnamed.name, unnamed.place, unnamed.why
                ),
                range: range.unwrap_or(def.name.range()),
                hint: Some(
                    "put all of the test's cases in one group (the job then names the function)",
                ),
            };
            (problem, marks_unknown)
        })
    }

    /// Fills in the group, runner and marks of one item (a function, or one of its cases).
    fn resolve(
        &mut self,
        item: &mut TestItem,
        levels: &[Level<'a>],
        level_marks: &LevelMarks,
        case: CaseMarks<'_, 'a>,
    ) {
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
        item.runner = resolve::runner(&mut resolver, levels, case_marks).map(Box::new);
        item.group_error = group.is_err();
        if let Ok(Some((id, source))) = group {
            item.group = Some(id);
            item.group_source = Some(source);
        }
        // pytest's item marks: the function's own, its parameters', then class and module.
        // Sized exactly: a suite holds one such list per test.
        let names = &mut self.mark_names;
        let case_marks: Vec<Mark> = case_marks
            .iter()
            .filter_map(|value| resolve::value_mark_for_selection(value, names))
            .collect();
        let mut marks = Vec::with_capacity(
            level_marks.function.len() + case_marks.len() + level_marks.outer.len(),
        );
        marks.extend(level_marks.function.iter().cloned());
        marks.extend(case_marks);
        marks.extend(level_marks.outer.iter().cloned());
        item.marks = self.mark_lists.share(marks);
        item.param_marks = match case {
            CaseMarks::IdsUnknown(all, _) => Some(Box::new(ParamMarks::Combinations(
                all.iter()
                    .map(|marks| {
                        marks
                            .iter()
                            .filter_map(|value| {
                                resolve::value_mark_for_selection(value, &mut self.mark_names)
                            })
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

/// What the marks of tests without `parametrize` resolved to, by the text of their
/// decorators: a module's tests mostly repeat a few decorator lists (`@pytest.mark.group(2)`
/// over `@pytest.mark.abort_on_fail`), and one text under the same classes and the same module
/// bindings resolves alike. The module keeps one for its own functions and each visit of a
/// class one for its tests (the class's marks, and its enclosing classes', are that visit's),
/// dropped with the visit. Kept only where resolving reported nothing, so that each diagnostic
/// is still reported at every test it concerns.
#[derive(Default)]
pub(super) struct ResolvedMarks<'a>(
    std::cell::RefCell<rustc_hash::FxHashMap<&'a str, Vec<Resolved<'a>>>>,
);

#[derive(Clone)]
pub(super) struct Resolved<'a> {
    bindings: &'a Bindings<'a>,
    group: Option<(GroupId, GroupSource)>,
    runner: Option<Box<Runner>>,
    marks: Arc<[Mark]>,
}

impl<'a> ResolvedMarks<'a> {
    fn get(&self, text: &str, bindings: &Bindings<'a>) -> Option<Resolved<'a>> {
        self.0
            .borrow()
            .get(text)?
            .iter()
            .find(|known| std::ptr::eq(known.bindings, bindings))
            .cloned()
    }

    fn keep(&self, text: &'a str, resolved: Resolved<'a>) {
        self.0.borrow_mut().entry(text).or_default().push(resolved);
    }
}

/// The marks `-m` reads from the function's decorators and from its class and module, read
/// once for all the function's cases.
struct LevelMarks {
    function: Vec<Mark>,
    outer: Vec<Mark>,
}

impl LevelMarks {
    fn of<'a>(
        levels: &[Level<'a>],
        evaluator: &mut Evaluator<'a, 'a>,
        names: &mut MarkNames,
    ) -> Self {
        let (function, outer) = levels.split_at(1.min(levels.len()));
        let mut read = |levels: &[Level<'a>]| -> Vec<Mark> {
            levels
                .iter()
                .flat_map(|l| l.marks.iter())
                .map(|m| resolve::mark_for_selection(m, evaluator, names))
                .collect()
        };
        LevelMarks {
            function: read(function),
            outer: read(outer),
        }
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

/// The cases of the `parametrize` marks with the fixtures' parameters in front, as pytest makes
/// them: each fixture's ids (in order) before the marks' ids, the first fixture varying slowest.
fn with_fixture_ids(
    cases: Vec<cases::Case>,
    fixtures: &[fixtures::Parametrizing],
) -> Vec<cases::Case> {
    if fixtures.is_empty() {
        return cases;
    }
    // Each prefix is a list of ids (an id may be empty: pytest joins it all the same).
    let mut prefixes: Vec<Vec<&str>> = vec![Vec::new()];
    for fixture in fixtures {
        prefixes = prefixes
            .iter()
            .flat_map(|p| {
                fixture.ids.iter().map(move |id| {
                    let mut next = p.clone();
                    next.push(id.as_str());
                    next
                })
            })
            .collect();
    }
    let prefixes: Vec<String> = prefixes.iter().map(|p| p.join("-")).collect();
    prefixes
        .iter()
        .flat_map(|prefix| {
            cases.iter().map(move |case| cases::Case {
                id: format!("{prefix}-{}", case.id),
                marks: case.marks.clone(),
            })
        })
        .collect()
}
