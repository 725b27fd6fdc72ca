//! The `json` backend: one JSON document with every job, for any CI or script.
//!
//! ```json
//! {
//!   "schema": 1,
//!   "groups": [ { "path_to_test_file": "...", "job_name": "...", ... } ],
//!   "count": 1,
//!   "diagnostics": []
//! }
//! ```
//!
//! The document is pretty-printed, ends with a newline, and goes to `--output FILE`
//! (replacing it) or to standard output.

use fanout_core::{
    Backend, BackendError, BackendRegistration, Diagnostic, Matrix, MatrixEntry, OutputContext,
    Runner, SCHEMA_VERSION,
};

use rayon::prelude::*;
use serde::Serialize;

pub struct JsonBackend;

static BACKEND: JsonBackend = JsonBackend;

inventory::submit! {
    BackendRegistration {
        name: "json",
        summary: "JSON document with every job, for any CI or script",
        backend: &BACKEND,
    }
}

/// The document's text: pretty-printed JSON and a trailing newline.
pub fn render(matrix: &Matrix, diagnostics: &[Diagnostic]) -> String {
    let mut text = Vec::new();
    write_document(&mut text, matrix, diagnostics).expect("writing to memory cannot fail");
    String::from_utf8(text).expect("serde_json writes UTF-8")
}

/// Writes the document ([`render`]'s text) to `out`: byte for byte what serde_json's pretty
/// printer writes for the document (schema, groups, count,
/// diagnostics, in that order), with the jobs (most of it) serialized on every core, a
/// batch at a time so that at most two batches' text is held.
pub fn write_document(
    out: &mut dyn std::io::Write,
    matrix: &Matrix,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let entries = &matrix.entries;
    write!(out, "{{\n  \"schema\": {SCHEMA_VERSION},\n  \"groups\": [")?;
    // Each batch is rendered on the pool while this thread writes the one before it.
    let render = |batch_number: usize, batch: &[MatrixEntry]| -> Vec<Vec<u8>> {
        batch
            .par_chunks(ENTRIES_PER_CHUNK)
            .enumerate()
            .map(|(chunk_number, chunk)| {
                let first = batch_number == 0 && chunk_number == 0;
                let mut text = Vec::new();
                for (i, entry) in chunk.iter().enumerate() {
                    text.extend_from_slice(if first && i == 0 {
                        b"\n    "
                    } else {
                        b",\n    "
                    });
                    write_entry(&mut text, entry);
                }
                text
            })
            .collect()
    };
    let mut written: Vec<Vec<u8>> = Vec::new();
    for (batch_number, batch) in entries.chunks(ENTRIES_PER_BATCH).enumerate() {
        let rendered = std::thread::scope(|scope| -> std::io::Result<Vec<Vec<u8>>> {
            let next = scope.spawn(|| render(batch_number, batch));
            for text in written.drain(..) {
                out.write_all(&text)?;
            }
            next.join()
                .map_err(|_| std::io::Error::other("rendering the jobs failed"))
        });
        written = rendered?;
    }
    for text in written {
        out.write_all(&text)?;
    }
    if !entries.is_empty() {
        out.write_all(b"\n  ")?;
    }
    write!(
        out,
        "],\n  \"count\": {},\n  \"diagnostics\": ",
        entries.len()
    )?;
    pretty(&mut Indented::new(out, FIELD_INDENT), &diagnostics)?;
    out.write_all(b"\n}\n")
}

/// Jobs serialized on one thread at a time, and held at once before they are written.
const ENTRIES_PER_CHUNK: usize = 256;
const ENTRIES_PER_BATCH: usize = 16 * ENTRIES_PER_CHUNK;

/// The indentation of a field's lines in the document.
const FIELD_INDENT: &[u8] = b"  ";

/// One job, as serde_json's pretty printer writes [`MatrixEntry`] at its depth in `groups`
/// (a test holds the two to the same bytes): the same fields in the same order, written by
/// hand because this is most of a large document and its strings rarely need an escape.
fn write_entry(out: &mut Vec<u8>, entry: &MatrixEntry) {
    /// Before a field's key, and before an item of a list field.
    const FIELD: &[u8] = b"\n      \"";
    const ITEM: &[u8] = b"\n        ";
    let key = |out: &mut Vec<u8>, key: &str, first: bool| {
        if !first {
            out.push(b',');
        }
        out.extend_from_slice(FIELD);
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\": ");
    };
    let list = |out: &mut Vec<u8>, items: &mut dyn Iterator<Item = &str>| {
        out.push(b'[');
        let mut empty = true;
        for (i, item) in items.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(ITEM);
            json_string(out, item);
            empty = false;
        }
        if !empty {
            out.extend_from_slice(b"\n      ");
        }
        out.push(b']');
    };
    out.push(b'{');
    key(out, "path_to_test_file", true);
    json_string(out, &entry.path_to_test_file);
    key(out, "group_id", false);
    match &entry.group_id {
        Some(id) => json_string(out, id),
        None => out.extend_from_slice(b"null"),
    }
    if let Some(number) = entry.group_number {
        key(out, "group_number", false);
        out.extend_from_slice(number.to_string().as_bytes());
    }
    key(out, "job_name", false);
    json_string(out, &entry.job_name);
    key(out, "artifact_group_id", false);
    json_string(out, &entry.artifact_group_id);
    key(out, "node_ids", false);
    list(
        out,
        &mut entry.arguments().collect::<Vec<_>>().iter().map(|a| &**a),
    );
    match &entry.runner {
        None => {}
        Some(Runner::Label(label)) => {
            key(out, "runner", false);
            json_string(out, label);
        }
        Some(Runner::Labels(labels)) => {
            key(out, "runner", false);
            list(out, &mut labels.iter().map(String::as_str));
        }
    }
    out.extend_from_slice(b"\n    }");
}

/// A JSON string as serde_json writes it: copied whole when nothing in it needs an escape
/// (checked a block at a time, without a branch per byte), else by serde_json itself.
fn json_string(out: &mut Vec<u8>, text: &str) {
    let needs_escape = |block: &[u8]| {
        block.iter().fold(false, |any, &b| {
            any | (b < 0x20) | (b == b'"') | (b == b'\\')
        })
    };
    if text.as_bytes().chunks(64).any(needs_escape) {
        // Writing a string to memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
    } else {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

/// serde_json's pretty printing of one value; an error is the writer's (entries and
/// diagnostics have string keys and no fallible serializers).
fn pretty(out: &mut dyn std::io::Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(out, value).map_err(std::io::Error::from)
}

/// A writer that indents every line after the first: a value pretty-printed on its own,
/// written through it at its depth, reads as the pretty printer writes it there (JSON strings
/// hold no raw line break, so every `\n` is the printer's).
struct Indented<'w> {
    out: &'w mut dyn std::io::Write,
    indent: &'static [u8],
}

impl<'w> Indented<'w> {
    fn new(out: &'w mut dyn std::io::Write, indent: &'static [u8]) -> Self {
        Indented { out, indent }
    }
}

impl std::io::Write for Indented<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(at) = rest.iter().position(|&b| b == b'\n') {
            self.out.write_all(&rest[..=at])?;
            self.out.write_all(self.indent)?;
            rest = &rest[at + 1..];
        }
        self.out.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

impl Backend for JsonBackend {
    fn write(
        &self,
        matrix: &Matrix,
        diagnostics: &[Diagnostic],
        ctx: &mut OutputContext<'_>,
    ) -> Result<(), BackendError> {
        ctx.write_main_with(|out| write_document(out, matrix, diagnostics))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fanout_core::Code;
    use serde_json::{json, Value};
    use std::path::Path;

    fn entry(path: &str, group: i64, tests: usize) -> MatrixEntry {
        let job_name = format!("{path} | group {group}");
        MatrixEntry {
            path_to_test_file: path.to_owned(),
            group_id: Some(group.to_string()),
            group_number: Some(group),
            artifact_group_id: fanout_core::matrix::artifact_safe(&job_name),
            job_name,
            node_ids: (0..tests)
                .map(|i| format!("{path}::test_{i}").into())
                .collect(),
            runner: None,
        }
    }

    fn run(
        matrix: &Matrix,
        diagnostics: &[Diagnostic],
        output: Option<&Path>,
    ) -> (Result<(), BackendError>, String) {
        let env = |_: &str| None;
        let mut stdout = Vec::new();
        let mut ctx = OutputContext {
            output,
            env: &env,
            stdout: &mut stdout,
            options: &fanout_core::BackendOptions::new(),
            rootdir: std::path::Path::new("."),
        };
        let result = JsonBackend.write(matrix, diagnostics, &mut ctx);
        (result, String::from_utf8(stdout).expect("JSON is UTF-8"))
    }

    #[test]
    fn document_goes_to_stdout_and_round_trips() {
        let mut second = entry("t/test_b.py", 2, 1);
        second.runner = Some(Runner::Labels(vec!["linux".into(), "large".into()]));
        let matrix = Matrix {
            entries: vec![entry("t/test_a.py", 1, 2), second],
        };
        let warning =
            Diagnostic::warning(Code::ClassNotCollected, "t/test_a.py", "skipped").at(4, 1);
        let (result, out) = run(&matrix, std::slice::from_ref(&warning), None);
        result.expect("stdout write succeeds");
        assert!(out.ends_with("}\n"));
        assert!(
            out.contains("\n  \"schema\": 1,\n"),
            "pretty-printed: {out}"
        );

        let doc: Value = serde_json::from_str(&out).expect("valid JSON");
        let keys: Vec<_> = doc.as_object().expect("object").keys().cloned().collect();
        assert_eq!(keys.len(), 4);
        assert_eq!(doc["schema"], json!(SCHEMA_VERSION));
        assert_eq!(doc["count"], json!(2));
        assert_eq!(
            doc["groups"],
            serde_json::to_value(&matrix.entries).expect("entries serialize")
        );
        assert_eq!(
            doc["groups"][0],
            json!({
                "path_to_test_file": "t/test_a.py",
                "group_id": "1",
                "group_number": 1,
                "job_name": "t/test_a.py | group 1",
                "artifact_group_id": "t_test_a.py_group_1",
                "node_ids": ["t/test_a.py::test_0", "t/test_a.py::test_1"],
            })
        );
        assert_eq!(doc["groups"][1]["runner"], json!(["linux", "large"]));
        assert_eq!(
            doc["diagnostics"],
            json!([{
                "severity": "warning",
                "code": "class-not-collected",
                "path": "t/test_a.py",
                "line": 4,
                "column": 1,
                "message": "skipped",
            }])
        );
    }

    /// The document as serde_json's pretty printer writes it in one piece: what
    /// `write_document` writes batch by batch must match it byte for byte.
    #[derive(Serialize)]
    struct Document<'a> {
        schema: u32,
        groups: &'a [MatrixEntry],
        count: usize,
        diagnostics: &'a [Diagnostic],
    }

    #[test]
    fn jobs_written_in_parallel_batches_match_the_pretty_printer_byte_for_byte() {
        let warning =
            Diagnostic::warning(Code::ClassNotCollected, "t/test_a.py", "line\nbreak").at(4, 1);
        let error = Diagnostic::error(Code::SyntaxError, "t/x.py", "bad \"quote\"");
        // Sizes around a chunk and a batch, so that every seam is crossed.
        for jobs in [0, 1, 2, ENTRIES_PER_CHUNK + 1, ENTRIES_PER_BATCH + 3] {
            let entries: Vec<MatrixEntry> = (0..jobs)
                .map(|i| {
                    let mut e = entry(&format!("t/test_{i}.py"), i as i64 % 5, i % 4);
                    if i % 3 == 0 {
                        e.runner = Some(Runner::Labels(vec!["linux".into(), "a\nb".into()]));
                    }
                    if i % 5 == 1 {
                        e.runner = Some(Runner::Label(format!("large-{i}")));
                    }
                    if i % 11 == 2 {
                        // Every kind of escape, and what needs none.
                        e.path_to_test_file =
                            "t/\"q\"\\b\u{1}\u{8}\t\n\u{c}\r\u{1f}\u{7f}/é€😀.py".into();
                        e.job_name = format!("{} | group {i}", e.path_to_test_file);
                        e.group_id = Some("-1\"".into());
                        e.node_ids.push("-kx/test_a.py::test[\"x\"]".into());
                        e.runner = Some(Runner::Labels(Vec::new()));
                    }
                    if i % 13 == 3 {
                        e.group_number = Some(i64::MIN);
                    }
                    if i % 7 == 0 {
                        e.group_id = None;
                        e.group_number = None;
                    }
                    e
                })
                .collect();
            let matrix = Matrix { entries };
            for diagnostics in [&[][..], &[warning.clone(), error.clone()][..]] {
                let expected = serde_json::to_string_pretty(&Document {
                    schema: SCHEMA_VERSION,
                    groups: &matrix.entries,
                    count: matrix.entries.len(),
                    diagnostics,
                })
                .expect("serializes")
                    + "\n";
                assert_eq!(render(&matrix, diagnostics), expected, "{jobs} jobs");
            }
        }
    }

    #[test]
    fn document_replaces_the_output_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("matrix.json");
        std::fs::write(&path, "old content that must go\n").expect("seed file");
        let matrix = Matrix {
            entries: vec![entry("t/test_a.py", 1, 1)],
        };
        let (result, stdout) = run(&matrix, &[], Some(&path));
        result.expect("file write succeeds");
        assert_eq!(stdout, "", "nothing on stdout when --output is given");
        let written = std::fs::read_to_string(&path).expect("read back");
        assert_eq!(written, render(&matrix, &[]));
        assert!(!written.contains("old content"));
    }

    #[test]
    fn empty_matrix_is_an_empty_list() {
        let (result, out) = run(&Matrix::default(), &[], None);
        result.expect("stdout write succeeds");
        assert_eq!(
            out,
            "{\n  \"schema\": 1,\n  \"groups\": [],\n  \"count\": 0,\n  \"diagnostics\": []\n}\n"
        );
    }

    #[test]
    fn unwritable_output_is_an_io_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("missing-dir").join("matrix.json");
        let (result, _) = run(&Matrix::default(), &[], Some(&path));
        let err = result.expect_err("parent directory does not exist");
        assert!(matches!(err, BackendError::Io { .. }));
        assert_eq!(err.exit_status(), fanout_core::ExitStatus::Error);
    }

    #[test]
    fn registered_under_json() {
        let registration = fanout_core::backend::find("json").expect("json backend is registered");
        assert_eq!(
            registration.summary,
            "JSON document with every job, for any CI or script"
        );
    }
}
