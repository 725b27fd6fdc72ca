//! Finding the file an import names, cached: the same `import x` is looked up from many
//! modules.

use super::search_path::{self, Found, SearchPath};
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub struct Locator {
    search: SearchPath,
    /// Basedirs of the test modules, in the order they were found.
    basedirs: Vec<PathBuf>,
    found: Mutex<HashMap<(PathBuf, String), Option<Found>>>,
    /// Absolute imports by (importer's basedir, dotted name): every test module imports
    /// `os` and `pytest`, and searching all roots for each would dominate collection.
    absolute: Mutex<HashMap<(PathBuf, String), Option<Found>>>,
    /// Basedir of each importer's folder: asked for once per import otherwise.
    basedirs_of: Mutex<HashMap<PathBuf, PathBuf>>,
}

impl Locator {
    pub fn new(search: SearchPath, test_files: &[PathBuf]) -> Self {
        let mut basedirs: Vec<PathBuf> = Vec::new();
        // Once per folder (a file's basedir is its folder's): finding it stats every
        // `__init__.py` upward, and a suite has many files per folder.
        let mut of_folder: HashMap<PathBuf, PathBuf> = HashMap::default();
        for file in test_files {
            let folder = file.parent().unwrap_or(Path::new(""));
            if of_folder.contains_key(folder) {
                continue;
            }
            let dir = search_path::basedir(file);
            if !basedirs.contains(&dir) {
                basedirs.push(dir.clone());
            }
            of_folder.insert(folder.to_path_buf(), dir);
        }
        Locator {
            search,
            basedirs,
            found: Mutex::default(),
            absolute: Mutex::default(),
            basedirs_of: Mutex::new(of_folder),
        }
    }

    /// The module `from <dots><dotted> import ...` or `import <dotted>` names, seen from
    /// `importer`; None when it is not in the project (the standard library, an installed
    /// package) or does not exist.
    pub fn locate(&self, importer: &Path, level: u32, dotted: &str) -> Option<Found> {
        if level > 0 {
            let base = search_path::relative_base(importer, level)?;
            return self.cached(&base, dotted);
        }
        let key = (self.basedir(importer), dotted.to_owned());
        if let Some(found) = self.absolute.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return found;
        }
        let mut first = vec![key.0.clone()];
        first.extend(self.basedirs.iter().cloned());
        let found = self
            .search
            .roots(&first)
            .iter()
            .find_map(|root| self.cached(root, dotted));
        if let Ok(mut map) = self.absolute.lock() {
            map.insert(key, found.clone());
        }
        found
    }

    fn basedir(&self, importer: &Path) -> PathBuf {
        let folder = importer.parent().unwrap_or(Path::new("")).to_path_buf();
        if let Some(hit) = self
            .basedirs_of
            .lock()
            .ok()
            .and_then(|m| m.get(&folder).cloned())
        {
            return hit;
        }
        let found = search_path::basedir(importer);
        if let Ok(mut map) = self.basedirs_of.lock() {
            map.insert(folder, found.clone());
        }
        found
    }

    fn cached(&self, root: &Path, dotted: &str) -> Option<Found> {
        let key = (root.to_path_buf(), dotted.to_owned());
        if let Some(found) = self.found.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return found;
        }
        let found = search_path::find_in(root, dotted);
        if let Ok(mut map) = self.found.lock() {
            map.insert(key, found.clone());
        }
        found
    }
}
