//! A `final-report` JSON submission as an [`Outline`]: each field under the heading a report
//! would give it, so a submission goes through the same checks as a Word draft.

use serde_json::Value;

use super::outline::{BlockKind, Outline};

fn heading(outline: &mut Outline, level: u8, text: &str) {
    outline.push(
        BlockKind::Heading {
            level,
            number: None,
        },
        text,
    );
}

fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// A section with one paragraph, left out when the field is absent.
fn section(outline: &mut Outline, doc: &Value, title: &str, pointer: &str) {
    if doc.pointer(pointer).is_some() {
        heading(outline, 1, title);
        outline.push(BlockKind::Paragraph, text(doc, pointer));
    }
}

/// The outline of a final report submission.
pub fn outline(doc: &Value) -> Outline {
    let mut o = Outline::default();
    heading(&mut o, 1, text(doc, "/title"));
    if let Some(pseudonym) = doc.get("case_pseudonym").and_then(Value::as_str) {
        o.push(
            BlockKind::Paragraph,
            &format!("Case pseudonym: {pseudonym}"),
        );
    }
    if let Some(reviewers) = doc.get("reviewers").and_then(Value::as_array) {
        heading(&mut o, 1, "Reviewers");
        for r in reviewers {
            let parts: Vec<&str> = ["/name", "/role", "/organisation"]
                .iter()
                .map(|p| text(r, p))
                .filter(|t| !t.is_empty())
                .collect();
            o.push(BlockKind::Paragraph, &parts.join(", "));
        }
    }
    section(&mut o, doc, "Date of the report", "/report_date");
    section(&mut o, doc, "Terms of reference", "/terms_of_reference");
    if doc.get("scope_period").is_some() {
        o.push(
            BlockKind::Paragraph,
            &format!(
                "Period under review: from {} to {}.",
                text(doc, "/scope_period/from"),
                text(doc, "/scope_period/to")
            ),
        );
    }
    if doc.get("rapid_review_decision_date").is_some() {
        o.push(
            BlockKind::Paragraph,
            &format!(
                "Date of the decision to hold the review: {}.",
                text(doc, "/rapid_review_decision_date")
            ),
        );
    }
    section(&mut o, doc, "Methodology", "/methodology");
    section(
        &mut o,
        doc,
        "Involvement of practitioners",
        "/involvement/practitioners",
    );
    if let Some(family) = doc.pointer("/involvement/family") {
        heading(&mut o, 1, "Involvement of the family");
        o.push(BlockKind::Paragraph, text(family, "/how"));
        o.push(BlockKind::Paragraph, text(family, "/why_not"));
    }
    section(
        &mut o,
        doc,
        "Surviving children",
        "/involvement/surviving_children",
    );
    section(&mut o, doc, "The child's perspective", "/child_perspective");
    section(&mut o, doc, "Family context", "/family_context");
    if let Some(findings) = doc.get("findings").and_then(Value::as_array) {
        heading(&mut o, 1, "Findings");
        for f in findings {
            heading(&mut o, 2, text(f, "/title"));
            o.push(BlockKind::Paragraph, text(f, "/finding"));
            if !text(f, "/evidence").is_empty() {
                o.push(
                    BlockKind::Paragraph,
                    &format!("Evidence: {}", text(f, "/evidence")),
                );
            }
        }
    }
    section(
        &mut o,
        doc,
        "Analysis of systemic or underlying reasons",
        "/systemic_analysis",
    );
    section(
        &mut o,
        doc,
        "Summary of recommended improvements",
        "/improvements_summary",
    );
    if let Some(recommendations) = doc.get("recommendations").and_then(Value::as_array) {
        heading(&mut o, 1, "Recommendations");
        for r in recommendations {
            o.push(BlockKind::ListItem { level: 0 }, &recommendation(r));
        }
    }
    o
}

fn recommendation(r: &Value) -> String {
    let mut out = text(r, "/text").to_owned();
    let owners: Vec<&str> = r
        .get("owner_agencies")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !owners.is_empty() {
        out += &format!(" Who must act: {}.", owners.join("; "));
    }
    let due = text(r, "/due_date");
    if !due.is_empty() {
        out += &format!(" By: {due}.");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_become_sections_and_recommendations_carry_owner_and_date() {
        let o = outline(&json!({
            "title": "Review: Child Z",
            "methodology": "A systems approach.",
            "recommendations": [
                {"text": "Audit referrals.", "owner_agencies": ["Kent Police"], "due_date": "2027-01-31"},
                {"text": "Share learning."}
            ]
        }));
        let texts: Vec<&str> = o.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Review: Child Z",
                "Methodology",
                "A systems approach.",
                "Recommendations",
                "Audit referrals. Who must act: Kent Police. By: 2027-01-31.",
                "Share learning."
            ]
        );
    }
}
