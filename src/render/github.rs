//! GitHub Actions workflow commands: annotations on the pull request.

use fanout_core::escape::{workflow_data, workflow_property};
use fanout_core::{Diagnostic, Severity};

/// `::error file=...,line=...,col=...,title=...::message`, escaped as the runner unescapes.
pub fn workflow_command(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if !d.path.is_empty() {
        props.push(format!("file={}", workflow_property(&d.path)));
    }
    if d.line > 0 {
        props.push(format!("line={}", d.line));
        if d.column > 0 {
            props.push(format!("col={}", d.column));
        }
    }
    props.push(format!(
        "title={}",
        workflow_property(&format!("fanout {level}[{}]", d.code))
    ));
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        message.push_str("\nhint: ");
        message.push_str(hint);
    }
    format!("::{level} {}::{}", props.join(","), workflow_data(&message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fanout_core::Code;

    #[test]
    fn workflow_commands_are_escaped() {
        let d = Diagnostic::error(Code::UnknownMarker, "t/a,b:c.py", "50% of\nit")
            .at(3, 4)
            .with_hint("x");
        assert_eq!(
            workflow_command(&d),
            "::error file=t/a%2Cb%3Ac.py,line=3,col=4,title=fanout error[unknown-marker]::50%25 of%0Ait%0Ahint: x"
        );
        let w = Diagnostic::warning(Code::IgnoredMarkers, "pyproject.toml", "m");
        assert_eq!(
            workflow_command(&w),
            "::warning file=pyproject.toml,title=fanout warning[ignored-markers]::m"
        );
    }

    #[test]
    fn a_path_cannot_add_a_second_command() {
        let d = Diagnostic::error(Code::MixedGrouping, "x\n::add-mask::s", "m\r\n::error::y");
        let line = workflow_command(&d);
        assert!(!line.contains(['\n', '\r']), "{line}");
        assert!(
            line.starts_with("::error file=x%0A%3A%3Aadd-mask%3A%3As,title="),
            "{line}"
        );
    }
}
