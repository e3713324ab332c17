//! Findings as a page says them: what to do, in the field's words (GOV.UK's style: "Enter the
//! date returned", "Select yes or no"), from the same findings the API returns. A rule that
//! carries its own message (`x-message`) already says what to do and is shown as written.

use super::fields::{Widget, widget};
use crate::forms::Form;
use crate::validate::Finding;

/// The field's title as it reads inside a sentence: "Date returned" → "date returned"; a
/// title that starts with an acronym or a name keeps its capital.
fn in_sentence(title: &str) -> String {
    let mut chars = title.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(title.chars().skip(1)).collect()
        }
        _ => title.to_owned(),
    }
}

/// The message a page shows for a finding.
pub fn for_page(form: &Form, finding: &Finding) -> String {
    let index = form.index();
    let title = index.title(&finding.pointer);
    // A question inside a group or a list entry says which: "name for author".
    let context = finding
        .pointer
        .rsplit_once('/')
        .map(|(parent, _)| parent)
        .filter(|parent| !parent.is_empty())
        .map(|parent| format!(" for {}", in_sentence(&index.title(parent))))
        .unwrap_or_default();
    let field = format!("{}{context}", in_sentence(&title));
    let kind = index
        .node(&finding.pointer)
        .map(|node| widget(form, node, &finding.pointer));
    let from_rule = !finding.rule.starts_with("schema.");
    match (finding.rule.as_str(), kind) {
        _ if from_rule => finding.message.clone(),
        ("schema.required", Some(Widget::Choices | Widget::YesNo)) => {
            format!("Select an answer for {field}")
        }
        ("schema.required", Some(Widget::Checkboxes)) => {
            format!("Select at least one option for {field}")
        }
        ("schema.required", Some(Widget::List)) => format!("Add at least one entry to {field}"),
        ("schema.required", Some(Widget::Group)) => format!("Answer the questions in {field}"),
        ("schema.required", Some(Widget::Date)) => format!("Enter the {field}"),
        ("schema.required", Some(_)) if finding.message.contains("Because") => {
            finding.message.clone()
        }
        ("schema.required", _) => format!("Enter {field}"),
        ("schema.format", Some(Widget::Date)) => {
            format!(
                "{title} must be a real date, with a day, month and year (for example 27 3 2026)"
            )
        }
        ("schema.format", Some(Widget::Email)) => {
            "Enter an email address in the correct format, like name@example.com".to_owned()
        }
        ("schema.type", Some(Widget::Whole)) => format!("{title} must be a whole number, like 12"),
        ("schema.type", Some(Widget::Decimal)) => format!("{title} must be a number, like 12.5"),
        ("schema.type" | "schema.enum", Some(Widget::YesNo | Widget::Choices)) => {
            format!("Select one of the answers for {field}")
        }
        _ => finding.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_read_inside_a_sentence() {
        assert_eq!(in_sentence("Date returned"), "date returned");
        assert_eq!(in_sentence("NHS number"), "NHS number");
        assert_eq!(in_sentence("a"), "a");
    }
}
