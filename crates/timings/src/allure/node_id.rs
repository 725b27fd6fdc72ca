//! pytest's node id of an allure-pytest result, relative to the rootdir.
//!
//! allure-pytest 2.16 derives everything from `item.nodeid` split at every `::`: `titlePath`
//! holds the path's `/`-parts then the classes, `fullName` is the dotted module path, the
//! classes, `#` and the function's name without parameters, the `package` label the dotted
//! module path alone, and `name` is pytest's `item.name` (`test_p[id one]`), unless
//! `@allure.title` replaced it. A parameter id holding `::` (`test_odd[a::b]`) is split too:
//! its head (`test_odd[a`) shows up among the classes of `titlePath` and `fullName`, and is
//! taken off again here.

use super::files::ResultFile;

/// `path::Class::name[id]`, or `None` when the result names neither a test nor its file.
pub fn node_id(result: &ResultFile, is_file: &dyn Fn(&str) -> bool) -> Option<String> {
    let (dotted, function) = match result.full_name.as_deref().and_then(|f| f.rsplit_once('#')) {
        Some((dotted, function)) => (Some(dotted), Some(function)),
        None => (None, None),
    };
    let test = test_name(result.name.as_deref(), function)?;
    let pieces: Vec<&str> = test.split("::").collect();
    let stray = &pieces[..pieces.len() - 1];
    let package = result.label("package");
    if let Some(title_path) = result.title_path.as_ref().filter(|p| !p.is_empty()) {
        let mut parts: Vec<&str> = title_path.iter().map(String::as_str).collect();
        if !stray.is_empty() && parts.ends_with(stray) {
            parts.truncate(parts.len() - stray.len());
        }
        let n = file_parts(&parts, package, is_file);
        return Some(joined(&parts[..n].join("/"), &parts[n..], test));
    }
    // Before titlePath (allure-pytest < 2.15): the dotted path, split after the `package`
    // label's module, else as JUnit's classname is.
    let mut dotted = dotted?;
    if !stray.is_empty() {
        let tail = format!(".{}", stray.join("."));
        dotted = dotted.strip_suffix(tail.as_str()).unwrap_or(dotted);
    }
    let classes = package
        .and_then(|p| dotted.strip_prefix(p))
        .filter(|rest| rest.is_empty() || rest.starts_with('.'));
    match (package, classes) {
        (Some(package), Some(classes)) => {
            let classes: Vec<&str> = classes.split('.').filter(|c| !c.is_empty()).collect();
            Some(joined(&file_of_package(package, is_file), &classes, test))
        }
        _ => Some(crate::junit::node_id(dotted, test, None, is_file)),
    }
}

fn joined(file: &str, classes: &[&str], test: &str) -> String {
    let mut id = file.to_owned();
    for class in classes {
        id.push_str("::");
        id.push_str(class);
    }
    id.push_str("::");
    id.push_str(test);
    id
}

/// The file of a dotted module path: its dots read as `/`, except those that `is_file` finds
/// in a folder's name (`tests.v1.2.test_z` -> `tests/v1.2/test_z.py`), tried for up to 12 parts.
fn file_of_package(package: &str, is_file: &dyn Fn(&str) -> bool) -> String {
    let parts: Vec<&str> = package.split('.').collect();
    let path = |dots: u32| {
        let mut path = parts[0].to_owned();
        for (i, part) in parts[1..].iter().enumerate() {
            path.push(if dots & (1 << i) == 0 { '/' } else { '.' });
            path.push_str(part);
        }
        path + ".py"
    };
    let separators = u32::try_from(parts.len() - 1).unwrap_or(u32::MAX);
    if separators <= 11 {
        if let Some(dots) = (0..1u32 << separators).find(|&dots| is_file(&path(dots))) {
            return path(dots);
        }
    }
    path(0)
}

/// pytest's `item.name`: `name` when it is the function's (`test_p` or `test_p[...]`), else
/// `@allure.title` replaced it and only the function's name is left (a parametrized test's
/// cases then share one node id: allure-pytest writes the parameter id nowhere else).
fn test_name<'a>(name: Option<&'a str>, function: Option<&'a str>) -> Option<&'a str> {
    match (name, function) {
        (Some(name), Some(function)) if is_item_of(name, function) => Some(name),
        (Some(name), None) => Some(name),
        (_, function) => function,
    }
}

fn is_item_of(name: &str, function: &str) -> bool {
    name.strip_prefix(function)
        .is_some_and(|rest| rest.is_empty() || (rest.starts_with('[') && rest.ends_with(']')))
}

/// How many of `parts` make the file's path: the longest that is a file under the rootdir,
/// else the one allure's `package` label names, else up to the last part with a `.` (a class
/// name has none).
fn file_parts(parts: &[&str], package: Option<&str>, is_file: &dyn Fn(&str) -> bool) -> usize {
    let lengths = || (1..=parts.len()).rev();
    lengths()
        .find(|&n| is_file(&parts[..n].join("/")))
        .or_else(|| {
            let package = package?;
            lengths().find(|&n| package_of(&parts[..n]) == package)
        })
        .or_else(|| parts.iter().rposition(|p| p.contains('.')).map(|i| i + 1))
        .unwrap_or(parts.len())
}

/// allure-pytest's `package` label of a file's path parts: the folders and the file's name
/// without its extension, joined by dots.
fn package_of(path: &[&str]) -> String {
    let Some((file, folders)) = path.split_last() else {
        return String::new();
    };
    let module = file.rsplit_once('.').map_or(*file, |(module, _)| module);
    let mut all: Vec<&str> = folders.to_vec();
    all.push(module);
    all.retain(|p| !p.is_empty());
    all.join(".")
}
