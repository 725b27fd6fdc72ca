//! The child pipeline as a YAML tree, in the order it is written.

use crate::limits::{matrix_job_name, MAX_JOB_NAME_CHARS, MAX_MATRIX_JOBS};
use crate::options::{GitlabOptions, TemplateSource};
pub use fanout_core::yaml::Node;
use fanout_core::{BackendError, Matrix, MatrixEntry};

/// The job that runs when nothing was selected: GitLab rejects a child pipeline without jobs.
pub fn noop_job_name(options: &GitlabOptions) -> String {
    format!("{} no tests selected", options.job_prefix)
}

/// Runner labels (none for the template's own tags) and the numbered entries of one job.
type Piece<'a> = (Option<Vec<String>>, Vec<(usize, &'a MatrixEntry)>);

/// Entries by runner labels (jobs of one GitLab job share its `tags:`), in order of first
/// appearance, then cut into pieces of at most [`MAX_MATRIX_JOBS`].
fn chunks(matrix: &Matrix) -> Vec<Piece<'_>> {
    let mut by_runner: Vec<Piece<'_>> = Vec::new();
    for (index, entry) in matrix.entries.iter().enumerate() {
        let key = entry.runner_labels();
        match by_runner.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push((index + 1, entry)),
            None => by_runner.push((key, vec![(index + 1, entry)])),
        }
    }
    by_runner
        .into_iter()
        .flat_map(|(key, list)| {
            list.chunks(MAX_MATRIX_JOBS)
                .map(|piece| (key.clone(), piece.to_vec()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The generated part of the child pipeline: `include:` (when the template is included) and
/// the jobs, or the single no-op job for an empty matrix.
pub fn document(matrix: &Matrix, options: &GitlabOptions) -> Result<Node, BackendError> {
    if matrix.entries.is_empty() {
        let script = Node::Seq(vec![Node::str(
            "echo 'fanout: no tests were selected, nothing to run'",
        )]);
        return Ok(Node::Map(vec![(
            noop_job_name(options),
            Node::Map(vec![("script".to_owned(), script)]),
        )]));
    }
    let mut top = Vec::new();
    if let TemplateSource::Include(path) = &options.source {
        top.push((
            "include".to_owned(),
            Node::Seq(vec![Node::Map(vec![(
                "local".to_owned(),
                Node::str(path.clone()),
            )])]),
        ));
    }
    let pieces = chunks(matrix);
    let total = pieces.len();
    for (number, (runner, entries)) in pieces.into_iter().enumerate() {
        let name = format!("{} {}/{total}", options.job_prefix, number + 1);
        top.push((name.clone(), job(&name, runner, &entries, options)?));
    }
    Ok(Node::Map(top))
}

/// The variable holding one entry's node ids. Node ids stay out of the matrix itself because
/// GitLab puts every matrix value into the job's name, which may not exceed 255 characters.
fn node_ids_variable(index: usize) -> String {
    format!("FANOUT_NODE_IDS_{index}")
}

fn job(
    name: &str,
    runner: Option<Vec<String>>,
    entries: &[(usize, &MatrixEntry)],
    options: &GitlabOptions,
) -> Result<Node, BackendError> {
    let mut fields = vec![("extends".to_owned(), Node::str(options.template.clone()))];
    if let Some(labels) = &runner {
        fields.push((
            "tags".to_owned(),
            Node::Seq(labels.iter().cloned().map(Node::Str).collect()),
        ));
    }
    let node_ids = entries
        .iter()
        .map(|(index, entry)| {
            (
                node_ids_variable(*index),
                Node::str(entry.arguments().collect::<Vec<_>>().join(" ")),
            )
        })
        .collect();
    fields.push(("variables".to_owned(), Node::Map(node_ids)));
    let mut matrix = Vec::with_capacity(entries.len());
    for (index, entry) in entries {
        let mut vars = entry.job_variables();
        if let Some((_, ids)) = vars.iter_mut().find(|(k, _)| *k == "FANOUT_NODE_IDS") {
            *ids = format!("${}", node_ids_variable(*index));
        }
        let values: Vec<&str> = vars.iter().map(|(_, v)| v.as_str()).collect();
        let shown = matrix_job_name(name, &values);
        let chars = shown.chars().count();
        if chars > MAX_JOB_NAME_CHARS {
            return Err(BackendError::Refused {
                message: format!(
                    "the GitLab job for `{}` would be named `{shown}` ({chars} characters), over \
                 GitLab's limit of {MAX_JOB_NAME_CHARS}; GitLab puts every parallel:matrix \
                 value into the name",
                    entry.job_name
                ),
                hint: "use a shorter `job-prefix`, shorter test paths \
                 or group ids"
                    .to_owned(),
            });
        }
        matrix.push(Node::Map(
            vars.into_iter()
                .map(|(k, v)| (k.to_owned(), Node::Str(v)))
                .collect(),
        ));
    }
    fields.push((
        "parallel".to_owned(),
        Node::Map(vec![("matrix".to_owned(), Node::Seq(matrix))]),
    ));
    Ok(Node::Map(fields))
}
