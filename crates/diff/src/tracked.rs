//! The files git tracks, from the index: collection keeps them whatever `.gitignore` says, as
//! pytest does (ignore rules only hide untracked files).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The absolute paths of the files in the index of the repository around `dir`, or `None`
/// outside a git work tree or when the index cannot be read.
pub fn tracked_files(dir: &Path) -> Option<HashSet<PathBuf>> {
    let repo = gix::discover(dir).ok()?;
    let workdir = repo.workdir()?.to_path_buf();
    let index = repo.index_or_empty().ok()?;
    let files = index
        .entries()
        .iter()
        .filter_map(|entry| {
            let path = entry.path(&index);
            let path = std::str::from_utf8(path.as_ref()).ok()?;
            Some(workdir.join(path))
        })
        .collect();
    Some(files)
}
