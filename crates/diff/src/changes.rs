//! The changed paths: `merge-base(REF, HEAD)..HEAD`, with rename detection, plus the worktree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;
use gix::ObjectId;

use crate::error::{DiffError, Unsure};

/// How a path changed between the merge base and the new state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Added,
    Deleted,
    Modified,
    /// Renamed or moved, possibly with edits; `old_path` says from where.
    Renamed,
}

impl ChangeKind {
    /// The letter `git diff --name-status` prints.
    pub fn letter(self) -> char {
        match self {
            Self::Added => 'A',
            Self::Deleted => 'D',
            Self::Modified => 'M',
            Self::Renamed => 'R',
        }
    }
}

/// One changed file, with paths relative to the repository's work tree, `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedPath {
    pub path: String,
    pub kind: ChangeKind,
    /// The path at the merge base, for renames.
    pub old_path: Option<String>,
    /// The blob at the merge base (absent for additions).
    pub old_id: Option<ObjectId>,
}

/// Every changed file between the merge base and `HEAD` (and the worktree when asked).
#[derive(Debug, Clone)]
pub struct ChangedPaths {
    pub workdir: PathBuf,
    pub base: ObjectId,
    pub head: ObjectId,
    /// Sorted by path.
    pub changes: Vec<ChangedPath>,
    /// Things the user should know, e.g. rename detection turned off for a partial clone.
    pub notes: Vec<String>,
}

/// Opens the repository around `dir` and computes the changes since `base_ref`.
///
/// `Err(DiffError::Unsure)` when the answer would be a guess: no merge base, a shallow clone,
/// an unknown ref.
pub fn changed_paths(
    dir: &Path,
    base_ref: &str,
    include_worktree: bool,
) -> Result<(gix::Repository, ChangedPaths), DiffError> {
    let mut repo = gix::discover(dir).map_err(|e| {
        DiffError::Unsure(Unsure::new(
            format!("{} is not inside a git repository ({e})", dir.display()),
            "run fanout inside the repository's work tree",
        ))
    })?;
    repo.objects.refresh = gix::odb::store::RefreshMode::Never;
    repo.object_cache_size_if_unset(1024 * 1024);
    let workdir = repo.workdir().map(Path::to_path_buf).ok_or_else(|| {
        DiffError::Git("the repository is bare: there is no work tree to select tests in".into())
    })?;
    let changed = compute(&repo, workdir, base_ref, include_worktree)?;
    Ok((repo, changed))
}

fn compute(
    repo: &gix::Repository,
    workdir: PathBuf,
    base_ref: &str,
    include_worktree: bool,
) -> Result<ChangedPaths, DiffError> {
    // When this cannot be read, assume the worst: a cut history.
    let shallow = repo.is_shallow().unwrap_or(true);
    let base_commit = match repo.rev_parse_single(base_ref) {
        Ok(id) => id.object().and_then(|o| o.peel_to_commit()).map_err(|e| {
            DiffError::Unsure(Unsure::new(
                format!("`{base_ref}` does not name a commit that is in this clone ({e})"),
                "fetch it, e.g. `git fetch origin <branch>`, or with actions/checkout use `fetch-depth: 0`",
            ))
        })?,
        Err(e) => {
            return Err(DiffError::Unsure(Unsure::new(
                format!("`{base_ref}` is not a ref or commit in this clone ({e})"),
                "fetch the base branch (`git fetch origin <branch>`), or with actions/checkout use `fetch-depth: 0`; a single-branch clone has no other branches",
            )))
        }
    };
    let head = repo
        .head_commit()
        .map_err(|e| DiffError::Git(format!("cannot read HEAD: {e}")))?;
    let base = match repo.merge_base(base_commit.id, head.id) {
        Ok(Some(id)) => id.detach(),
        Ok(None) | Err(_) if shallow => {
            return Err(DiffError::Unsure(Unsure::new(
                format!("this is a shallow clone and its history stops before the merge base of `{base_ref}` and HEAD"),
                "fetch the whole history: `fetch-depth: 0` for actions/checkout, or `git fetch --unshallow`",
            )))
        }
        Ok(None) => {
            return Err(DiffError::Unsure(Unsure::new(
                format!("`{base_ref}` and HEAD have no common ancestor"),
                "pass the branch this one was started from",
            )))
        }
        Err(e) => return Err(DiffError::Git(format!("cannot compute the merge base: {e}"))),
    };
    let base_tree = repo
        .find_commit(base)
        .and_then(|c| c.tree())
        .map_err(|e| DiffError::Git(format!("cannot read the merge base's tree: {e}")))?;
    let head_tree = head
        .tree()
        .map_err(|e| DiffError::Git(format!("cannot read HEAD's tree: {e}")))?;
    let mut notes = Vec::new();
    let rewrites =
        gix::diff::Options::default().with_rewrites(Some(gix::diff::Rewrites::default()));
    let raw = match repo.diff_tree_to_tree(&base_tree, &head_tree, Some(rewrites)) {
        Ok(changes) => changes,
        Err(first) => {
            // A partial clone lacks the old blobs rename detection compares.
            let plain = gix::diff::Options::default().with_rewrites(None);
            let changes = repo
                .diff_tree_to_tree(&base_tree, &head_tree, Some(plain))
                .map_err(|e| {
                    DiffError::Git(format!("cannot diff the merge base against HEAD: {e}"))
                })?;
            notes.push(format!(
                "rename detection was turned off ({first}); a renamed file counts as deleted and added. This happens in partial clones (`--filter=blob:none`)"
            ));
            changes
        }
    };
    let mut by_path: BTreeMap<String, ChangedPath> = BTreeMap::new();
    for change in raw {
        use gix::object::tree::diff::ChangeDetached as C;
        let entry = match change {
            C::Addition {
                location,
                entry_mode,
                ..
            } if !entry_mode.is_tree() => ChangedPath {
                path: location.to_str_lossy().into_owned(),
                kind: ChangeKind::Added,
                old_path: None,
                old_id: None,
            },
            C::Deletion {
                location,
                entry_mode,
                id,
                ..
            } if !entry_mode.is_tree() => ChangedPath {
                path: location.to_str_lossy().into_owned(),
                kind: ChangeKind::Deleted,
                old_path: None,
                old_id: Some(id),
            },
            C::Modification {
                location,
                entry_mode,
                previous_id,
                ..
            } if !entry_mode.is_tree() => ChangedPath {
                path: location.to_str_lossy().into_owned(),
                kind: ChangeKind::Modified,
                old_path: None,
                old_id: Some(previous_id),
            },
            C::Rewrite {
                source_location,
                source_id,
                location,
                entry_mode,
                copy,
                ..
            } if !entry_mode.is_tree() => ChangedPath {
                path: location.to_str_lossy().into_owned(),
                kind: if copy {
                    ChangeKind::Added
                } else {
                    ChangeKind::Renamed
                },
                old_path: (!copy).then(|| source_location.to_str_lossy().into_owned()),
                old_id: Some(source_id),
            },
            _ => continue,
        };
        by_path.insert(entry.path.clone(), entry);
    }
    if include_worktree {
        add_worktree(repo, &base_tree, &workdir, &mut by_path)?;
    }
    let changes = by_path.into_values().collect();
    Ok(ChangedPaths {
        workdir,
        base,
        head: head.id,
        changes,
        notes,
    })
}

/// Staged, unstaged and untracked files, compared with the merge base's tree.
fn add_worktree(
    repo: &gix::Repository,
    base_tree: &gix::Tree<'_>,
    workdir: &Path,
    by_path: &mut BTreeMap<String, ChangedPath>,
) -> Result<(), DiffError> {
    refuse_unreadable_excludes(repo, workdir)?;
    let status = repo
        .status(gix::progress::Discard)
        .map_err(|e| DiffError::Git(format!("cannot read the worktree status: {e}")))?
        .untracked_files(gix::status::UntrackedFiles::Files)
        .index_worktree_rewrites(None)
        .tree_index_track_renames(gix::status::tree_index::TrackRenames::Disabled)
        .into_iter(None)
        .map_err(|e| DiffError::Git(format!("cannot read the worktree status: {e}")))?;
    let mut paths = Vec::new();
    for item in status {
        let item =
            item.map_err(|e| DiffError::Git(format!("cannot read the worktree status: {e}")))?;
        paths.push(item.location().to_str_lossy().into_owned());
    }
    for path in paths {
        if by_path
            .get(&path)
            .is_some_and(|c| c.kind == ChangeKind::Renamed)
        {
            continue;
        }
        let old_id = base_tree
            .lookup_entry_by_path(&path)
            .ok()
            .flatten()
            .filter(|e| !e.mode().is_tree())
            .map(|e| e.object_id());
        let on_disk = workdir.join(&path).is_file();
        let kind = match (old_id.is_some(), on_disk) {
            (true, true) => ChangeKind::Modified,
            (true, false) => ChangeKind::Deleted,
            (false, true) => ChangeKind::Added,
            (false, false) => {
                by_path.remove(&path);
                continue;
            }
        };
        by_path.insert(
            path.clone(),
            ChangedPath {
                path,
                kind,
                old_path: None,
                old_id,
            },
        );
    }
    Ok(())
}

/// The status reads every `.gitignore` on its way, and one that is a FIFO would block it for
/// ever: the ones git tracks, the top one and `info/exclude` are checked first, and one that is
/// not a regular file is an error naming it.
fn refuse_unreadable_excludes(repo: &gix::Repository, workdir: &Path) -> Result<(), DiffError> {
    let mut candidates = vec![
        workdir.join(".gitignore"),
        repo.git_dir().join("info/exclude"),
    ];
    if let Ok(index) = repo.index_or_empty() {
        candidates.extend(
            index
                .entries()
                .iter()
                .map(|e| e.path(&index))
                .filter(|p| p.ends_with(b".gitignore"))
                .map(|p| workdir.join(p.to_str_lossy().as_ref())),
        );
    }
    match candidates
        .iter()
        .find(|f| std::fs::metadata(f).is_ok_and(|m| !m.is_file()))
    {
        Some(file) => Err(DiffError::Git(format!(
            "{} is not a regular file, so the worktree's status cannot be read; make it a file \
             or remove it",
            file.display()
        ))),
        None => Ok(()),
    }
}

/// The text of a blob at the merge base: `Ok(None)` when it is not in the object database
/// (a partial clone), `Err` when it is not UTF-8.
pub fn old_text(repo: &gix::Repository, id: ObjectId) -> Option<Result<String, ()>> {
    let object = repo.try_find_object(id).ok().flatten()?;
    let data = object
        .data
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&object.data);
    Some(String::from_utf8(data.to_vec()).map_err(|_| ()))
}
