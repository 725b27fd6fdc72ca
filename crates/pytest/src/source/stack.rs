//! Big stacks for parsing: ruff's parser, the AST's `Drop` and the visitors all recurse once
//! per level of nesting, and 2 MB (the default for spawned and rayon threads) runs out long
//! before CPython's limits do.

use std::cell::Cell;

/// Stack size of threads that parse. Virtual memory, committed only as far as it is used.
pub const PARSE_STACK_SIZE: usize = 256 << 20;

thread_local! {
    static ON_PARSE_STACK: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work` on a thread with a [`PARSE_STACK_SIZE`] stack: in place when this thread has
/// one, else on a new scoped thread. `None` when that thread cannot be started or panicked.
pub fn with_parse_stack<R: Send>(work: impl FnOnce() -> R + Send) -> Option<R> {
    if ON_PARSE_STACK.with(Cell::get) {
        return Some(work());
    }
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("fanout-parse".into())
            .stack_size(PARSE_STACK_SIZE)
            .spawn_scoped(scope, || {
                mark_parse_stack();
                work()
            })
            .ok()?;
        handle.join().ok()
    })
}

/// A rayon pool whose threads have parse-sized stacks, so per-file work runs in place.
pub fn parse_pool() -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("fanout-parse-{i}"))
        .stack_size(PARSE_STACK_SIZE)
        .start_handler(|_| mark_parse_stack())
        .build()
}

fn mark_parse_stack() {
    ON_PARSE_STACK.with(|flag| flag.set(true));
}
