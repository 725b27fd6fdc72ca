//! GitLab's Code Quality report: a JSON array of findings that merge requests show inline
//! (`artifacts: reports: codequality`). Each finding has a description, a check name, a
//! fingerprint, a severity and a location (`path`, `lines.begin`).

use fanout_core::{Diagnostic, Severity};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

#[derive(Serialize)]
struct Finding<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

/// Writes the report (an empty array when there is nothing to report: GitLab then shows no
/// findings, and resolves the ones of the target branch).
pub fn code_quality(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let findings: Vec<Finding<'_>> = diagnostics
        .iter()
        .map(|d| {
            let code = d.code.as_str();
            // The fingerprint leaves the line out, so a finding that only moves is the same
            // finding; repeats of one message in one file are told apart by their order.
            let hash = fnv1a([code, d.path.as_str(), d.message.as_str()]);
            let nth = seen.entry(hash).or_default();
            *nth += 1;
            let mut description = d.message.clone();
            if let Some(hint) = &d.hint {
                description.push_str(" (hint: ");
                description.push_str(hint);
                description.push(')');
            }
            Finding {
                description,
                check_name: code,
                fingerprint: format!("{hash:016x}{nth:08x}"),
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: Location {
                    path: &d.path,
                    lines: Lines {
                        begin: d.line.max(1),
                    },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &findings)?;
    writeln!(out)
}

/// 64-bit FNV-1a over the parts, each followed by a 0 byte: stable across runs and
/// platforms, which is all a fingerprint needs.
fn fnv1a<'a>(parts: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.as_bytes().iter().chain(&[0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use fanout_core::Code;

    fn report(diagnostics: &[Diagnostic]) -> serde_json::Value {
        let mut out = Vec::new();
        code_quality(&mut out, diagnostics).expect("memory");
        serde_json::from_slice(&out).expect("valid JSON")
    }

    #[test]
    fn findings_have_gitlabs_fields() {
        let d = Diagnostic::error(Code::UnknownMarker, "tests/test_a.py", "unknown")
            .at(3, 4)
            .with_hint("register it");
        let doc = report(&[d]);
        let f = &doc[0];
        assert_eq!(f["check_name"], "unknown-marker");
        assert_eq!(f["severity"], "major");
        assert_eq!(f["description"], "unknown (hint: register it)");
        assert_eq!(f["location"]["path"], "tests/test_a.py");
        assert_eq!(f["location"]["lines"]["begin"], 3);
    }

    #[test]
    fn fingerprints_ignore_lines_and_tell_repeats_apart() {
        let a = Diagnostic::warning(Code::UnknownMarker, "t.py", "m").at(3, 1);
        let moved = Diagnostic::warning(Code::UnknownMarker, "t.py", "m").at(9, 1);
        let first = report(std::slice::from_ref(&a));
        let second = report(std::slice::from_ref(&moved));
        assert_eq!(first[0]["fingerprint"], second[0]["fingerprint"]);
        let both = report(&[a, moved]);
        assert_ne!(both[0]["fingerprint"], both[1]["fingerprint"]);
        assert_eq!(both[0]["location"]["lines"]["begin"], 3);
    }

    #[test]
    fn a_file_level_finding_starts_at_line_one() {
        let d = Diagnostic::error(Code::IgnoredMarkers, "pyproject.toml", "m");
        assert_eq!(report(&[d])[0]["location"]["lines"]["begin"], 1);
    }
}
