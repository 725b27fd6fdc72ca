//! Source lines for diagnostics made away from the file (file-level grouping rules).

use fanout_core::Diagnostic;
use std::collections::HashMap;
use std::path::Path;

/// Attaches the source line to diagnostics that lack it, reading each file once.
/// Paths are relative to `rootdir`.
pub fn fill_source_lines(diagnostics: &mut [Diagnostic], rootdir: &Path) {
    let mut files: HashMap<String, Option<String>> = HashMap::new();
    for d in diagnostics.iter_mut() {
        if d.source_line.is_some() || d.line == 0 {
            continue;
        }
        let text = files
            .entry(d.path.clone())
            .or_insert_with(|| std::fs::read_to_string(rootdir.join(&d.path)).ok());
        if let Some(line) = text
            .as_deref()
            .and_then(|t| t.lines().nth(d.line as usize - 1))
        {
            d.source_line = Some(line.to_owned());
        }
    }
}
