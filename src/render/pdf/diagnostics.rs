//! typst diagnostics turned into one readable sentence for a [`super::PdfError`].

use typst::diag::SourceDiagnostic;

/// The messages and hints of `diagnostics`, joined; without source positions, which only mean
/// something to whoever maintains the template.
pub(super) fn describe(diagnostics: &[SourceDiagnostic]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for diagnostic in diagnostics {
        let mut part = diagnostic.message.to_string();
        for hint in &diagnostic.hints {
            part.push_str(" (");
            part.push_str(&hint.v);
            part.push(')');
        }
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        "no details were given".to_owned()
    } else {
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::syntax::Span;

    #[test]
    fn messages_are_joined_once_each_with_hints() {
        let first = SourceDiagnostic::error(Span::detached(), "missing document title")
            .with_hint("set the title of the document");
        let again = first.clone();
        let other = SourceDiagnostic::error(Span::detached(), "unknown font");
        assert_eq!(
            describe(&[first, again, other]),
            "missing document title (set the title of the document); unknown font"
        );
        assert_eq!(describe(&[]), "no details were given");
    }
}
