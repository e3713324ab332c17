//! Publication safety: text that could identify the child, the family or practitioners.
//!
//! Two sources of suspicion: the case's own forms (every name, date of birth, address,
//! postcode, school, NHS number, phone and email recorded there), and patterns that need no
//! forms (UK postcodes, NHS numbers with a valid check digit, phone numbers, email addresses,
//! dates of birth, and names written next to family or professional roles).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::forms::schema_index::pointer_segments;
use crate::forms::{Form, Identifying};

use super::budget::{Budget, Stop};
use super::completeness::{MONTH, contains_phrase, normalise};
use super::config::CheckConfig;
use super::outline::{BlockKind, Location, Outline, quote};
use crate::nhs;

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
    "youth worker",
    "key worker",
    "independent reviewing officer",
    "family friend",
    "general practitioner",
];

const NAME: &str = r"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][a-z']+(?:-[A-Z]?[a-z']+)*(?:\s+[A-Z][a-z']+(?:-[A-Z]?[a-z']+)*){0,2}";

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

/// A house number and a street ("27 Orchard Close", "14 Mill Lane").
static STREET: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z'\-]+\s+){1,3}(?:Road|Rd|Street|St|Close|Lane|Avenue|Ave|Drive|Way|Court|Crescent|Gardens|Place|Terrace|Grove|Walk|Row|Hill|Park|Square|Mews|View|Rise|Green|Parade|Vale)\b",
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
        r"(?i)\b(?:born|birth|date\s+of\s+birth|birth\s+date|d\.?o\.?b)\b\.?[\s:,(\-]{{0,4}}(?:(?:was|is|on)\s+){{0,2}}(?P<date>{})",
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

    /// The identifying details the case's forms record: every value in a field its form's
    /// schema marks `x-identifying`, with what to write instead (for a name, who the person is:
    /// the child, a relative by their relationship, or a practitioner).
    pub fn from_forms<'a>(forms: impl IntoIterator<Item = (&'a Form, &'a Value)>) -> Self {
        let mut case = CaseForms::default();
        let mut found = Vec::new();
        for (form, body) in forms {
            case.forms += 1;
            form.index()
                .for_each_text(body, &mut |pointer, info, text| {
                    if let Some(kind) = info.identifying {
                        let who = match kind {
                            Identifying::Name => name_suggestion(pointer, body),
                            _ => String::new(),
                        };
                        found.push((hit_kind(kind), text.to_owned(), who));
                    }
                });
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

    /// Every hit in the outline, in reading order, overlapping hits reported once. Details in
    /// an organisation's own lines (a cover, a contact or copyright page) are returned apart,
    /// as information.
    pub fn scan(&self, outline: &Outline, config: &CheckConfig) -> Scan {
        // An unlimited budget never stops the scan.
        self.scan_within(outline, config, &Budget::unlimited())
            .unwrap_or_default()
    }

    /// [`CaseForms::scan`] within a budget, looked at every few blocks.
    pub fn scan_within(
        &self,
        outline: &Outline,
        config: &CheckConfig,
        budget: &Budget,
    ) -> Result<Scan, Stop> {
        let pseudonyms = declared_pseudonyms(outline, config);
        let organisational = organisation_blocks(outline, config);
        let family = family_dates(outline, config);
        let mut scan = Scan::default();
        let mut heading: Option<&str> = None;
        for (index, block) in outline.blocks.iter().enumerate() {
            budget.every(index)?;
            if block.heading_level().is_some() {
                heading = Some(&block.text);
            }
            if scan.hits.len() + scan.organisation.len() >= MAX_HITS {
                scan.truncated = true;
                break;
            }
            let mut spans: Vec<Span> = Vec::new();
            for term in &self.terms {
                for m in term.pattern.find_iter(&block.text).take(MAX_HITS) {
                    spans.push((m.start(), m.end(), term.kind, term.suggestion.clone(), true));
                }
            }
            for &(start, end) in family.get(&index).map_or(&[][..], Vec::as_slice) {
                spans.push((start, end, HitKind::DateOfBirth, "[date]".to_owned(), false));
            }
            patterns(
                &block.text,
                self.pseudonym.as_deref(),
                &pseudonyms,
                config,
                &mut spans,
            );
            for (start, end, kind, suggestion, from_case_forms) in first_of_overlapping(spans) {
                if scan.hits.len() + scan.organisation.len() >= MAX_HITS {
                    scan.truncated = true;
                    break;
                }
                let text = block.text[start..end].to_owned();
                let organisation = !from_case_forms
                    && match kind {
                        HitKind::Postcode | HitKind::Phone | HitKind::Address => {
                            organisational[index]
                        }
                        HitKind::Email => {
                            is_mailbox(&text, config)
                                || (organisational[index] && !is_personal_email(&text, config))
                        }
                        _ => false,
                    };
                let location = Location {
                    heading: heading.map(str::to_owned),
                    paragraph: block.paragraph,
                    quote: quote(&block.text, start),
                };
                let message = if organisation {
                    format!(
                        "\"{text}\" looks like an organisation's own {} (on a cover, contact or copyright page). This is for information only and does not stop publication; check it is not the family's.",
                        kind.describe()
                            .trim_start_matches("a ")
                            .trim_start_matches("an ")
                    )
                } else {
                    let source = if from_case_forms {
                        "recorded in the case's forms"
                    } else {
                        "found by its pattern"
                    };
                    format!(
                        "\"{text}\" looks like {} ({source}) and could identify someone. Replace it with \"{suggestion}\" before publication.",
                        kind.describe()
                    )
                };
                let hit = IdentifyingHit {
                    kind,
                    text,
                    location,
                    suggestion,
                    from_case_forms,
                    message,
                };
                if organisation {
                    scan.organisation.push(hit);
                } else {
                    scan.hits.push(hit);
                }
            }
        }
        Ok(scan)
    }
}

/// Most hits reported for one draft: past this the draft is plainly not ready, and the work
/// any input can cause stays bounded.
pub const MAX_HITS: usize = 2_000;

/// (start, end, kind, suggestion, from the case forms).
type Span = (usize, usize, HitKind, String, bool);

/// The hits of one scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Details that could identify the child, the family or practitioners.
    pub hits: Vec<IdentifyingHit>,
    /// Organisations' own details (information only).
    pub organisation: Vec<IdentifyingHit>,
    /// True when the scan stopped at [`MAX_HITS`].
    pub truncated: bool,
}

/// Keeps each span that overlaps no span kept before it (earlier spans win), in text order.
/// Kept spans never overlap, so the one starting last before a span's end is the only one
/// that can overlap it: O(n log n) however many hits a paragraph holds.
fn first_of_overlapping(spans: Vec<Span>) -> Vec<Span> {
    let mut kept: BTreeMap<usize, Span> = BTreeMap::new();
    for span in spans {
        let overlaps = kept
            .range(..span.1)
            .next_back()
            .is_some_and(|(_, k)| k.1 > span.0);
        if !overlaps && span.0 < span.1 {
            kept.insert(span.0, span);
        }
    }
    kept.into_values().collect()
}

const CHILD: &str = "the child";

/// The kind of hit for a kind of identifying field.
fn hit_kind(kind: Identifying) -> HitKind {
    match kind {
        Identifying::Name => HitKind::Name,
        Identifying::DateOfBirth => HitKind::DateOfBirth,
        Identifying::Address => HitKind::Address,
        Identifying::Postcode => HitKind::Postcode,
        Identifying::School => HitKind::School,
        Identifying::NhsNumber => HitKind::NhsNumber,
        Identifying::Phone => HitKind::Phone,
        Identifying::Email => HitKind::Email,
    }
}

/// Who a name in a form belongs to, as a report should call them: the child (the first child
/// of a list of children, or a field about "the child"), a relative by the relationship the form
/// records beside the name, or otherwise a practitioner.
fn name_suggestion(pointer: &str, body: &Value) -> String {
    let segments: Vec<String> = pointer_segments(pointer).collect();
    let (field, parents) = match segments.split_last() {
        Some((field, parents)) => (field.as_str(), parents),
        None => return "the practitioner".to_owned(),
    };
    let named = parents
        .iter()
        .rev()
        .find(|s| s.parse::<usize>().is_err())
        .map(String::as_str)
        .unwrap_or_default();
    let index = parents.last().and_then(|s| s.parse::<usize>().ok());
    let relationship = pointer
        .rsplit_once('/')
        .and_then(|(parent, _)| body.pointer(&format!("{parent}/relationship")))
        .and_then(Value::as_str);
    if let Some(relationship) = relationship {
        return format!("the {}", relationship.trim().to_lowercase());
    }
    let about_child = field.contains("child") || named == "child";
    if about_child || (named == "children" && index == Some(0)) {
        CHILD.to_owned()
    } else if named.contains("child") || named.contains("sibling") {
        "the sibling".to_owned()
    } else {
        "the practitioner".to_owned()
    }
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
    let date = crate::dates::parse_iso(iso)?;
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
    declared: &HashSet<String>,
    config: &CheckConfig,
    spans: &mut Vec<Span>,
) {
    let mut push = |start: usize, end: usize, kind: HitKind, suggestion: &str| {
        spans.push((start, end, kind, suggestion.to_owned(), false));
    };
    for m in TEN_DIGITS.find_iter(text).take(MAX_HITS) {
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        if !digits.starts_with('0') && nhs::is_valid(&digits) {
            push(m.start(), m.end(), HitKind::NhsNumber, "[NHS number]");
        }
    }
    for m in POSTCODE.find_iter(text).take(MAX_HITS) {
        push(m.start(), m.end(), HitKind::Postcode, "[postcode]");
    }
    for m in STREET.find_iter(text).take(MAX_HITS) {
        push(m.start(), m.end(), HitKind::Address, "[address]");
    }
    for m in EMAIL.find_iter(text).take(MAX_HITS) {
        push(m.start(), m.end(), HitKind::Email, "[email address]");
    }
    for m in PHONE.find_iter(text).take(MAX_HITS) {
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
    for c in BIRTH_DATE.captures_iter(text).take(MAX_HITS) {
        if let Some(date) = c.name("date") {
            push(date.start(), date.end(), HitKind::DateOfBirth, "[date]");
        }
    }
    for regex in [&*ROLE_THEN_NAME, &*NAME_THEN_ROLE] {
        for c in regex.captures_iter(text).take(MAX_HITS) {
            let (Some(name), Some(role)) = (c.name("name"), c.name("role")) else {
                continue;
            };
            if !looks_like_a_name(name.as_str(), pseudonym, declared)
                || is_label(name.as_str(), &text[name.end()..], config)
            {
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

fn looks_like_a_name(name: &str, pseudonym: Option<&str>, declared: &HashSet<String>) -> bool {
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
    let words: Vec<&str> = name
        .split_whitespace()
        .skip(usize::from(is_title(first)))
        .collect();
    // A title alone ("Ms" of "Ms K") is a pseudonym's, not a name.
    if words.is_empty() {
        return false;
    }
    if words.iter().all(|w| declared.contains(*w)) {
        return false;
    }
    !words
        .iter()
        .any(|w| NOT_NAMES.contains(&w.to_lowercase().as_str()))
}

static LABEL_TAIL: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^\s+(?:\d{1,3}|[A-Z]{1,2})\b(?:[^'’\w]|$)"));

/// "Adult 3", "Practitioner A", "GP 1", "Ms K": a role word, or a title, followed by a number or
/// one capital letter is a label used as a pseudonym.
fn is_label(name: &str, after: &str, config: &CheckConfig) -> bool {
    let last = name.split_whitespace().next_back().unwrap_or("");
    let labelled = LABEL_TAIL.is_match(after);
    labelled
        && (is_title(last.trim_end_matches('.'))
            || config.label_words.iter().any(|w| *w == last.to_lowercase()))
        || name
            .split_whitespace()
            .all(|w| config.label_words.iter().any(|l| *l == w.to_lowercase()))
}

fn is_title(word: &str) -> bool {
    matches!(word, "Mr" | "Mrs" | "Ms" | "Miss" | "Dr")
}

/// An email address whose local part is an organisation's mailbox ("enquiries@", "lscp@").
fn is_mailbox(email: &str, config: &CheckConfig) -> bool {
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    config.organisation_mailboxes.contains(&local)
        || local
            .split(['.', '_', '-'])
            .all(|part| config.organisation_mailboxes.iter().any(|m| m == part))
}

/// A person's address ("j.hamlin@", "sarah.jones@"): two parts, a name and a name or an
/// initial, neither a mailbox word.
fn is_personal_email(email: &str, config: &CheckConfig) -> bool {
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    let parts: Vec<&str> = local.split(['.', '_', '-']).collect();
    parts.len() == 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(char::is_alphabetic))
        && !parts
            .iter()
            .any(|p| config.organisation_mailboxes.iter().any(|m| m == p))
}

/// Most words of a line read as part of an organisation's details.
const ORGANISATION_LINE_WORDS: usize = 60;

/// Most words of a line of a cover or address block.
const ADDRESS_LINE_WORDS: usize = 14;

/// Words that make a line about the family, whatever else it says.
const PERSONAL: &[&str] = &[
    "mother",
    "father",
    "mum",
    "dad",
    "parent",
    "parents",
    "family",
    "children's home",
    "baby",
    "sibling",
    "brother",
    "sister",
    "grandmother",
    "grandfather",
    "lived",
    "lives",
    "living",
    "moved",
    "born",
    "home address",
    "stayed",
    "partner",
    "carer",
    "boyfriend",
];

/// Which blocks are an organisation's own details: short lines with an organisation marker
/// and nothing about the family, and the runs of short address lines around them.
fn organisation_blocks(outline: &Outline, config: &CheckConfig) -> Vec<bool> {
    let blocks = &outline.blocks;
    let lower: Vec<String> = blocks.iter().map(|b| normalise(&b.text)).collect();
    let words: Vec<usize> = blocks
        .iter()
        .map(|b| b.text.split_whitespace().count())
        .collect();
    let personal: Vec<bool> = lower
        .iter()
        .map(|l| PERSONAL.iter().any(|p| contains_phrase(l, p)))
        .collect();
    let marked: Vec<bool> = lower
        .iter()
        .zip(&words)
        .map(|(l, &w)| {
            w <= ORGANISATION_LINE_WORDS
                && config
                    .organisation_markers
                    .iter()
                    .any(|m| l.contains(m.as_str()))
        })
        .collect();
    let mut out: Vec<bool> = marked
        .iter()
        .zip(&personal)
        .map(|(&m, &p)| m && !p)
        .collect();
    // Runs of short lines (a cover's or a contact page's address block) share a marker.
    let mut i = 0;
    while i < blocks.len() {
        if words[i] > ADDRESS_LINE_WORDS {
            i += 1;
            continue;
        }
        let start = i;
        while i < blocks.len() && words[i] <= ADDRESS_LINE_WORDS {
            i += 1;
        }
        if marked[start..i].iter().any(|&m| m) {
            for j in start..i {
                out[j] = !personal[j];
            }
        }
    }
    out
}

/// Names a report says are pseudonyms ("the names used are pseudonyms: Sam, Dawn and Lee"),
/// names under a "Pseudonym" column, and the child of a "Who was Sam?" heading.
pub fn declared_pseudonyms(outline: &Outline, config: &CheckConfig) -> HashSet<String> {
    let mut out: HashSet<String> = HashSet::new();
    let mut pseudonym_column: Option<usize> = None;
    let mut in_table = false;
    for block in &outline.blocks {
        let lower = normalise(&block.text);
        if block.kind == BlockKind::TableRow {
            if !in_table {
                pseudonym_column = block.cells.iter().position(|c| {
                    normalise(c).contains("pseudonym") || normalise(c).contains("name used")
                });
            } else if let Some(cell) = pseudonym_column.and_then(|c| block.cells.get(c)) {
                out.extend(capitalised(cell));
            }
            in_table = true;
            continue;
        }
        in_table = false;
        if let Some(c) = WHO_WAS.captures(&block.text)
            && block.heading_level().is_some()
            && let Some(name) = c.get(1)
        {
            out.insert(name.as_str().to_owned());
        }
        if config
            .pseudonym_markers
            .iter()
            .any(|m| lower.contains(m.as_str()))
        {
            out.extend(capitalised(&block.text));
        }
    }
    out
}

/// The child's own pseudonyms: "Child T" and the like, a "Who was Sam?" heading, and a name
/// the report says it calls the child ("the child is referred to as Sam").
pub fn child_pseudonyms(outline: &Outline) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for block in &outline.blocks {
        for m in PSEUDONYM.find_iter(&block.text) {
            out.push(m.as_str().to_owned());
        }
        if block.heading_level().is_some()
            && let Some(name) = WHO_WAS.captures(&block.text).and_then(|c| c.get(1))
        {
            out.push(name.as_str().to_owned());
        }
        if let Some(name) = CHILD_CALLED.captures(&block.text).and_then(|c| c.get(1)) {
            out.push(name.as_str().to_owned());
        }
        if block.paragraph <= TITLE_PAGE_BLOCKS
            && let Some(name) = REVIEW_OF.captures(&block.text).and_then(|c| c.get(1))
        {
            out.push(name.as_str().to_owned());
        }
        if block.kind == BlockKind::TableRow
            && block.cells.iter().any(|c| {
                matches!(
                    normalise(c).trim(),
                    "subject" | "subject child" | "the child"
                )
            })
            && let Some(name) = block.cells.iter().find_map(|c| {
                let c = c.trim();
                (c.split_whitespace().count() == 1
                    && c.chars().next().is_some_and(char::is_uppercase)
                    && c.chars().skip(1).all(char::is_lowercase)
                    && c.len() > 1)
                    .then(|| c.to_owned())
            })
        {
            out.push(name);
        }
        if out.len() > 20 {
            break;
        }
    }
    out.retain(|p| !NOT_NAMES.contains(&p.to_lowercase().as_str()));
    out.sort();
    out.dedup();
    out
}

/// Blocks of a title page, where "Review: Lily" names the child.
const TITLE_PAGE_BLOCKS: usize = 6;

static REVIEW_OF: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i:review|concerning|in respect of|regarding)\s*[:\-–]?\s+([A-Z][a-z'\-]+)\s*$")
});

static WHO_WAS: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i:who\s+(?:was|is))\s+([A-Z][a-z'\-]+)\s*\??\s*$"));

static CHILD_CALLED: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r#"(?i:\b(?:child|boy|girl|baby|young person|subject of (?:this|the) review)\b[^.]{0,60}?\b(?:referred to as|known as|called))\s+["“‘']?([A-Z][a-z'\-]+)"#,
    )
});

fn capitalised(text: &str) -> Vec<String> {
    CAPITALISED
        .find_iter(text)
        .map(|m| m.as_str().to_owned())
        .filter(|w| !NOT_NAMES.contains(&w.to_lowercase().as_str()))
        .collect()
}

static CAPITALISED: LazyLock<Regex> = LazyLock::new(|| compile(r"\b[A-Z][a-z'\-]+\b"));

/// A date in any form a family table uses: 17/09/1984, 17.09.84, 17 Sept 1984, Sep 1984, 1984.
static ANY_DATE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)\b(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?[\s\-]+{MONTH}\.?,?[\s\-]+\d{{2,4}}|{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|{MONTH}\.?,?\s+\d{{4}}|(?:19|20)\d{{2}})\b"
    ))
});

/// Words that may stand beside a date of birth in its cell ("17/09/1984 (aged 41)").
const BESIDE_A_DATE: &[&str] = &[
    "born",
    "dob",
    "d.o.b",
    "d.o.b.",
    "aged",
    "age",
    "approx",
    "approx.",
    "approximately",
    "c.",
    "circa",
    "years",
    "year",
    "yrs",
    "yr",
    "old",
    "months",
    "month",
    "weeks",
    "m",
    "f",
    "male",
    "female",
    "deceased",
    "died",
];

/// The dates of birth of family composition tables: every date under a date of birth header,
/// and every date that is most of its cell in a row with a relationship word. Short lines of the
/// form "Mother – 17.09.84" are read the same way. Block index to byte ranges.
fn family_dates(outline: &Outline, config: &CheckConfig) -> HashMap<usize, Vec<(usize, usize)>> {
    let mut out: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    let mut birth_columns: Vec<usize> = Vec::new();
    let mut in_table = false;
    for (index, block) in outline.blocks.iter().enumerate() {
        let cells: Vec<(usize, &str)> = match block.kind {
            BlockKind::TableRow => {
                // (byte offset in the row's text, column, cell) of each non-empty cell: the
                // text joins them with " | ".
                let mut offset = 0;
                let mut cells: Vec<(usize, usize, &str)> = Vec::new();
                for (column, cell) in block.cells.iter().enumerate() {
                    if !cell.is_empty() {
                        cells.push((offset, column, cell.as_str()));
                        offset += cell.len() + 3;
                    }
                }
                if !in_table {
                    in_table = true;
                    birth_columns = block
                        .cells
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| {
                            let c = normalise(c);
                            config
                                .birth_date_headers
                                .iter()
                                .any(|h| contains_phrase(&c, h))
                        })
                        .map(|(i, _)| i)
                        .collect();
                    // A header row holds no dates.
                    if !birth_columns.is_empty() {
                        continue;
                    }
                }
                let relation = cells.iter().any(|(_, _, c)| is_relationship(c, config));
                for (offset, column, cell) in cells {
                    let in_birth_column = birth_columns.contains(&column);
                    if in_birth_column || relation {
                        dates_in(cell, offset, in_birth_column, &mut out, index);
                    }
                }
                continue;
            }
            BlockKind::Paragraph | BlockKind::ListItem { .. } => {
                in_table = false;
                birth_columns.clear();
                if block.text.split_whitespace().count() > 10 {
                    continue;
                }
                LINE_PARTS
                    .split(&block.text)
                    .map(|part| {
                        let offset = part.as_ptr() as usize - block.text.as_ptr() as usize;
                        (offset, part)
                    })
                    .collect()
            }
            _ => {
                in_table = false;
                birth_columns.clear();
                continue;
            }
        };
        if cells.len() >= 2 && cells.iter().any(|(_, c)| is_relationship(c, config)) {
            for (offset, cell) in &cells {
                dates_in(cell, *offset, false, &mut out, index);
            }
        }
    }
    out
}

static LINE_PARTS: LazyLock<Regex> = LazyLock::new(|| compile(r"\s*(?:\||–|—|\s-\s|:|;|,|\t)\s*"));

fn is_relationship(cell: &str, config: &CheckConfig) -> bool {
    let cell = normalise(cell);
    cell.split_whitespace().count() <= 4
        && config
            .relationship_words
            .iter()
            .any(|r| contains_phrase(&cell, r))
}

fn dates_in(
    cell: &str,
    offset: usize,
    any: bool,
    out: &mut HashMap<usize, Vec<(usize, usize)>>,
    index: usize,
) {
    for m in ANY_DATE.find_iter(cell) {
        let rest = format!("{} {}", &cell[..m.start()], &cell[m.end()..]);
        let mostly_date = rest
            .split(|c: char| c.is_whitespace() || "()[],;".contains(c))
            .filter(|w| !w.is_empty())
            .all(|w| {
                w.chars().all(|c| c.is_ascii_digit())
                    || BESIDE_A_DATE.contains(&w.to_lowercase().as_str())
            });
        if any || mostly_date {
            out.entry(index)
                .or_default()
                .push((offset + m.start(), offset + m.end()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::outline::BlockKind;

    fn hits(case: &CaseForms, text: &str) -> Vec<(HitKind, String, String)> {
        let mut o = Outline::default();
        o.push(BlockKind::Paragraph, text);
        let config = CheckConfig::embedded().expect("embedded configuration");
        case.scan(&o, &config)
            .hits
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
        let registry = crate::forms::Registry::load().expect("forms load");
        let notification = serde_json::json!({
            "children": [{"name": "Lily Brown", "date_of_birth": "2025-07-10", "address_area": "Thanet"}],
            "household_children": [{"name": "Tyler Brown", "relationship": "half-brother"}],
            "notifier": {"name": "Joanne Price", "phone": "03000 412345"},
            "agencies_involved": [{"name": "Kent Police"}]
        });
        let form_b = serde_json::json!({"child": {"nhs_number": "9434765919"}});
        let form = |id: &str| registry.get(id).expect("a known form");
        let case = CaseForms::from_forms([
            (form("csprp-notification"), &notification),
            (form("cdop-form-b"), &form_b),
        ])
        .with_pseudonym(Some("Child L".into()));
        assert_eq!(
            hits(
                &case,
                "LILY BROWN (DOB 10/07/2025) went to Cliftonville Primary School with Tyler; Brown family; 9434765919; Ms Price on 03000412345; Kent Police; Thanet; brown bruise."
            ),
            vec![
                hit(HitKind::Name, "LILY BROWN", "Child L"),
                hit(HitKind::DateOfBirth, "10/07/2025", "[date]"),
                hit(HitKind::Name, "Tyler", "the half-brother"),
                hit(HitKind::Name, "Brown", "Child L"),
                hit(HitKind::NhsNumber, "9434765919", "[NHS number]"),
                hit(HitKind::Name, "Price", "the practitioner"),
                hit(HitKind::Phone, "03000412345", "[phone number]"),
            ]
        );
    }
}
