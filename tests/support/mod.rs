pub mod pytest_oracle;
pub mod rng;
