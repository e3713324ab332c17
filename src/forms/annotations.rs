//! What a form's schema says of the form's part in a case, read once when the form loads.
//!
//! Every mechanism (the case service, documents, Word forms, the timetable, the report check)
//! asks a form these questions instead of knowing forms by name. The keywords are documented in
//! `schemas/README.md`; an `x-` keyword this module does not know, or a known one with a value of
//! the wrong shape, stops the form from loading.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::schema_index::SchemaIndex;
use super::schema_index::lookup;
use crate::actions::RecommendationFields;
use crate::calendar::{Event, Events, LateReasons};
use crate::dates::parse_case_date;

/// The `x-` keywords of the form as a whole: only at the top of a schema.
pub const TOP_LEVEL: &[&str] = &[
    "x-form-id",
    "x-form-version",
    "x-case-role",
    "x-senders",
    "x-agency",
    "x-prefill",
    "x-timetable",
    "x-sections",
    "x-actions",
    "x-report",
];

/// The `x-` keywords of any field or rule.
pub const FIELD_LEVEL: &[&str] = &[
    "x-source",
    "x-enum-titles",
    "x-message",
    "x-min-words",
    "x-rule",
    "x-substantive",
    "x-identifying",
];

/// A form's part in a case (`x-case-role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseRole {
    /// The notification that opens a case: one per case.
    Notification,
    /// An agency's return, asked of each agency: one per agency.
    AgencyReturn,
    /// The partnership's record of the rapid review and its decision: one per case.
    RapidReviewRecord,
    /// The final report of a local review: one per case.
    FinalReport,
}

impl CaseRole {
    /// Every role, in the order of a case's journey.
    pub const ALL: [CaseRole; 4] = [
        CaseRole::Notification,
        CaseRole::AgencyReturn,
        CaseRole::RapidReviewRecord,
        CaseRole::FinalReport,
    ];

    /// The role in words, for messages: "the notification".
    pub fn describe(self) -> &'static str {
        match self {
            CaseRole::Notification => "the notification",
            CaseRole::AgencyReturn => "an agency's return",
            CaseRole::RapidReviewRecord => "the rapid review record",
            CaseRole::FinalReport => "the final report",
        }
    }

    /// Whether a case holds one form of this role from each agency rather than one in all.
    pub fn per_agency(self) -> bool {
        self == CaseRole::AgencyReturn
    }
}

/// The kinds of people who may send a form (`x-senders`), as the service's roles name them.
pub const SENDERS: &[&str] = &["partnership", "agency", "reviewer"];

/// What kind of identifying detail a field holds (`x-identifying`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Identifying {
    /// A person's name.
    Name,
    /// A date of birth.
    DateOfBirth,
    /// A postal address (lines of it).
    Address,
    /// A postcode.
    Postcode,
    /// A school or nursery.
    School,
    /// An NHS number.
    NhsNumber,
    /// A telephone number.
    Phone,
    /// An email address.
    Email,
}

/// The case facts a blank form or a web form can be pre-filled with (`x-prefill`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Prefill {
    /// Where the case reference goes.
    pub case_reference: Option<String>,
    /// Where the child's pseudonym goes.
    pub pseudonym: Option<String>,
    /// The object (`{id, name}`) where the agency filling it in goes.
    pub agency: Option<String>,
}

/// One date of a form that feeds the case timetable (`x-timetable`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimetableDate {
    /// The calendar event the date records.
    pub event: Event,
    /// Where the date is in a submission.
    pub date: String,
    /// Only when each of these fields holds this text.
    #[serde(default)]
    pub when: Map<String, Value>,
    /// Where the form says why the step this date records was late (`late-reason`): one
    /// pointer or a list of them, the first holding text giving the reason.
    #[serde(default, rename = "late-reason", deserialize_with = "one_or_many")]
    pub late_reason: Vec<String>,
    /// The date is a plan (a day planned), not the day the event happened: it stands for the
    /// event until a later entry of the form gives the day it happened, and once it has
    /// passed the timetable says so.
    #[serde(default)]
    pub planned: bool,
}

/// A planned day that stands for its event in a submission, with where the form takes the day
/// it happened, if it has such a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDay {
    /// The event.
    pub event: Event,
    /// The day planned.
    pub day: chrono::NaiveDate,
    /// The field for the day it happened (a later entry of `x-timetable` for the same event).
    pub actual: Option<String>,
}

/// One JSON pointer, or a list of them.
fn one_or_many<'de, D: serde::Deserializer<'de>>(input: D) -> Result<Vec<String>, D::Error> {
    let shape = || {
        serde::de::Error::custom(
            "late-reason: give the JSON pointer of the field that holds the reason, or a list of them",
        )
    };
    match Value::deserialize(input)? {
        Value::String(one) => Ok(vec![one]),
        Value::Array(many) => many
            .into_iter()
            .map(|item| match item {
                Value::String(pointer) => Ok(pointer),
                _ => Err(shape()),
            })
            .collect(),
        _ => Err(shape()),
    }
}

/// One page of the form on the web (`x-sections`): a title and the top-level fields on it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The page's heading and its line in the task list.
    pub title: String,
    /// The top-level properties on the page, in order.
    pub fields: Vec<String>,
}

/// Where a form holds what the partnership's timeliness and activity report counts
/// (`x-report`): each a JSON pointer, each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ReportFields {
    /// Whether the child died or was seriously harmed: a field holding `death` or
    /// `serious-harm`.
    pub origin: Option<String>,
    /// The categories of abuse or neglect: a list of codes (or one code).
    pub categories: Option<String>,
    /// The rapid review's decision: a code such as `lcspr` or `no-review`.
    pub decision: Option<String>,
    /// The titles people know the categories' and the decision's codes by (their fields'
    /// `x-enum-titles`), read from the schema when it loads.
    #[serde(skip)]
    pub titles: BTreeMap<String, String>,
}

impl ReportFields {
    /// Whether the form says nothing for the report.
    pub fn is_empty(&self) -> bool {
        self.origin.is_none() && self.categories.is_none() && self.decision.is_none()
    }

    /// The child's death or serious harm as a submission records it.
    pub fn origin(&self, submission: &Value) -> Option<crate::timeliness::Origin> {
        let value = lookup(submission, self.origin.as_deref()?)?;
        serde_json::from_value(value.clone()).ok()
    }

    /// The categories of abuse or neglect a submission records, as codes.
    pub fn categories(&self, submission: &Value) -> Vec<String> {
        match self
            .categories
            .as_deref()
            .and_then(|pointer| lookup(submission, pointer))
        {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(one)) => vec![one.clone()],
            _ => Vec::new(),
        }
    }

    /// The rapid review's decision a submission records.
    pub fn decision(&self, submission: &Value) -> Option<String> {
        lookup(submission, self.decision.as_deref()?)
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}

/// Everything the schema says of the form's part in a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotations {
    /// The form's part in a case.
    pub case_role: CaseRole,
    /// Who may send it, by role name.
    pub senders: Vec<String>,
    /// The object (`{id, name}`) where the form names its agency, for agency returns.
    pub agency: Option<String>,
    /// Where case facts go when a form is pre-filled.
    pub prefill: Prefill,
    /// The dates that feed the timetable.
    pub timetable: Vec<TimetableDate>,
    /// The form's pages on the web: from `x-sections`, or one page per top-level field that a
    /// person fills in (not a constant, not the case reference or agency the case fills in).
    pub sections: Vec<Section>,
    /// Where a final report holds its recommendations, which become actions (`x-actions`).
    pub actions: Option<RecommendationFields>,
    /// Where the form holds what the timeliness report counts (`x-report`).
    pub report: ReportFields,
}

impl Annotations {
    /// Reads the top-level annotations and checks every `x-` keyword of the schema; `index`
    /// is the schema's own index, to check that the fields named exist.
    pub fn read(schema: &Value, index: &SchemaIndex) -> Result<Self, String> {
        check_keywords(schema, "", 0)?;
        let field = |key: &str| schema.get(key).cloned().unwrap_or(Value::Null);
        let case_role: CaseRole = serde_json::from_value(field("x-case-role"))
            .map_err(|_| {
                format!(
                    "x-case-role: {} is not a part in a case; use one of notification, agency-return, rapid-review-record, final-report",
                    field("x-case-role")
                )
            })?;
        let senders: Vec<String> = serde_json::from_value(field("x-senders"))
            .map_err(|e| format!("x-senders: {e} (a list of {})", SENDERS.join(", ")))?;
        if senders.is_empty() {
            return Err("x-senders: name at least one role".into());
        }
        if let Some(unknown) = senders.iter().find(|s| !SENDERS.contains(&s.as_str())) {
            return Err(format!(
                "x-senders: \"{unknown}\" is not a role (use {})",
                SENDERS.join(", ")
            ));
        }
        let agency = match schema.get("x-agency") {
            None => None,
            Some(Value::String(pointer)) => Some(pointer_in(index, "x-agency", pointer)?),
            Some(_) => return Err("x-agency: give the JSON pointer of the agency object".into()),
        };
        if case_role.per_agency() && agency.is_none() {
            return Err("x-agency: an agency return must say where it names its agency".into());
        }
        let prefill: Prefill = match schema.get("x-prefill") {
            None => Prefill::default(),
            Some(value) => {
                serde_json::from_value(value.clone()).map_err(|e| format!("x-prefill: {e}"))?
            }
        };
        for pointer in [&prefill.case_reference, &prefill.pseudonym, &prefill.agency]
            .into_iter()
            .flatten()
        {
            pointer_in(index, "x-prefill", pointer)?;
        }
        let timetable: Vec<TimetableDate> = match schema.get("x-timetable") {
            None => Vec::new(),
            Some(value) => {
                serde_json::from_value(value.clone()).map_err(|e| format!("x-timetable: {e}"))?
            }
        };
        for date in &timetable {
            pointer_in(index, "x-timetable", &date.date)?;
            for (pointer, wanted) in &date.when {
                pointer_in(index, "x-timetable", pointer)?;
                if !wanted.is_string() {
                    return Err(format!(
                        "x-timetable: the value wanted at {pointer} must be text"
                    ));
                }
            }
            for pointer in &date.late_reason {
                pointer_in(index, "x-timetable", pointer)?;
                if index.field(pointer).and_then(|f| f.kind.as_deref()) != Some("string") {
                    return Err(format!(
                        "x-timetable: the late-reason {pointer} must be a text field"
                    ));
                }
            }
        }
        let sections = sections(schema, index, &prefill)?;
        let actions = RecommendationFields::from_schema(schema)?;
        if actions.is_some() && case_role != CaseRole::FinalReport {
            return Err(
                "x-actions: only a final report's recommendations become actions; this form is not a final report (x-case-role)".into(),
            );
        }
        let report = report_fields(schema, index)?;
        Ok(Annotations {
            case_role,
            senders,
            agency,
            prefill,
            timetable,
            sections,
            actions,
            report,
        })
    }

    /// Whether a role (as the service names it) may send the form.
    pub fn may_send(&self, role: &str) -> bool {
        self.senders.iter().any(|s| s == role)
    }

    /// The dates a submission gives the timetable; fields that are absent or not real dates are
    /// left out (the schema reports them).
    pub fn events(&self, submission: &Value) -> Events {
        self.timetable
            .iter()
            .filter(|date| {
                date.when
                    .iter()
                    .all(|(pointer, wanted)| lookup(submission, pointer) == Some(wanted))
            })
            .filter_map(|date| {
                // A date of no case (year 0000, 9999) gives no event; the plausible-date rule
                // reports it.
                let day = lookup(submission, &date.date)?
                    .as_str()
                    .and_then(parse_case_date)?;
                Some((date.event, day))
            })
            .collect()
    }

    /// The events a submission dates only by a day planned (an `x-timetable` entry marked
    /// `planned` whose date is the one that stands: no later entry gives the day it happened).
    pub fn planned_days(&self, submission: &Value) -> Vec<PlannedDay> {
        let events = self.events(submission);
        let mut found: Vec<PlannedDay> = Vec::new();
        for (n, date) in self.timetable.iter().enumerate() {
            if !date.planned {
                continue;
            }
            let Some(day) = lookup(submission, &date.date)
                .and_then(Value::as_str)
                .and_then(parse_case_date)
            else {
                continue;
            };
            if events.get(&date.event) != Some(&day) {
                continue;
            }
            let later = self.timetable[n + 1..]
                .iter()
                .filter(|other| other.event == date.event && !other.planned);
            let happened = later.clone().any(|other| {
                lookup(submission, &other.date)
                    .and_then(Value::as_str)
                    .and_then(parse_case_date)
                    .is_some()
            });
            if !happened {
                found.push(PlannedDay {
                    event: date.event,
                    day,
                    actual: later.map(|other| other.date.clone()).next(),
                });
            }
        }
        found
    }

    /// Why steps were late, as a submission says: for each event of `x-timetable` whose `when`
    /// holds, the first of its `late-reason` fields holding text (trimmed).
    pub fn late_reasons(&self, submission: &Value) -> LateReasons {
        let mut reasons = LateReasons::new();
        for date in &self.timetable {
            let applies = date
                .when
                .iter()
                .all(|(pointer, wanted)| lookup(submission, pointer) == Some(wanted));
            let reason = date.late_reason.iter().find_map(|pointer| {
                lookup(submission, pointer)
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|text| !text.is_empty())
            });
            if let Some(reason) = reason.filter(|_| applies) {
                reasons
                    .entry(date.event)
                    .or_insert_with(|| reason.to_owned());
            }
        }
        reasons
    }

    /// The events the form can give the timetable at all.
    pub fn events_given(&self) -> BTreeSet<Event> {
        self.timetable.iter().map(|date| date.event).collect()
    }

    /// Every pointer these annotations read from a submission to place it in its case: the
    /// timetable's dates and conditions, the agency, the case reference and pseudonym, and what
    /// the timeliness report counts. A new annotation that reads a submission adds its pointers
    /// here, or the case list (which reads only [`Annotations::digest`]) will not see them.
    pub fn pointers_read(&self) -> Vec<&str> {
        let mut pointers: Vec<&str> = Vec::new();
        for date in &self.timetable {
            pointers.push(&date.date);
            pointers.extend(date.when.keys().map(String::as_str));
            pointers.extend(date.late_reason.iter().map(String::as_str));
        }
        pointers.extend(self.agency.as_deref());
        pointers.extend(
            [&self.prefill.case_reference, &self.prefill.pseudonym]
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
        pointers.extend(
            [
                &self.report.origin,
                &self.report.categories,
                &self.report.decision,
            ]
            .into_iter()
            .flatten()
            .map(String::as_str),
        );
        pointers
    }

    /// The part of a submission its case's standing reads (see [`Annotations::pointers_read`]),
    /// at the same places: every reading through these annotations gives the same answer on the
    /// digest as on the whole submission. Stored beside each submission so that a list of
    /// cases reads a few hundred bytes a form rather than its whole answers.
    pub fn digest(&self, submission: &Value) -> Value {
        let mut digest = Value::Object(Map::new());
        for pointer in self.pointers_read() {
            copy_at(submission, &mut digest, pointer);
        }
        digest
    }

    /// The agency a submission names: `(id, name)`, each present only when the form gives it.
    pub fn agency_of<'a>(&self, submission: &'a Value) -> (Option<&'a str>, Option<&'a str>) {
        let Some(base) = &self.agency else {
            return (None, None);
        };
        let at = |key: &str| {
            submission
                .pointer(&format!("{base}/{key}"))
                .and_then(Value::as_str)
        };
        (at("id"), at("name"))
    }
}

impl Prefill {
    /// Whether the case fills in this field itself (the case reference, the agency), so that a
    /// person is never asked for it.
    pub fn fills(&self, pointer: &str) -> bool {
        self.case_reference.as_deref() == Some(pointer) || self.agency.as_deref() == Some(pointer)
    }
}

/// The top-level fields a person fills in: not constants, not what the case fills in.
fn person_fills<'i>(index: &'i SchemaIndex, prefill: &'i Prefill) -> impl Iterator<Item = &'i str> {
    index
        .root()
        .properties
        .iter()
        .filter(|(name, node)| node.info.constant.is_none() && !prefill.fills(&format!("/{name}")))
        .map(|(name, _)| name.as_str())
}

/// `x-sections`, checked: every field a person fills in is on exactly one page.
fn sections(
    schema: &Value,
    index: &SchemaIndex,
    prefill: &Prefill,
) -> Result<Vec<Section>, String> {
    let Some(value) = schema.get("x-sections") else {
        return Ok(person_fills(index, prefill)
            .map(|name| Section {
                title: index.title(&format!("/{name}")),
                fields: vec![name.to_owned()],
            })
            .collect());
    };
    let sections: Vec<Section> =
        serde_json::from_value(value.clone()).map_err(|e| format!("x-sections: {e}"))?;
    let mut seen = BTreeSet::new();
    for section in &sections {
        if section.fields.is_empty() {
            return Err(format!("x-sections: \"{}\" names no field", section.title));
        }
        for field in &section.fields {
            pointer_in(index, "x-sections", &format!("/{field}"))?;
            if !seen.insert(field.as_str()) {
                return Err(format!("x-sections: {field} is on more than one page"));
            }
        }
    }
    if let Some(missing) = person_fills(index, prefill).find(|name| !seen.contains(name)) {
        return Err(format!(
            "x-sections: {missing} is on no page; add it to a section"
        ));
    }
    Ok(sections)
}

/// `x-report`, checked: each pointer leads to a field of the form, and an origin field offers
/// only `death` and `serious-harm`.
fn report_fields(schema: &Value, index: &SchemaIndex) -> Result<ReportFields, String> {
    let Some(value) = schema.get("x-report") else {
        return Ok(ReportFields::default());
    };
    let fields: ReportFields = serde_json::from_value(value.clone())
        .map_err(|e| format!("x-report: {e} (give any of origin, categories, decision)"))?;
    for pointer in [&fields.origin, &fields.categories, &fields.decision]
        .into_iter()
        .flatten()
    {
        pointer_in(index, "x-report", pointer)?;
    }
    if let Some(origin) = &fields.origin
        && let Some(other) = index.field(origin).and_then(|info| {
            info.enum_values
                .iter()
                .find(|code| !["death", "serious-harm"].contains(&code.as_str()))
        })
    {
        return Err(format!(
            "x-report: the origin field {origin} offers \"{other}\"; it must hold death or serious-harm"
        ));
    }
    let mut fields = fields;
    for pointer in [&fields.categories, &fields.decision].into_iter().flatten() {
        // A list of codes has its titles on its items.
        let titles = index.node(pointer).map(|node| match &node.items {
            Some(items) => &items.info.enum_titles,
            None => &node.info.enum_titles,
        });
        fields.titles.extend(
            titles
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
    }
    Ok(fields)
}

/// Checks that a pointer named by an annotation leads to a property the schema declares.
/// Copies the value at `pointer` of `source` to the same place in `digest`, making the objects
/// on the way. A value inside a list is copied with its whole list, so that the digest still
/// reads the same wherever the pointer leads.
fn copy_at(source: &Value, digest: &mut Value, pointer: &str) {
    let Some(rest) = pointer.strip_prefix('/') else {
        return;
    };
    let segments: Vec<String> = rest
        .split('/')
        .map(|raw| raw.replace("~1", "/").replace("~0", "~"))
        .collect();
    let (mut from, mut to) = (source, digest);
    for (at, segment) in segments.iter().enumerate() {
        let (Value::Object(from_map), Value::Object(to_map)) = (from, to) else {
            return;
        };
        let Some(next) = from_map.get(segment) else {
            return;
        };
        if at + 1 == segments.len() || !next.is_object() {
            to_map.insert(segment.clone(), next.clone());
            return;
        }
        to = to_map
            .entry(segment.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        from = next;
    }
}

fn pointer_in(index: &SchemaIndex, keyword: &str, pointer: &str) -> Result<String, String> {
    if pointer.starts_with('/') && index.node(pointer).is_some() {
        Ok(pointer.to_owned())
    } else {
        Err(format!(
            "{keyword}: \"{pointer}\" is not a field of this form"
        ))
    }
}

/// Every `x-` keyword in the schema is known, and the top-level ones are at the top.
fn check_keywords(value: &Value, at: &str, depth: usize) -> Result<(), String> {
    if depth > 64 {
        return Ok(());
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key.starts_with("x-") {
                    let top = TOP_LEVEL.contains(&key.as_str());
                    if !top && !FIELD_LEVEL.contains(&key.as_str()) {
                        return Err(format!(
                            "{key} (at {}) is not a keyword this engine knows; see schemas/README.md",
                            if at.is_empty() { "the top" } else { at }
                        ));
                    }
                    if depth > 0 && top {
                        return Err(format!(
                            "{key} belongs at the top of the schema, not at {at}"
                        ));
                    }
                    if key == "x-identifying" {
                        serde_json::from_value::<Identifying>(child.clone()).map_err(|_| {
                            format!("x-identifying at {at}: {child} is not a kind of detail; use name, date-of-birth, address, postcode, school, nhs-number, phone or email")
                        })?;
                    }
                    // Annotation values are data, not schemas: do not look inside them.
                    continue;
                }
                check_keywords(child, &format!("{at}/{key}"), depth + 1)?;
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_keywords(item, &format!("{at}/{i}"), depth + 1)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(extra: Value) -> Value {
        let mut schema = json!({
            "title": "T",
            "x-form-id": "t",
            "x-form-version": "1.0",
            "x-case-role": "agency-return",
            "x-senders": ["partnership", "agency"],
            "x-agency": "/agency",
            "x-timetable": [
                {"event": "aware", "date": "/seen"},
                {"event": "rapid-review-decision", "date": "/seen", "when": {"/kind": "lcspr"}}
            ],
            "properties": {
                "agency": {"type": "object", "properties": {"id": {}, "name": {}}},
                "seen": {"type": "string", "format": "date"},
                "kind": {"enum": ["lcspr", "none"]},
                "child": {"properties": {"name": {"x-identifying": "name"}}}
            }
        });
        if let (Some(target), Value::Object(more)) = (schema.as_object_mut(), extra) {
            target.extend(more);
        }
        schema
    }

    fn read(schema: &Value) -> Result<Annotations, String> {
        Annotations::read(schema, &SchemaIndex::new(schema))
    }

    #[test]
    fn x_report_codes_carry_their_titles_from_the_schema() {
        let schema = json!({
            "x-report": {"categories": "/cats", "decision": "/kind"},
            "properties": {
                "cats": {"type": "array", "items": {"enum": ["physical", "other"],
                    "x-enum-titles": {"physical": "Physical abuse"}}},
                "kind": {"enum": ["lcspr"], "x-enum-titles": {"lcspr": "Local child safeguarding practice review"}}
            }
        });
        let fields = report_fields(&schema, &SchemaIndex::new(&schema)).expect("valid");
        assert_eq!(
            fields.titles,
            BTreeMap::from([
                (
                    "lcspr".to_owned(),
                    "Local child safeguarding practice review".to_owned()
                ),
                ("physical".to_owned(), "Physical abuse".to_owned()),
            ])
        );
        let registry = crate::forms::Registry::load().expect("the built-in forms");
        let titles = registry.report_titles();
        assert_eq!(
            titles.get("criminal-exploitation").map(String::as_str),
            Some("Child criminal exploitation")
        );
        assert_eq!(
            titles.get("no-review").map(String::as_str),
            Some("No further review")
        );
    }

    #[test]
    fn a_schema_says_its_role_senders_agency_and_dates() {
        let annotations = read(&schema(json!({}))).expect("reads");
        assert_eq!(annotations.case_role, CaseRole::AgencyReturn);
        assert!(annotations.may_send("agency"));
        assert!(!annotations.may_send("reviewer"));
        let doc =
            json!({"agency": {"id": "gp", "name": "GP"}, "seen": "2026-02-03", "kind": "none"});
        assert_eq!(annotations.agency_of(&doc), (Some("gp"), Some("GP")));
        let events = annotations.events(&doc);
        assert_eq!(events.len(), 1);
        assert!(events.contains_key(&Event::Aware));
        let lcspr = json!({"seen": "2026-02-03", "kind": "lcspr"});
        assert_eq!(annotations.events(&lcspr).len(), 2);
        let impossible = json!({"seen": "2026-02-30"});
        assert!(annotations.events(&impossible).is_empty());
    }

    #[test]
    fn unknown_keywords_and_bad_values_stop_the_form_loading() {
        for (extra, expected) in [
            (json!({"x-colour": "red"}), "x-colour"),
            (json!({"x-case-role": "party"}), "x-case-role"),
            (json!({"x-senders": ["everyone"]}), "everyone"),
            (json!({"x-senders": []}), "x-senders"),
            (json!({"x-agency": "/nowhere"}), "/nowhere"),
            (
                json!({"x-timetable": [{"event": "lunch", "date": "/seen"}]}),
                "x-timetable",
            ),
            (
                json!({"x-timetable": [{"event": "aware", "date": "/missing"}]}),
                "/missing",
            ),
            (json!({"x-prefill": {"colour": "/seen"}}), "x-prefill"),
            (
                json!({"properties": {"a": {"x-identifying": "shoe-size"}}}),
                "x-identifying",
            ),
            (
                json!({"properties": {"a": {"x-case-role": "notification"}}}),
                "top of the schema",
            ),
            (json!({"properties": {"a": {"x-typo": true}}}), "x-typo"),
            (json!({"x-report": {"origin": "/nowhere"}}), "/nowhere"),
            (json!({"x-report": {"colour": "/kind"}}), "x-report"),
            (json!({"x-report": {"origin": "/kind"}}), "lcspr"),
            (
                json!({"x-actions": {"list": "/kind", "number": "/n", "text": "/t", "agencies": "/a", "due": "/d"}}),
                "x-actions",
            ),
        ] {
            let error = read(&schema(extra.clone())).expect_err(&extra.to_string());
            assert!(error.contains(expected), "{extra}: {error}");
        }
    }

    #[test]
    fn report_fields_are_read_from_a_submission() {
        let annotations = read(&schema(
            json!({"x-report": {"decision": "/kind", "categories": "/kind"}}),
        ))
        .expect("reads");
        let doc = json!({"kind": "lcspr"});
        assert_eq!(annotations.report.decision(&doc).as_deref(), Some("lcspr"));
        assert_eq!(annotations.report.categories(&doc), vec!["lcspr"]);
        assert_eq!(annotations.report.origin(&doc), None);
    }

    #[test]
    fn an_agency_return_must_say_where_its_agency_is() {
        let mut bare = schema(json!({}));
        bare.as_object_mut().map(|m| m.remove("x-agency"));
        let error = read(&bare).expect_err("no agency");
        assert!(error.contains("x-agency"), "{error}");
    }

    /// Every sample of every form, valid or not, reads the same through the annotations
    /// whether whole or as its digest, and the digest is smaller.
    #[test]
    fn a_digest_reads_as_its_whole_submission() {
        let registry = crate::forms::Registry::load().expect("forms load");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut seen = 0;
        for form in registry.forms() {
            for kind in ["valid", "invalid"] {
                let Ok(dir) = std::fs::read_dir(root.join(form.id()).join(kind)) else {
                    continue;
                };
                for file in dir.flatten() {
                    let text = std::fs::read_to_string(file.path()).expect("a sample reads");
                    // A sample of malformed JSON has nothing to digest.
                    let Ok(whole) = serde_json::from_str::<Value>(&text) else {
                        continue;
                    };
                    let notes = form.annotations();
                    let digest = notes.digest(&whole);
                    let name = file.path().display().to_string();
                    assert_eq!(notes.events(&digest), notes.events(&whole), "{name}");
                    assert_eq!(notes.agency_of(&digest), notes.agency_of(&whole), "{name}");
                    for pointer in notes.pointers_read() {
                        assert_eq!(
                            lookup(&digest, pointer),
                            lookup(&whole, pointer),
                            "{name} {pointer}"
                        );
                    }
                    assert_eq!(
                        notes.report.origin(&digest),
                        notes.report.origin(&whole),
                        "{name}"
                    );
                    assert_eq!(
                        notes.report.categories(&digest),
                        notes.report.categories(&whole),
                        "{name}"
                    );
                    assert_eq!(
                        notes.report.decision(&digest),
                        notes.report.decision(&whole),
                        "{name}"
                    );
                    assert!(digest.to_string().len() < whole.to_string().len(), "{name}");
                    seen += 1;
                }
            }
        }
        assert!(seen >= 20, "only {seen} samples read");
    }

    #[test]
    fn a_digest_copies_a_value_in_a_list_with_its_list() {
        let whole = json!({"a": {"b": [{"c": "2026-01-02"}], "big": "x"}, "other": 1});
        let mut digest = json!({});
        copy_at(&whole, &mut digest, "/a/b/0/c");
        copy_at(&whole, &mut digest, "/missing/c");
        copy_at(&whole, &mut digest, "not a pointer");
        assert_eq!(digest, json!({"a": {"b": [{"c": "2026-01-02"}]}}));
    }
}
