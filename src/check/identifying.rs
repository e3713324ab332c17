//! Publication safety: text that could identify the child, the family or practitioners.
//!
//! Two sources of suspicion: the case's own forms (every name, date of birth, address,
//! postcode, school, NHS number, phone and email recorded there), and patterns that need no
//! forms (UK postcodes, NHS numbers with a valid check digit, phone numbers, email addresses,
//! dates of birth, and names written next to family or professional roles).

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::completeness::MONTH;
use super::outline::{Location, Outline};
use crate::validate::nhs;

/// What kind of identifying detail a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HitKind {
    /// A name recorded in the case's forms.
    Name,
    /// A date of birth.
    DateOfBirth,
    /// An address.
    Address,
    /// A postcode.
    Postcode,
    /// A school's name.
    School,
    /// An NHS number.
    NhsNumber,
    /// A phone number.
    Phone,
    /// An email address.
    Email,
    /// A personal name written next to a family or professional role.
    NameWithRole,
}

impl HitKind {
    /// How a person would say it.
    pub fn describe(self) -> &'static str {
        match self {
            HitKind::Name => "a name",
            HitKind::DateOfBirth => "a date of birth",
            HitKind::Address => "an address",
            HitKind::Postcode => "a postcode",
            HitKind::School => "a school's name",
            HitKind::NhsNumber => "an NHS number",
            HitKind::Phone => "a phone number",
            HitKind::Email => "an email address",
            HitKind::NameWithRole => "a person's name",
        }
    }
}

/// One piece of text that could identify someone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentifyingHit {
    /// What it is.
    pub kind: HitKind,
    /// The text found, exactly as the report has it.
    pub text: String,
    /// Where it is.
    pub location: Location,
    /// What to write instead.
    pub suggestion: String,
    /// True when it matches a detail recorded in the case's forms.
    pub from_case_forms: bool,
    /// Why it was flagged, in plain English.
    pub message: String,
}

/// A detail taken from the case's forms, ready to search for.
#[derive(Debug, Clone)]
struct Term {
    kind: HitKind,
    pattern: Regex,
    suggestion: String,
}

/// The case's own forms (notification, agency summaries, any other submission), as the
/// identifying details they record.
#[derive(Debug, Clone, Default)]
pub struct CaseForms {
    terms: Vec<Term>,
    forms: usize,
    pseudonym: Option<String>,
}

/// Words that never start a personal name in "mother, Jane Smith" (lower case).
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "but",
    "or",
    "child",
    "children",
    "her",
    "his",
    "their",
    "she",
    "he",
    "they",
    "it",
    "this",
    "that",
    "these",
    "those",
    "when",
    "who",
    "which",
    "in",
    "on",
    "at",
    "of",
    "for",
    "with",
    "was",
    "is",
    "had",
    "has",
    "did",
    "told",
    "said",
    "as",
    "after",
    "before",
    "during",
    "police",
    "kent",
    "nhs",
    "social",
    "health",
    "team",
    "services",
    "service",
    "gp",
    "school",
    "hospital",
    "court",
    "council",
    "practice",
    "surgery",
    "trust",
    "records",
    "notes",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "not",
    "no",
    "yes",
    "however",
    "although",
    "because",
    "if",
    "then",
    "there",
    "both",
    "all",
    "each",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mum",
    "dad",
    "baby",
    "family",
    "early",
    "help",
    "level",
    "section",
    "strategy",
    "core",
    "group",
    "initial",
];

/// Roles a name is written next to, and what to call the person instead.
const ROLES: &[&str] = &[
    "maternal grandmother",
    "maternal grandfather",
    "paternal grandmother",
    "paternal grandfather",
    "foster carer",
    "foster mother",
    "foster father",
    "step-mother",
    "step-father",
    "stepmother",
    "stepfather",
    "half-brother",
    "half-sister",
    "grandmother",
    "grandfather",
    "mother",
    "father",
    "brother",
    "sister",
    "sibling",
    "aunt",
    "uncle",
    "cousin",
    "partner",
    "boyfriend",
    "girlfriend",
    "carer",
    "social worker",
    "health visitor",
    "school nurse",
    "family support worker",
    "designated safeguarding lead",
    "head teacher",
    "headteacher",
    "teacher",
    "midwife",
    "paediatrician",
    "police officer",
    "detective constable",
];

const NAME: &str = r"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){0,2}";

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|_| unreachable!("constant pattern"))
}

fn roles_group() -> String {
    let roles: Vec<String> = ROLES
        .iter()
        .map(|r| regex::escape(r).replace(' ', r"\s+"))
        .collect();
    format!("(?i:{})", roles.join("|"))
}

static ROLE_THEN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"\b(?P<role>{})\b\s*,?\s+(?P<name>{NAME})\b",
        roles_group()
    ))
});

static NAME_THEN_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"\b(?P<name>{NAME})\s*(?:\(|,\s+)(?i:the\s+|a\s+)?(?:(?i:her|his|their|child's)\s+|[A-Z][\w ]{{0,20}}'s\s+)?(?P<role>{})\b",
        roles_group()
    ))
});

static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    )
});

static TEN_DIGITS: LazyLock<Regex> = LazyLock::new(|| compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b"));

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?:\+44\s?(?:\(0\)\s?)?|\(?\b0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b")
});

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b"));

/// A full date in the usual written forms.
fn full_date() -> String {
    format!(
        r"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\.?,?\s+\d{{4}}|{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
    )
}

static BIRTH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)\b(?:born|date\s+of\s+birth|birth\s+date|d\.?o\.?b)\b\.?[\s:,(\-]{{0,4}}(?:(?:was|is|on)\s+){{0,2}}(?P<date>{})",
        full_date()
    ))
});

static PSEUDONYM: LazyLock<Regex> = LazyLock::new(|| compile(r"\bChild [A-Z]{1,2}\b"));

/// The first "Child X" pseudonym in the text, if any.
pub fn find_pseudonym(outline: &Outline) -> Option<String> {
    outline
        .blocks
        .iter()
        .find_map(|b| PSEUDONYM.find(&b.text).map(|m| m.as_str().to_owned()))
}

impl CaseForms {
    /// No case forms: only the patterns are searched for.
    pub fn none() -> Self {
        CaseForms::default()
    }

    /// The identifying details recorded in the given submissions.
    pub fn from_submissions(forms: &[Value]) -> Self {
        let mut case = CaseForms {
            forms: forms.len(),
            ..CaseForms::default()
        };
        let mut found = Vec::new();
        for form in forms {
            collect(form, &[], &mut found);
        }
        let mut names = Vec::new();
        for (kind, value, context) in found {
            case.add(kind, &value, &context, &mut names);
        }
        // Parts of names last, so a full name is reported once, not once per part.
        case.terms.extend(names);
        case
    }

    /// How many forms were given.
    pub fn len(&self) -> usize {
        self.forms
    }

    /// True when no forms were given.
    pub fn is_empty(&self) -> bool {
        self.forms == 0
    }

    /// Sets the pseudonym suggested in place of the child's name.
    pub fn with_pseudonym(mut self, pseudonym: Option<String>) -> Self {
        if let Some(p) = pseudonym {
            for term in &mut self.terms {
                if term.suggestion == CHILD {
                    term.suggestion.clone_from(&p);
                }
            }
            self.pseudonym = Some(p);
        }
        self
    }

    fn add(&mut self, kind: HitKind, value: &str, context: &str, parts: &mut Vec<Term>) {
        let value = value.trim();
        if value.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
            return;
        }
        let suggestion = match kind {
            HitKind::Name => context.to_owned(),
            HitKind::DateOfBirth => "[date]".to_owned(),
            HitKind::Address => "[address]".to_owned(),
            HitKind::Postcode => "[postcode]".to_owned(),
            HitKind::School => "the school".to_owned(),
            HitKind::NhsNumber => "[NHS number]".to_owned(),
            HitKind::Phone => "[phone number]".to_owned(),
            HitKind::Email => "[email address]".to_owned(),
            HitKind::NameWithRole => context.to_owned(),
        };
        let pattern = match kind {
            HitKind::DateOfBirth => date_pattern(value),
            HitKind::NhsNumber | HitKind::Phone => digits_pattern(value),
            _ => Some(words_pattern(value, true)),
        };
        let Some(Ok(pattern)) = pattern.map(|p| Regex::new(&p)) else {
            return;
        };
        self.terms.push(Term {
            kind,
            pattern,
            suggestion: suggestion.clone(),
        });
        if kind == HitKind::Name {
            let words: Vec<&str> = value.split_whitespace().collect();
            if words.len() > 1 {
                for word in words {
                    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
                    if word.chars().count() >= 3
                        && !NOT_NAMES.contains(&word.to_lowercase().as_str())
                        && let Ok(pattern) = Regex::new(&words_pattern(word, false))
                    {
                        parts.push(Term {
                            kind,
                            pattern,
                            suggestion: suggestion.clone(),
                        });
                    }
                }
            }
        }
    }

    /// Every hit in the outline, in reading order, overlapping hits reported once.
    pub fn scan(&self, outline: &Outline) -> Vec<IdentifyingHit> {
        let mut hits = Vec::new();
        for (index, block) in outline.blocks.iter().enumerate() {
            let mut spans: Vec<(usize, usize, HitKind, String, bool)> = Vec::new();
            for term in &self.terms {
                for m in term.pattern.find_iter(&block.text) {
                    spans.push((m.start(), m.end(), term.kind, term.suggestion.clone(), true));
                }
            }
            patterns(&block.text, self.pseudonym.as_deref(), &mut spans);
            let mut kept: Vec<(usize, usize, HitKind, String, bool)> = Vec::new();
            for span in spans {
                if !kept.iter().any(|k| span.0 < k.1 && k.0 < span.1) {
                    kept.push(span);
                }
            }
            kept.sort_by_key(|k| k.0);
            for (start, end, kind, suggestion, from_case_forms) in kept {
                let text = block.text[start..end].to_owned();
                let source = if from_case_forms {
                    "recorded in the case's forms"
                } else {
                    "found by its pattern"
                };
                let message = format!(
                    "\"{text}\" looks like {} ({source}) and could identify someone. Replace it with \"{suggestion}\" before publication.",
                    kind.describe()
                );
                hits.push(IdentifyingHit {
                    kind,
                    text,
                    location: outline.locate(index, start),
                    suggestion,
                    from_case_forms,
                    message,
                });
            }
        }
        hits
    }
}

const CHILD: &str = "the child";

/// Walks a submission, collecting (kind, value, suggestion for names) for identifying fields.
fn collect(value: &Value, path: &[&str], out: &mut Vec<(HitKind, String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let mut next = path.to_vec();
                next.push(key);
                if let Value::String(text) = child
                    && let Some((kind, suggestion)) = classify(key, path, map)
                {
                    out.push((kind, text.clone(), suggestion));
                } else {
                    collect(child, &next, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let mut next = path.to_vec();
                // The first notified child is "the child"; others are siblings.
                next.push(if i == 0 { "0" } else { "n" });
                collect(item, &next, out);
            }
        }
        _ => {}
    }
}

/// Which identifying detail a field holds, from its key and where it sits.
fn classify(
    key: &str,
    path: &[&str],
    siblings: &serde_json::Map<String, Value>,
) -> Option<(HitKind, String)> {
    let key = key.to_lowercase();
    let parent = path
        .iter()
        .rev()
        .find(|p| **p != "0" && **p != "n")
        .map(|p| p.to_lowercase())
        .unwrap_or_default();
    let is_org = [
        "agenc",
        "authority",
        "area",
        "organisation",
        "reviewer",
        "team",
    ]
    .iter()
    .any(|w| parent.contains(w));
    if key.contains("nhs_number") {
        return Some((HitKind::NhsNumber, String::new()));
    }
    if key.contains("date_of_birth") || key == "dob" {
        return Some((HitKind::DateOfBirth, String::new()));
    }
    if key.contains("postcode") {
        return Some((HitKind::Postcode, String::new()));
    }
    if key.contains("address") && !key.contains("area") && !key.contains("email") {
        return Some((HitKind::Address, String::new()));
    }
    if key.contains("school") {
        return Some((HitKind::School, String::new()));
    }
    if key.contains("email") {
        return Some((HitKind::Email, String::new()));
    }
    if key.contains("phone") || key.contains("telephone") {
        return Some((HitKind::Phone, String::new()));
    }
    let name_key = matches!(
        key.as_str(),
        "name"
            | "full_name"
            | "first_name"
            | "given_name"
            | "surname"
            | "last_name"
            | "family_name"
    );
    if !name_key || is_org {
        return None;
    }
    let first_child = path.last() == Some(&"0");
    let suggestion = if (parent == "children" && first_child) || parent == "child" {
        CHILD.to_owned()
    } else if parent.contains("children") || parent.contains("sibling") {
        siblings
            .get("relationship")
            .and_then(Value::as_str)
            .map_or_else(|| "the sibling".to_owned(), |r| format!("the {r}"))
    } else {
        "the practitioner".to_owned()
    };
    Some((HitKind::Name, suggestion))
}

/// Whole words, white space flexible; case-insensitive when `ignore_case`, otherwise only the
/// word as written matches (a surname like "Brown" but not the colour).
fn words_pattern(value: &str, ignore_case: bool) -> String {
    let words: Vec<String> = value.split_whitespace().map(regex::escape).collect();
    let edge = |c: Option<char>| {
        if c.is_some_and(char::is_alphanumeric) {
            r"\b"
        } else {
            ""
        }
    };
    format!(
        "{}{}{}{}",
        if ignore_case { "(?i)" } else { "" },
        edge(value.chars().next()),
        words.join(r"\s+"),
        edge(value.chars().next_back())
    )
}

/// Any written form of an ISO date (`2025-07-10`): 10/07/2025, 10 July 2025, July 10, 2025.
fn date_pattern(iso: &str) -> Option<String> {
    let date = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    let (d, m, y) = (date.day(), date.month(), date.year());
    let month = date.format("%B").to_string();
    let short = &month[..3];
    let ord = r"(?:st|nd|rd|th)?";
    Some(format!(
        r"(?i)\b(?:{iso}|0?{d}[/.\-]0?{m}[/.\-](?:{y}|{yy:02})|0?{d}{ord}\s+(?:{month}|{short}\.?),?\s+{y}|(?:{month}|{short}\.?)\s+0?{d}{ord},?\s+{y})\b",
        yy = y % 100
    ))
}

/// The digits of a number with optional spaces or hyphens between them; a leading 0 may also be
/// written +44.
fn digits_pattern(value: &str) -> Option<String> {
    let digits: Vec<char> = value.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 {
        return None;
    }
    let join = |ds: &[char]| {
        ds.iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(r"[\s\-]?")
    };
    let body = match digits.split_first() {
        Some(('0', rest)) => format!(r"(?:\b0|\+44\s?(?:\(0\)\s?)?){}", join(rest)),
        _ => format!(r"\b{}", join(&digits)),
    };
    Some(format!(r"{body}\b"))
}

fn patterns(
    text: &str,
    pseudonym: Option<&str>,
    spans: &mut Vec<(usize, usize, HitKind, String, bool)>,
) {
    let mut push = |start: usize, end: usize, kind: HitKind, suggestion: &str| {
        spans.push((start, end, kind, suggestion.to_owned(), false));
    };
    for m in TEN_DIGITS.find_iter(text) {
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        if !digits.starts_with('0') && nhs::is_valid(&digits) {
            push(m.start(), m.end(), HitKind::NhsNumber, "[NHS number]");
        }
    }
    for m in POSTCODE.find_iter(text) {
        push(m.start(), m.end(), HitKind::Postcode, "[postcode]");
    }
    for m in EMAIL.find_iter(text) {
        push(m.start(), m.end(), HitKind::Email, "[email address]");
    }
    for m in PHONE.find_iter(text) {
        let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
        let national = if m.as_str().starts_with('+') {
            digits + 1 - 2 - usize::from(m.as_str().contains("(0)"))
        } else {
            digits
        };
        if (10..=11).contains(&national) {
            push(m.start(), m.end(), HitKind::Phone, "[phone number]");
        }
    }
    for c in BIRTH_DATE.captures_iter(text) {
        if let Some(date) = c.name("date") {
            push(date.start(), date.end(), HitKind::DateOfBirth, "[date]");
        }
    }
    for regex in [&*ROLE_THEN_NAME, &*NAME_THEN_ROLE] {
        for c in regex.captures_iter(text) {
            let (Some(name), Some(role)) = (c.name("name"), c.name("role")) else {
                continue;
            };
            if !looks_like_a_name(name.as_str(), pseudonym) {
                continue;
            }
            let role = role.as_str().to_lowercase();
            let role = role.split_whitespace().collect::<Vec<_>>().join(" ");
            push(
                name.start(),
                name.end(),
                HitKind::NameWithRole,
                &format!("the {role}"),
            );
        }
    }
}

fn looks_like_a_name(name: &str, pseudonym: Option<&str>) -> bool {
    let first = name
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches('.');
    if NOT_NAMES.contains(&first.to_lowercase().as_str()) && !is_title(first) {
        return false;
    }
    if pseudonym.is_some_and(|p| name.starts_with(p)) {
        return false;
    }
    !name
        .split_whitespace()
        .skip(usize::from(is_title(first)))
        .any(|w| NOT_NAMES.contains(&w.to_lowercase().as_str()))
}

fn is_title(word: &str) -> bool {
    matches!(word, "Mr" | "Mrs" | "Ms" | "Miss" | "Dr")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::outline::BlockKind;

    fn hits(case: &CaseForms, text: &str) -> Vec<(HitKind, String, String)> {
        let mut o = Outline::default();
        o.push(BlockKind::Paragraph, text);
        case.scan(&o)
            .into_iter()
            .map(|h| (h.kind, h.text, h.suggestion))
            .collect()
    }

    fn hit(kind: HitKind, text: &str, suggestion: &str) -> (HitKind, String, String) {
        (kind, text.to_owned(), suggestion.to_owned())
    }

    #[test]
    fn patterns_without_case_forms() {
        let none = CaseForms::none();
        assert_eq!(
            hits(
                &none,
                "The family lived at CT9 1AA; call 01843 123456 or +44 7700 900123."
            ),
            vec![
                hit(HitKind::Postcode, "CT9 1AA", "[postcode]"),
                hit(HitKind::Phone, "01843 123456", "[phone number]"),
                hit(HitKind::Phone, "+44 7700 900123", "[phone number]"),
            ]
        );
        assert_eq!(
            hits(
                &none,
                "NHS 943 476 5919, not 943 476 5918; mail a.b@example.org."
            ),
            vec![
                hit(HitKind::NhsNumber, "943 476 5919", "[NHS number]"),
                hit(HitKind::Email, "a.b@example.org", "[email address]"),
            ]
        );
        assert_eq!(
            hits(
                &none,
                "She was born on 10 July 2025 and seen on 3 March 2026."
            ),
            vec![hit(HitKind::DateOfBirth, "10 July 2025", "[date]")]
        );
        assert_eq!(
            hits(
                &none,
                "The mother, Jane Smith, met Sarah Jones (health visitor). Child L's mother met the reviewer."
            ),
            vec![
                hit(HitKind::NameWithRole, "Jane Smith", "the mother"),
                hit(HitKind::NameWithRole, "Sarah Jones", "the health visitor"),
            ]
        );
        assert!(
            hits(
                &none,
                "In March, the mother. Kent Police, the social worker and the GP."
            )
            .is_empty()
        );
    }

    #[test]
    fn case_forms_give_names_dates_and_numbers_with_suggestions() {
        let case = CaseForms::from_submissions(&[serde_json::json!({
            "children": [{"name": "Lily Brown", "date_of_birth": "2025-07-10", "nhs_number": "9434765919",
                          "address_area": "Thanet", "school": "Cliftonville Primary School"}],
            "household_children": [{"name": "Tyler Brown", "relationship": "half-brother"}],
            "notifier": {"name": "Joanne Price", "phone": "03000 412345"},
            "agencies_involved": [{"name": "Kent Police"}]
        })])
        .with_pseudonym(Some("Child L".into()));
        assert_eq!(
            hits(
                &case,
                "LILY BROWN (DOB 10/07/2025) went to Cliftonville Primary School with Tyler; Brown family; 9434765919; Ms Price on 03000412345; Kent Police; Thanet; brown bruise."
            ),
            vec![
                hit(HitKind::Name, "LILY BROWN", "Child L"),
                hit(HitKind::DateOfBirth, "10/07/2025", "[date]"),
                hit(HitKind::School, "Cliftonville Primary School", "the school"),
                hit(HitKind::Name, "Tyler", "the half-brother"),
                hit(HitKind::Name, "Brown", "Child L"),
                hit(HitKind::NhsNumber, "9434765919", "[NHS number]"),
                hit(HitKind::Name, "Price", "the practitioner"),
                hit(HitKind::Phone, "03000412345", "[phone number]"),
            ]
        );
    }
}
