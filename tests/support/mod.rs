pub mod node_tools;
pub mod pytest_oracle;
pub mod rng;
