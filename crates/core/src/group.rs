//! Group ids as written in `@pytest.mark.group(ID)`.

use std::cmp::Ordering;
use std::fmt;

/// An int or str group id. Output always uses the string form (`1` -> `"1"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GroupId {
    Int(i64),
    Str(String),
}

/// Characters the original `--collect-groups` conftest rejected because they break
/// CI artifact names.
pub const ARTIFACT_UNSAFE: &[char] = &['\\', '/', '"', '\'', ':', '<', '>', '|', '*', '?'];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupIdError {
    #[error("the group id is an empty string")]
    Empty,
    #[error("the group id {id:?} contains {found:?}, which breaks CI artifact names")]
    ArtifactUnsafe { id: String, found: char },
    #[error("the group id {id:?} contains a control character")]
    Control { id: String },
}

impl GroupId {
    /// Checks what every CI platform needs of an id: not empty, printable, and free of
    /// the characters artifact names cannot hold.
    pub fn validate(&self) -> Result<(), GroupIdError> {
        let GroupId::Str(s) = self else {
            return Ok(());
        };
        if s.is_empty() {
            return Err(GroupIdError::Empty);
        }
        if let Some(found) = s.chars().find(|c| ARTIFACT_UNSAFE.contains(c)) {
            return Err(GroupIdError::ArtifactUnsafe {
                id: s.clone(),
                found,
            });
        }
        if s.chars().any(char::is_control) {
            return Err(GroupIdError::Control { id: s.clone() });
        }
        Ok(())
    }

    /// The id as Python writes it: str ids quoted, so `1` and `"1"` read differently.
    pub fn quoted(&self) -> String {
        match self {
            GroupId::Int(n) => n.to_string(),
            GroupId::Str(s) => format!("{s:?}"),
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            GroupId::Int(n) => Some(*n),
            GroupId::Str(_) => None,
        }
    }
}

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupId::Int(n) => write!(f, "{n}"),
            GroupId::Str(s) => f.write_str(s),
        }
    }
}

impl Ord for GroupId {
    /// Ints numerically first, then strings: the matrix order users see.
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (GroupId::Int(a), GroupId::Int(b)) => a.cmp(b),
            (GroupId::Int(_), GroupId::Str(_)) => Ordering::Less,
            (GroupId::Str(_), GroupId::Int(_)) => Ordering::Greater,
            (GroupId::Str(a), GroupId::Str(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for GroupId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_sort_numerically_before_strings() {
        let mut ids = [
            GroupId::Str("b".into()),
            GroupId::Int(10),
            GroupId::Str("a".into()),
            GroupId::Int(2),
        ];
        ids.sort();
        let shown: Vec<_> = ids.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["2", "10", "a", "b"]);
    }

    #[test]
    fn rejects_what_breaks_artifact_names() {
        assert_eq!(
            GroupId::Str(String::new()).validate(),
            Err(GroupIdError::Empty)
        );
        for bad in ["a/b", "a:b", "x|y", "q?", "tab\tx"] {
            assert!(GroupId::Str(bad.into()).validate().is_err(), "{bad}");
        }
        assert!(GroupId::Str("large deployment".into()).validate().is_ok());
        assert!(GroupId::Int(0).validate().is_ok());
    }
}
