//! The parametrized cases of a test: the product of its `parametrize` marks, each case with
//! pytest's id and the marks its parameters carry.

use crate::eval::{Evaluator, Value};
use crate::ids::{self, IdRules};
use crate::marks::MarkRef;
use ruff_python_ast::Expr;
use ruff_text_size::{Ranged, TextRange};

/// Cases past this many are not enumerated (pytest would build them all, fanout gives up).
const MAX_CASES: usize = 4096;

/// One parametrized item pytest builds from a function.
#[derive(Debug)]
pub struct Case {
    /// The text between the brackets of the node id; empty when the ids are unknown.
    pub id: String,
    /// The marks of the case's parameters (`pytest.param(..., marks=...)`), each a
    /// [`Value::Mark`] when known.
    pub marks: Vec<Value>,
}

/// Why something about the cases cannot be known, and where.
#[derive(Debug, Clone)]
pub struct Problem {
    pub why: String,
    pub range: TextRange,
    /// What the user can do, when it is not to give the parameters ids.
    pub hint: Option<&'static str>,
}

#[derive(Debug)]
pub enum Cases {
    /// Not parametrized.
    None,
    /// Every parameter set is known and none carries a mark: how many cases there are. Their
    /// ids are not made: wherever the function runs, pytest runs them all.
    Plain(usize),
    /// Every parameter set is known; `ids_unknown` says why the ids are not, if they are not.
    Known {
        cases: Vec<Case>,
        ids_unknown: Option<Problem>,
    },
    /// The parameter sets themselves are only known at run time.
    Unknown(Problem),
}

/// The cases of the `parametrize` marks of one test, closest first (as pytest's
/// `iter_markers`: stacked decorators bottom-up, then class, then module).
pub fn cases<'a>(
    parametrize: &[MarkRef<'a>],
    evaluator: &mut Evaluator<'_, 'a>,
    rules: IdRules,
) -> Cases {
    if parametrize.is_empty() {
        return Cases::None;
    }
    let mut ones = Vec::with_capacity(parametrize.len());
    let mut count: usize = 1;
    for mark in parametrize {
        let one = match one_parametrize(mark, evaluator) {
            Ok(one) => one,
            Err(problem) => return Cases::Unknown(problem),
        };
        if count.saturating_mul(one.sets.len()) > MAX_CASES {
            return Cases::Unknown(Problem {
                why: format!("more than {MAX_CASES} parameter combinations"),
                range: mark.range,
                hint: None,
            });
        }
        count *= one.sets.len();
        ones.push(one);
    }
    if ones
        .iter()
        .all(|one| one.sets.iter().all(|set| set.marks.is_empty()))
    {
        return Cases::Plain(count);
    }
    // Each case's ids, one per parametrize (an id may be empty), joined at the end.
    let mut all: Vec<(Vec<String>, Vec<Value>)> = vec![(Vec::new(), Vec::new())];
    let mut ids_unknown = None;
    for one in ones {
        let ids = match one.ids(evaluator, rules) {
            Ok(ids) => ids,
            Err(problem) => {
                ids_unknown.get_or_insert(problem);
                vec![String::new(); one.sets.len()]
            }
        };
        all = all
            .iter()
            .flat_map(|(before_ids, before_marks)| {
                one.sets.iter().zip(&ids).map(move |(set, id)| {
                    let mut ids = before_ids.clone();
                    ids.push(id.clone());
                    let marks = before_marks.iter().chain(&set.marks).cloned().collect();
                    (ids, marks)
                })
            })
            .collect();
    }
    Cases::Known {
        cases: all
            .into_iter()
            .map(|(ids, marks)| Case {
                id: ids.join("-"),
                marks,
            })
            .collect(),
        ids_unknown,
    }
}

/// One `parametrize` mark's parameter sets, with what its ids are made of (made only when
/// the cases are listed one by one).
struct OneParametrize<'a> {
    sets: Vec<ids::ParamSet>,
    names: Vec<String>,
    ids: Option<&'a Expr>,
    values: TextRange,
}

impl<'a> OneParametrize<'a> {
    fn ids(
        &self,
        evaluator: &mut Evaluator<'_, 'a>,
        rules: IdRules,
    ) -> Result<Vec<String>, Problem> {
        let ids_value = self.ids.map(|e| evaluator.eval(e));
        ids::make_ids(&self.names, &self.sets, ids_value.as_ref(), rules).map_err(|why| Problem {
            why: why.reason,
            range: why
                .range
                .unwrap_or_else(|| self.ids.map_or(self.values, Ranged::range)),
            hint: None,
        })
    }
}

fn one_parametrize<'a>(
    mark: &MarkRef<'a>,
    evaluator: &mut Evaluator<'_, 'a>,
) -> Result<OneParametrize<'a>, Problem> {
    let problem = |why: String, range: TextRange| Problem {
        why,
        range,
        hint: None,
    };
    let located = |why: ids::Why, range: TextRange| Problem {
        why: why.reason,
        range: why.range.unwrap_or(range),
        hint: None,
    };
    let Some(arguments) = mark.arguments else {
        return Err(problem(
            "`parametrize` without arguments".into(),
            mark.range,
        ));
    };
    let keyword = |name: &str| -> Option<&'a Expr> {
        arguments
            .keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == name))
            .map(|k| &k.value)
    };
    // `indirect`, `ids` and `scope` are keyword-only since pytest 8.
    let argument =
        |position: usize, name: &str| arguments.args.get(position).or_else(|| keyword(name));
    if arguments.args.iter().any(Expr::is_starred_expr)
        || arguments.keywords.iter().any(|k| k.arg.is_none())
    {
        return Err(problem(
            "`parametrize` arguments unpacked with * or ** are only known at run time".into(),
            mark.range,
        ));
    }
    let (Some(names_expr), Some(values_expr)) = (argument(0, "argnames"), argument(1, "argvalues"))
    else {
        return Err(problem(
            "`parametrize` needs argument names and values".into(),
            mark.range,
        ));
    };
    let names_value = evaluator.eval(names_expr);
    let (names, force_tuple) =
        ids::argnames(&names_value).map_err(|why| located(why, names_expr.range()))?;
    let values = evaluator.eval(values_expr);
    let sets = ids::parameter_sets(&values, names.len(), force_tuple)
        .map_err(|why| located(why, values_expr.range()))?;
    Ok(OneParametrize {
        sets,
        names,
        ids: keyword("ids"),
        values: values_expr.range(),
    })
}
