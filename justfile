# Common tasks. `just --list` shows them.

# Run fanout on the example suite shipped in examples/.
example:
    cargo run -q -- matrix examples/tests/integration --backend json

# Everything CI runs: format check, lints, all tests (including the real-pytest comparisons).
test:
    bash .ci/run

# Man pages, generated from the command-line definitions: target/man/fanout.1 and one per command.
man:
    cargo run -q -- man --dir target/man

# Build the wheel `pip install .` builds, install it into a fresh venv and run it (as CI does).
wheel:
    bash .ci/wheel

# Format the workspace.
fmt:
    cargo fmt --all

lint:
    cargo clippy --workspace --all-targets -- -D warnings

# Benchmark against pytest --collect-only and a plain read (see bench/README.md).
bench sizes="50,1000":
    cargo build --release
    cargo build --release -p fanout-pytest --example parse_floor
    python3 bench/bench.py --sizes {{sizes}}

# Diff selection against git on a long-history clone (see bench/README.md).
bench-affected repo ref="HEAD~30":
    cargo build --release
    python3 bench/affected.py --repo {{repo}} --ref {{ref}} --fanout "$PWD/target/release/fanout"
