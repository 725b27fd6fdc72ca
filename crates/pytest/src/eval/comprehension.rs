//! List, set and dict comprehensions and generator expressions: nested `for` and `if`
//! clauses with their variables in a local scope that shadows module names.

use super::{Evaluator, Value};
use ruff_python_ast::{Comprehension, Expr};

impl<'a> Evaluator<'_, 'a> {
    /// Runs the clauses and collects what `produce` returns for each innermost iteration.
    pub(super) fn comprehension(
        &mut self,
        generators: &'a [Comprehension],
        mut produce: impl FnMut(&mut Self) -> Vec<Value>,
    ) -> Result<Vec<Value>, String> {
        if generators.len() > self.limits.depth {
            return Err("a comprehension with more clauses than fanout evaluates".into());
        }
        if generators.iter().any(|g| g.is_async) {
            return Err("an async comprehension only runs at run time".into());
        }
        let mut out = Vec::new();
        let mark = self.locals.len();
        let result = self.clauses(generators, &mut produce, &mut out);
        self.locals.truncate(mark);
        result.map(|()| out)
    }

    fn clauses(
        &mut self,
        generators: &'a [Comprehension],
        produce: &mut impl FnMut(&mut Self) -> Vec<Value>,
        out: &mut Vec<Value>,
    ) -> Result<(), String> {
        let Some((first, rest)) = generators.split_first() else {
            let produced = produce(self);
            out.extend(produced);
            return self.collection(out.len());
        };
        let iterable = self.eval(&first.iter);
        let items = self.iterate(&iterable)?;
        'items: for item in items {
            self.charge(1)?;
            let mark = self.locals.len();
            self.bind_target(&first.target, item)?;
            for condition in &first.ifs {
                let test = self.eval(condition);
                match test.truthy() {
                    Some(true) => {}
                    Some(false) => {
                        self.locals.truncate(mark);
                        continue 'items;
                    }
                    None => {
                        return Err(match test {
                            Value::Opaque(u) => u.reason.clone(),
                            _ => "a comprehension condition fanout cannot decide".into(),
                        })
                    }
                }
            }
            self.clauses(rest, produce, out)?;
            self.locals.truncate(mark);
        }
        Ok(())
    }

    /// Binds a `for` target: a name, or a tuple or list of targets with at most one `*`.
    /// An unknown value binds every name in the target to itself.
    pub(super) fn bind_target(&mut self, target: &'a Expr, value: Value) -> Result<(), String> {
        match target {
            Expr::Name(n) => {
                self.locals.push((n.id.as_str(), value));
                Ok(())
            }
            Expr::Tuple(t) => self.bind_unpacked(&t.elts, value),
            Expr::List(l) => self.bind_unpacked(&l.elts, value),
            Expr::Starred(s) => self.bind_target(&s.value, value),
            _ => Err("a loop target other than names, tuples and lists".into()),
        }
    }

    fn bind_unpacked(&mut self, targets: &'a [Expr], value: Value) -> Result<(), String> {
        if let Value::Opaque(_) = value {
            for target in targets {
                self.bind_target(target, value.clone())?;
            }
            return Ok(());
        }
        let items = self.iterate(&value)?;
        let star = targets.iter().position(Expr::is_starred_expr);
        let fixed = targets.len() - usize::from(star.is_some());
        let mismatch = match star {
            Some(_) => items.len() < fixed,
            None => items.len() != fixed,
        };
        if mismatch {
            return Err(format!(
                "unpacking {} values into {} targets (ValueError)",
                items.len(),
                targets.len()
            ));
        }
        let mut items = items.into_iter();
        for (i, target) in targets.iter().enumerate() {
            if Some(i) == star {
                let rest = targets.len() - i - 1;
                let take = items.len() - rest;
                let starred: Vec<Value> = items.by_ref().take(take).collect();
                self.bind_target(target, Value::List(starred.into()))?;
            } else {
                let item = items.next().unwrap_or(Value::None);
                self.bind_target(target, item)?;
            }
        }
        Ok(())
    }
}
