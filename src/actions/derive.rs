//! Actions made from a review's recommendations: one per recommendation and agency that must
//! act, with an id made from the case reference, the recommendation's number and the agency, so
//! that making them again from a re-sent report gives the same ids and [`merge`] adds only what
//! is new.
//!
//! Which fields of a form hold its recommendations is the form's own knowledge: it is given as
//! [`RecommendationFields`], read from the form schema's `x-actions` annotation
//! ([`RecommendationFields::from_schema`]) or passed in by the caller.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::record::{Action, Agency, Source, SourceKind, Status};
use crate::forms::schema_index::{SchemaIndex, lookup};

/// The id of the owner of a recommendation that names no agency: the partnership itself.
pub const PARTNERSHIP_ID: &str = "partnership";
/// The name of that owner.
pub const PARTNERSHIP_NAME: &str = "The safeguarding partnership";

/// Where a form holds its recommendations: the list, and within each item (as pointers
/// relative to the item) the number, the text, the agencies that must act and the due date.
/// This is the shape of the `x-actions` annotation of a final report's schema
/// (`schemas/README.md`), read when the form loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendationFields {
    /// The list of recommendations, e.g. `/recommendations`.
    pub list: String,
    /// The recommendation's number in an item, e.g. `/number`.
    pub number: String,
    /// Its text, e.g. `/text`.
    pub text: String,
    /// The names of the agencies that must act (a list of text, or one text), e.g.
    /// `/owner_agencies`.
    pub agencies: String,
    /// The date it should be achieved by, e.g. `/due_date`.
    pub due: String,
    /// Where the report gives the day its actions are raised (its publication, e.g.
    /// `/publication/published_date` then `/publication/planned_date`), from the report's
    /// root: the first of these fields holding a plausible date counts. The day the report is
    /// stored when none does. One pointer or a list in the schema.
    #[serde(default, deserialize_with = "one_or_many")]
    pub raised: Vec<String>,
}

/// One text or a list of them, as a list.
fn one_or_many<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

impl RecommendationFields {
    /// Reads the `x-actions` annotation of a form's schema: `None` when the form has none, an
    /// error (for the form's author) when it is malformed or names a field the form lacks.
    pub fn from_schema(schema: &Value) -> Result<Option<Self>, String> {
        let Some(value) = schema.get("x-actions") else {
            return Ok(None);
        };
        let fields: RecommendationFields = serde_json::from_value(value.clone())
            .map_err(|e| {
                format!("x-actions: {e} (give list, number, text, agencies and due; raised if the report dates them)")
            })?;
        let index = SchemaIndex::new(schema);
        if let Some(raised) = fields
            .raised
            .iter()
            .find(|raised| !raised.starts_with('/') || index.node(raised).is_none())
        {
            return Err(format!(
                "x-actions: raised \"{raised}\" is not a field of this form"
            ));
        }
        if index.node(&fields.list).is_none_or(|n| n.items.is_none()) {
            return Err(format!(
                "x-actions: \"{}\" is not a list of this form",
                fields.list
            ));
        }
        for item_field in [&fields.number, &fields.text, &fields.agencies, &fields.due] {
            let pointer = format!("{}/0{item_field}", fields.list);
            if !item_field.starts_with('/') || index.node(&pointer).is_none() {
                return Err(format!(
                    "x-actions: \"{item_field}\" is not a field of each item of \"{}\"",
                    fields.list
                ));
            }
        }
        Ok(Some(fields))
    }

    /// The day a report's actions are raised: the first plausible date at [`Self::raised`],
    /// else `today` (the day it is stored).
    pub fn raised_on(&self, report: &Value, today: NaiveDate) -> NaiveDate {
        self.raised
            .iter()
            .filter_map(|pointer| report.pointer(pointer))
            .filter_map(Value::as_str)
            .filter_map(crate::dates::parse_iso)
            .find(|date| super::dates::plausible_raised(*date, today))
            .unwrap_or(today)
    }
}

/// Actions made from a report, with a sentence for each recommendation that could not be
/// carried over as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Derived {
    /// The actions, one per recommendation and agency, in the report's order.
    pub actions: Vec<Action>,
    /// What the partnership should look at (no number, no agency, a due date that is no date).
    pub notes: Vec<String>,
}

/// The actions a case's final report asks for: one per recommendation and agency named as
/// responsible, not started, raised on `raised` (for example the publication date). Agency
/// names are matched to `known` agencies (by name or id, ignoring case and punctuation); a name
/// not known becomes an agency whose id is made from it. A recommendation naming no agency is
/// the partnership's until one is named.
pub fn actions_from_final_report(
    case_reference: &str,
    report: &Value,
    fields: &RecommendationFields,
    known: &[Agency],
    raised: NaiveDate,
) -> Derived {
    let mut derived = Derived::default();
    let Some(items) = lookup(report, &fields.list).and_then(Value::as_array) else {
        return derived;
    };
    let mut seen = HashSet::new();
    for (position, item) in items.iter().enumerate() {
        let number = lookup(item, &fields.number)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0);
        let Some(number) = number else {
            derived.notes.push(format!(
                "Recommendation {} of the report has no number, so no action was made from it.",
                position + 1
            ));
            continue;
        };
        let Some(text) = lookup(item, &fields.text)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            derived.notes.push(format!(
                "Recommendation {number} has no text, so no action was made from it."
            ));
            continue;
        };
        let due = match lookup(item, &fields.due).and_then(Value::as_str) {
            None => None,
            Some(written) => {
                let date = crate::dates::parse_iso(written);
                if date.is_none() {
                    derived.notes.push(format!(
                        "Recommendation {number} is due by {}, which is not a date: its actions have no due date yet.",
                        crate::validate::words::quote(written)
                    ));
                }
                date
            }
        };
        let mut owners = owner_names(item, &fields.agencies);
        if owners.is_empty() {
            derived.notes.push(format!(
                "Recommendation {number} names no agency: the partnership owns its action until one is named."
            ));
            owners.push(PARTNERSHIP_NAME.to_owned());
        }
        for name in owners {
            let agency = match_agency(&name, known);
            let id = action_id(case_reference, number, &agency.id);
            // The same agency named twice (or two names of one agency) make one action.
            if !seen.insert(id.clone()) {
                continue;
            }
            derived.actions.push(Action {
                id,
                source: Source {
                    kind: SourceKind::FinalReportRecommendation,
                    reference: format!("{case_reference} final report, recommendation {number}"),
                    case_reference: Some(case_reference.to_owned()),
                    recommendation: Some(number),
                },
                action: text.to_owned(),
                agency,
                lead: None,
                raised_date: raised,
                due_date: due,
                status: Status::NotStarted,
                completed_date: None,
                closure: None,
                progress: Vec::new(),
                impact: None,
            });
        }
    }
    derived
}

/// The id of the action made from recommendation `number` of a case's report for an agency:
/// `KSCP-2026-014:R2:kent-police`. A colon is in neither a case reference nor an agency id, so
/// the parts can always be told apart.
pub fn action_id(case_reference: &str, number: u32, agency_id: &str) -> String {
    format!("{case_reference}:R{number}:{agency_id}")
}

fn owner_names(item: &Value, pointer: &str) -> Vec<String> {
    let names = match lookup(item, pointer) {
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(name)) => vec![name.as_str()],
        _ => Vec::new(),
    };
    names
        .into_iter()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A name folded for comparison: lower case letters and digits only.
fn folded(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn match_agency(name: &str, known: &[Agency]) -> Agency {
    let wanted = folded(name);
    if let Some(agency) = known
        .iter()
        .find(|a| folded(&a.name) == wanted || folded(&a.id) == wanted)
    {
        return agency.clone();
    }
    if name == PARTNERSHIP_NAME {
        return Agency {
            id: PARTNERSHIP_ID.to_owned(),
            name: name.to_owned(),
        };
    }
    Agency {
        id: slug(name),
        name: name.to_owned(),
    }
}

/// An agency id made from its name: "Kent County Council Children's Social Care" →
/// `kent-county-council-childrens-social-care` (at most 80 characters, as the schema allows).
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '\u{2019}' {
            dash = true;
        }
    }
    out.truncate(80);
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "agency".to_owned()
    } else {
        out
    }
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeOutcome {
    /// The ids of the actions added.
    pub added: Vec<String>,
    /// The ids of actions already held whose source now words them differently (text, due
    /// date): kept as they are, with their progress, for the partnership to look at.
    pub differs: Vec<String>,
    /// The ids of actions held from the same reports that the reports no longer ask for: kept,
    /// for the partnership to close or keep.
    pub no_longer_asked: Vec<String>,
}

/// Adds to `existing` the `derived` actions it does not hold (by id), leaving every action it
/// holds, with its progress, exactly as it is. Re-deriving from the same report adds nothing.
pub fn merge(existing: &mut Vec<Action>, derived: Vec<Action>) -> MergeOutcome {
    let mut outcome = MergeOutcome::default();
    let derived_ids: HashSet<&str> = derived.iter().map(|a| a.id.as_str()).collect();
    let cases: BTreeSet<&str> = derived
        .iter()
        .filter(|a| a.source.kind == SourceKind::FinalReportRecommendation)
        .filter_map(|a| a.source.case_reference.as_deref())
        .collect();
    outcome.no_longer_asked = existing
        .iter()
        .filter(|a| a.source.kind == SourceKind::FinalReportRecommendation)
        .filter(|a| {
            a.source
                .case_reference
                .as_deref()
                .is_some_and(|c| cases.contains(c))
        })
        .filter(|a| !derived_ids.contains(a.id.as_str()))
        .map(|a| a.id.clone())
        .collect();
    let held: std::collections::HashMap<String, usize> = existing
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let mut added = HashSet::new();
    for action in derived {
        match held.get(&action.id) {
            Some(&i) => {
                let old = &existing[i];
                if old.action != action.action || old.due_date != action.due_date {
                    outcome.differs.push(action.id);
                }
            }
            None if added.insert(action.id.clone()) => {
                outcome.added.push(action.id.clone());
                existing.push(action);
            }
            None => {}
        }
    }
    outcome
}
