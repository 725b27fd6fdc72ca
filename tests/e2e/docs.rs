//! Every YAML and TOML block in README.md and docs/*.md parses: a reader copies them as they
//! are. (tests/e2e/gitlab.rs also runs the GitLab pipelines and scripts of the docs.)

use std::path::{Path, PathBuf};

pub(crate) fn markdown_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    let docs = std::fs::read_dir(root.join("docs")).expect("reading docs/");
    files.extend(
        docs.map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "md")),
    );
    files.sort();
    files
}

/// (language, first line number, text) of each fenced block.
pub(crate) fn fenced_blocks(markdown: &str) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let fence = line.trim_start().strip_prefix("```");
        match (current.as_mut(), fence) {
            (None, Some(lang)) => current = Some((lang.trim().to_owned(), i + 2, String::new())),
            (Some(_), Some("")) => out.extend(current.take()),
            (Some((_, _, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

#[test]
fn every_yaml_and_toml_block_in_the_docs_parses() {
    let mut checked = 0;
    let mut problems = Vec::new();
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).expect("reading a doc");
        for (lang, line, block) in fenced_blocks(&text) {
            let result = match lang.as_str() {
                "yaml" | "yml" => fanout_gitlab::lint::parse(&block).map(drop),
                "toml" => toml::from_str::<toml::Table>(&block)
                    .map(drop)
                    .map_err(|e| e.to_string()),
                _ => continue,
            };
            checked += 1;
            if let Err(e) = result {
                problems.push(format!("{}:{line}: {lang}: {e}", file.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        checked >= 10,
        "only {checked} blocks found: is the fence parser right?"
    );
}
