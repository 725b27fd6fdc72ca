//! Finding the rootdir and the config file: pytest's `determine_setup` and `locate_config`.

use std::path::{Path, PathBuf};

use crate::error::ConfigError;
use crate::loaders::{loader_for, BY_NAME};
use crate::paths::{abspath, common_ancestor, dirs_from_args, expandvars, is_fs_root, is_option};
use crate::value::ConfigDict;
use crate::Overrides;

#[derive(Debug)]
pub(crate) struct Setup {
    pub rootdir: PathBuf,
    pub inifile: Option<PathBuf>,
    pub config: ConfigDict,
}

type Found = (PathBuf, PathBuf, ConfigDict);

/// pytest's `locate_config`: walk up from each arg; in each directory try the config names in
/// precedence order; the first file with pytest configuration wins. A `pyproject.toml` without
/// any is remembered and used only when nothing else is found.
fn locate_config(invocation_dir: &Path, args: &[PathBuf]) -> Result<Option<Found>, ConfigError> {
    let mut args: Vec<&PathBuf> = args.iter().filter(|a| !is_option(a)).collect();
    let invocation = invocation_dir.to_path_buf();
    if args.is_empty() {
        args.push(&invocation);
    }
    let mut found_pyproject: Option<PathBuf> = None;
    for arg in args {
        let argpath = abspath(invocation_dir, arg);
        for base in argpath.ancestors() {
            for (index, (name, loader)) in BY_NAME.iter().enumerate() {
                let path = base.join(name);
                if !path.is_file() {
                    continue;
                }
                if *name == "pyproject.toml" && found_pyproject.is_none() {
                    found_pyproject = Some(path.clone());
                }
                if let Some(config) = loader(&path)? {
                    // pytest loads the lower-precedence files of the same directory too (to
                    // report them as ignored), so their errors are errors here as well.
                    for (rest, rest_loader) in &BY_NAME[index + 1..] {
                        let other = base.join(rest);
                        if other.is_file() {
                            rest_loader(&other)?;
                        }
                    }
                    return Ok(Some((base.to_path_buf(), path, config)));
                }
            }
        }
    }
    Ok(found_pyproject.map(|p| {
        (
            p.parent().map_or_else(|| p.clone(), Path::to_path_buf),
            p,
            ConfigDict::new(),
        )
    }))
}

/// pytest's `determine_setup` (without `-o`, which comes later from addopts).
pub(crate) fn determine_setup(
    invocation_dir: &Path,
    args: &[PathBuf],
    overrides: &Overrides,
) -> Result<Setup, ConfigError> {
    let dirs = dirs_from_args(invocation_dir, args);
    let rootdir_arg = overrides
        .rootdir
        .as_ref()
        .filter(|p| !p.as_os_str().is_empty());
    let mut rootdir: Option<PathBuf> = None;
    let inifile: Option<PathBuf>;
    let config: ConfigDict;
    if let Some(ini) = overrides
        .inifile
        .as_ref()
        .filter(|p| !p.as_os_str().is_empty())
    {
        let path = abspath(invocation_dir, ini);
        if !path.exists() {
            return Err(ConfigError::InifileNotFound { path });
        }
        if path.is_dir() {
            return Err(ConfigError::InifileIsDirectory { path });
        }
        config = match loader_for(&path) {
            Some(loader) => loader(&path)?.unwrap_or_default(),
            None if path.is_file() => return Err(ConfigError::InifileUnsupported { path }),
            // Not a regular file (e.g. /dev/null): no configuration at all.
            None => ConfigDict::new(),
        };
        if rootdir_arg.is_none() {
            rootdir = Some(match path.parent() {
                Some(parent) if path.is_file() => parent.to_path_buf(),
                _ => {
                    let ancestor = common_ancestor(invocation_dir, &dirs);
                    if is_fs_root(&ancestor) {
                        invocation_dir.to_path_buf()
                    } else {
                        ancestor
                    }
                }
            });
        }
        inifile = Some(path);
    } else {
        let ancestor = common_ancestor(invocation_dir, &dirs);
        let mut found = locate_config(invocation_dir, std::slice::from_ref(&ancestor))?;
        if found.is_none() && rootdir_arg.is_none() {
            rootdir = ancestor
                .ancestors()
                .find(|d| d.join("setup.py").is_file())
                .map(Path::to_path_buf);
            if rootdir.is_none() {
                if dirs != [ancestor.clone()] {
                    found = locate_config(invocation_dir, &dirs)?;
                }
                if found.is_none() {
                    let root = common_ancestor(
                        invocation_dir,
                        &[invocation_dir.to_path_buf(), ancestor.clone()],
                    );
                    rootdir = Some(if is_fs_root(&root) { ancestor } else { root });
                }
            }
        }
        let (found_root, found_ini, found_config) = match found {
            Some((root, ini, cfg)) => (Some(root), Some(ini), cfg),
            None => (None, None, ConfigDict::new()),
        };
        rootdir = rootdir.or(found_root);
        inifile = found_ini;
        config = found_config;
    }
    if let Some(arg) = rootdir_arg {
        let expanded = expandvars(&arg.to_string_lossy(), &overrides.vars);
        let path = abspath(invocation_dir, Path::new(&expanded));
        if !path.is_dir() {
            return Err(ConfigError::RootdirNotFound { path });
        }
        rootdir = Some(path);
    }
    let rootdir = rootdir.unwrap_or_else(|| invocation_dir.to_path_buf());
    Ok(Setup {
        rootdir,
        inifile,
        config,
    })
}

#[cfg(test)]
#[path = "discovery_tests.rs"]
mod tests;
