//! The parse floor for bench/bench.py: reads every `.py` file under the given folders and
//! parses it with ruff's parser on all cores, as fanout does, and nothing else. fanout's time
//! over this one is what collection, grouping and output cost; the parse itself cannot go.
//!
//! `cargo build --release -p fanout-pytest --example parse_floor`, then
//! `target/release/examples/parse_floor DIR...`; prints files, bytes and statements parsed.

// A command-line tool: it reports on its own standard streams.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        eprintln!("usage: parse_floor DIR...");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for root in &roots {
        if let Err(error) = python_files(root, &mut files) {
            eprintln!("parse_floor: {}: {error}", root.display());
            return ExitCode::from(2);
        }
    }
    let pool = match fanout_pytest::source::parse_pool() {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("parse_floor: {error}");
            return ExitCode::from(2);
        }
    };
    let (bytes, statements) = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let Ok(text) = std::fs::read_to_string(path) else {
                    return (0, 0);
                };
                let statements = ruff_python_parser::parse_module(&text)
                    .map_or(0, |parsed| parsed.syntax().body.len());
                (text.len(), statements)
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    println!(
        "{} files, {bytes} bytes, {statements} statements",
        files.len()
    );
    ExitCode::SUCCESS
}

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            python_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
    Ok(())
}
