//! The yearly report's schema, compiled once, and what it says about each section and each
//! body a copy is sent to. The sections are read from the schema in its order: their titles,
//! what the guidance asks of them, their sources, the words they need, the figures that go
//! with them and whether an answer elsewhere decides that they are needed.

use std::sync::LazyLock;

use serde_json::Value;

use super::YearlyError;
use crate::forms::schema_index::escape_segment;
use crate::validate::record::RecordSchema;
use crate::validate::text::DEFAULT_MIN_WORDS;
use crate::validate::{Finding, Severity};

/// The schema's text, built in.
const TEXT: &str = include_str!("../../schemas/records/yearly-report.schema.json");

/// Where the written sections are, and where the dates of the copies sent are.
const SECTIONS: &str = "sections";
const SENT: &str = "sent";

/// One written section, as the schema describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionSpec {
    /// The section's key in the answers.
    pub key: String,
    /// Its JSON pointer in the answers.
    pub pointer: String,
    /// Its title.
    pub title: String,
    /// What the guidance asks it to say.
    pub description: String,
    /// The guidance it rests on.
    pub source: String,
    /// The fewest words that count as written.
    pub min_words: usize,
    /// The service's figures printed after it (`x-figures`), if any.
    pub figures: Option<String>,
    /// A pointer to a yes-or-no answer that decides whether it is needed (`x-required-if`).
    pub required_if: Option<String>,
}

/// One body a copy of the published report is sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientSpec {
    /// The key in the answers' `sent`.
    pub key: String,
    /// Its JSON pointer in the answers.
    pub pointer: String,
    /// The field's title ("Sent to the ...").
    pub title: String,
    /// The body's name, from the title.
    pub name: String,
}

/// The schema (its validator, titles and errors in plain English) and what it says of
/// sections and copies.
pub(super) struct Compiled {
    pub(super) record: RecordSchema,
    pub(super) sections: Vec<SectionSpec>,
    pub(super) recipients: Vec<RecipientSpec>,
    /// Calendar days after publication by which each copy is due.
    pub(super) due_days: u64,
    /// The guidance on sending copies.
    pub(super) sending_source: String,
}

static COMPILED: LazyLock<Result<Compiled, String>> = LazyLock::new(|| {
    let record = RecordSchema::compile(TEXT, "the yearly report's answers")?;
    let schema = &record.schema;
    let source = record.source.clone();
    let text = |value: &Value, key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let sections = properties(schema, SECTIONS)
        .map(|(key, field)| {
            let pointer = format!("/{SECTIONS}/{}", escape_segment(key));
            Ok(SectionSpec {
                key: key.clone(),
                title: text(field, "title").ok_or(format!("{pointer} has no title"))?,
                description: text(field, "description")
                    .ok_or(format!("{pointer} has no description"))?,
                source: text(field, "x-source").ok_or(format!("{pointer} has no x-source"))?,
                min_words: field
                    .get("x-min-words")
                    .and_then(Value::as_u64)
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(DEFAULT_MIN_WORDS),
                figures: text(field, "x-figures"),
                required_if: text(field, "x-required-if"),
                pointer,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    if sections.is_empty() {
        return Err("the schema has no sections".to_owned());
    }
    let recipients = properties(schema, SENT)
        .map(|(key, field)| {
            let title = text(field, "title").unwrap_or_else(|| key.clone());
            RecipientSpec {
                key: key.clone(),
                pointer: format!("/{SENT}/{}", escape_segment(key)),
                name: title
                    .strip_prefix("Sent to the ")
                    .or_else(|| title.strip_prefix("Sent to "))
                    .map_or_else(|| title.clone(), str::to_owned),
                title,
            }
        })
        .collect();
    let sent = schema.pointer(&format!("/properties/{SENT}"));
    let due_days = sent
        .and_then(|s| s.get("x-due-calendar-days-after-publication"))
        .and_then(Value::as_u64)
        .ok_or("the schema gives no days for sending copies")?;
    let sending_source = sent.and_then(|s| text(s, "x-source")).unwrap_or(source);
    Ok(Compiled {
        record,
        sections,
        recipients,
        due_days,
        sending_source,
    })
});

fn properties<'a>(
    schema: &'a Value,
    container: &str,
) -> impl Iterator<Item = (&'a String, &'a Value)> {
    schema
        .pointer(&format!("/properties/{container}/properties"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

/// The compiled schema.
pub(super) fn compiled() -> Result<&'static Compiled, YearlyError> {
    COMPILED
        .as_ref()
        .map_err(|reason| YearlyError::Schema(reason.clone()))
}

impl Compiled {
    /// The field's name as people know it.
    pub(super) fn label(&self, pointer: &str) -> String {
        self.record.label(pointer)
    }

    /// An error or warning at `pointer`, with the field's own source.
    pub(super) fn finding(
        &self,
        severity: Severity,
        pointer: &str,
        rule: &str,
        message: String,
    ) -> Finding {
        let source = self.record.source_of(pointer);
        self.finding_with(severity, pointer, rule, source, message)
    }

    /// A finding with a source of its own.
    pub(super) fn finding_with(
        &self,
        severity: Severity,
        pointer: &str,
        rule: &str,
        source: String,
        message: String,
    ) -> Finding {
        self.record
            .finding(severity, pointer, rule, source, message)
    }
}
