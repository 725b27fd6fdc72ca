pub mod pytest_oracle;
