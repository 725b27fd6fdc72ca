//! Names a CI derives its own rules for (Azure matrix legs, CircleCI jobs, Buildkite step
//! keys), made from fanout's job names: valid, unique and stable (the same job gets the same
//! name on every run, whatever else is in the matrix).

/// A CI's rules for a name.
#[derive(Debug, Clone, Copy)]
pub struct NameRules {
    /// Characters allowed besides ASCII letters and digits; every other run of characters
    /// becomes one `_` (which must be allowed, or `-` when only that is).
    pub extra: &'static str,
    /// At most this many characters.
    pub max_chars: usize,
    /// The first character must be an ASCII letter (else `prefix` is put in front).
    pub letter_first: bool,
    /// Put in front of every name (and of a name that would not start with a letter).
    pub prefix: &'static str,
    /// Whether the CI compares names without case.
    pub case_insensitive: bool,
}

/// One name per job name, in order: the job name with disallowed characters replaced, cut to
/// the limit; where two jobs would share a name (or differ only in case, for a CI that
/// ignores it), each gets an 8-digit hash of its whole job name appended.
pub fn unique_names(job_names: &[&str], rules: &NameRules) -> Vec<String> {
    let bases: Vec<String> = job_names.iter().map(|n| base(n, rules)).collect();
    let key = |s: &str| {
        if rules.case_insensitive {
            s.to_ascii_lowercase()
        } else {
            s.to_owned()
        }
    };
    let mut count: std::collections::HashMap<String, usize> = Default::default();
    for b in &bases {
        *count.entry(key(b)).or_default() += 1;
    }
    let sep = separator(rules);
    bases
        .iter()
        .zip(job_names)
        .map(|(b, name)| {
            if count.get(&key(b)).copied().unwrap_or(0) <= 1 {
                return b.clone();
            }
            let suffix = format!("{sep}{:08x}", crate::matrix::fnv1a(name));
            let keep = rules.max_chars.saturating_sub(suffix.len());
            let mut head: String = b.chars().take(keep).collect();
            head.push_str(&suffix);
            head
        })
        .collect()
}

fn separator(rules: &NameRules) -> char {
    if rules.extra.contains('_') {
        '_'
    } else {
        '-'
    }
}

fn base(name: &str, rules: &NameRules) -> String {
    let sep = separator(rules);
    let mut out = String::from(rules.prefix);
    let mut last_was_sep = out.ends_with(sep);
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || (rules.extra.contains(c) && c != sep) {
            out.push(c);
            last_was_sep = false;
        } else if !last_was_sep {
            out.push(sep);
            last_was_sep = true;
        }
    }
    while out.len() > 1 && out.ends_with(sep) {
        out.pop();
    }
    if rules.letter_first && !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'j');
        if !out[1..].starts_with(sep) {
            out.insert(1, sep);
        }
    }
    // ASCII only from here, so cutting by bytes is cutting by characters.
    out.truncate(rules.max_chars);
    while out.len() > 1 && out.ends_with(sep) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const AZURE: NameRules = NameRules {
        extra: "_",
        max_chars: 100,
        letter_first: true,
        prefix: "",
        case_insensitive: true,
    };

    fn valid(name: &str, rules: &NameRules) -> bool {
        name.starts_with(|c: char| !rules.letter_first || c.is_ascii_alphabetic())
            && name.len() <= rules.max_chars
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || rules.extra.contains(c))
    }

    #[test]
    fn names_are_valid_unique_and_stable() {
        let long = "x".repeat(300);
        let jobs = [
            "test_a.py | group 1",
            "test_a.py | group 1.",
            "Test_A.py | group 1",
            "1st.py",
            "-kx/test_a.py | group é",
            &long,
            "",
        ];
        let names = unique_names(&jobs, &AZURE);
        let mut seen = std::collections::HashSet::new();
        for n in &names {
            assert!(valid(n, &AZURE), "{n}");
            assert!(
                seen.insert(n.to_ascii_lowercase()),
                "{n} twice in {names:?}"
            );
        }
        assert_eq!(names[3], "j_1st_py");
        // Stable: a job's name does not depend on the other jobs (unless they clash).
        let alone = unique_names(&jobs[3..4], &AZURE);
        assert_eq!(alone[0], names[3]);
        assert_eq!(unique_names(&jobs, &AZURE), names);
    }
}
