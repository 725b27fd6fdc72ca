//! fanout's `collect` against a real pytest on the same files: node ids, closest group mark,
//! its level, the runner mark, rootdir and inifile.

mod compare;
mod config;
mod edges;
mod fixture_params;
mod generated_ids;
mod levels;
mod marks;
mod params;
mod paths;
mod projects;
mod run_time_tests;
mod selection;
mod whole_files;
