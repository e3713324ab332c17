//! Completeness: every mandatory item of a final report, found by its heading or its content.
//!
//! Each item is data ([`super::config`]): the headings reviewers give it (best first), headings
//! that hold it only when the text shows it, phrases that show it in running text, how much it
//! must say, and anything it must contain (a name, a period). The first place that satisfies
//! the item makes it present; a place that only partly does makes it weak; nowhere makes it
//! missing. Contents entries, and sections about the author, are never evidence (the author's
//! biography may name the reviewer, nothing else).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::budget::Budget;
use super::config::{CheckConfig, ItemSpec, Need};
use super::outline::{BlockKind, Location, Outline};
use crate::validate::text::{Weakness, count_words, weakness};

/// What the check concluded about one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Found and substantive.
    Present,
    /// Found, but too thin, a placeholder, or lacking something it must say.
    Weak,
    /// Not found anywhere.
    Missing,
}

/// The check of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemCheck {
    /// The item's id.
    pub id: String,
    /// The item's title.
    pub title: String,
    /// Present, weak or missing.
    pub verdict: Verdict,
    /// Where it was found (present or weak).
    pub location: Option<Location>,
    /// What was found, or what to do, in plain English.
    pub message: String,
    /// The guidance the item rests on.
    pub source: String,
}

/// The check of one recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationCheck {
    /// Its position among the recommendations, from 1.
    pub number: usize,
    /// Where it is, with a quote.
    pub location: Location,
    /// True when it says who must act.
    pub has_owner: bool,
    /// True when it says by when (a date or a time frame).
    pub has_deadline: bool,
    /// What is lacking, if anything.
    pub message: Option<String>,
}

/// Words under one section that each item it holds through a generic heading needs: one short
/// section ("Analysis and conclusions" with a bullet) cannot hold findings, systemic analysis and
/// the summary of improvements at once.
const SHARED_SECTION_WORDS: usize = 40;

/// A cue line shorter than this is read with the line after it ("Overview report prepared by:-"
/// on one line, the name on the next).
const SHORT_CUE_WORDS: usize = 6;

/// The report as the item checks read it: each block's text in lower case with the child's
/// pseudonyms read as "the child", and which blocks may be evidence.
pub struct Reading<'a> {
    outline: &'a Outline,
    config: &'a CheckConfig,
    lower: Vec<String>,
    /// Contents entries and sections about the author: evidence of the reviewer only.
    not_evidence: Vec<bool>,
    /// The terms of reference: what the review asked ("how the child's voice was heard") is
    /// no evidence that the report gives it, except of the questions and the period.
    asked: Vec<bool>,
    words: Vec<usize>,
    budget: Budget,
}

static LABELLED_CHILD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:[Tt]he\s+)?(?:Child|Baby|Infant|Young [Pp]erson|Sibling)\s+(?:[A-Z]{1,2}|\d{1,2})\b",
    )
    .unwrap_or_else(|_| unreachable!("constant pattern"))
});

static SECTION_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:chapter|section|part|appendix)\s+(?:\d+(?:\.\d+)*|[ivx]+|[a-z])\b\s*[.):\-–]?\s*|(?:\d+(?:\.\d+)*\.?|[ivx]+[.)]|[a-z][.)])\s+)")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

impl<'a> Reading<'a> {
    /// Prepares `outline` for the item checks; `pseudonyms` are the names the report gives the
    /// child ("Child T", "Sam").
    pub fn new(outline: &'a Outline, config: &'a CheckConfig, pseudonyms: &[String]) -> Self {
        let pseudonyms: Vec<String> = pseudonyms
            .iter()
            .map(|p| normalise(p))
            .filter(|p| p.len() >= 2)
            .collect();
        let lower: Vec<String> = outline
            .blocks
            .iter()
            .map(|b| child_as_the_child(&b.text, &pseudonyms))
            .collect();
        let words = outline
            .blocks
            .iter()
            .map(|b| count_words(&b.text))
            .collect();
        let mut asked: Vec<bool> = vec![false; outline.blocks.len()];
        if let Some(terms) = config.item("terms-of-reference") {
            for i in outline.headings() {
                if terms.headings.iter().any(|p| p.is_match(&lower[i])) {
                    let end = i + 1 + outline.section(i).len();
                    for flag in &mut asked[i..end] {
                        *flag = true;
                    }
                }
            }
        }
        let mut not_evidence: Vec<bool> = outline
            .blocks
            .iter()
            .map(|b| b.kind == BlockKind::Contents)
            .collect();
        for i in outline.headings() {
            if is_not_evidence_heading(&lower[i], config) {
                let end = i + 1 + outline.section(i).len();
                for flag in &mut not_evidence[i..end] {
                    *flag = true;
                }
            }
        }
        Reading {
            outline,
            config,
            lower,
            not_evidence,
            asked,
            words,
            budget: Budget::unlimited(),
        }
    }

    /// The same reading, stopping its loops early once `budget` is spent (the caller then
    /// throws the result away).
    pub fn within(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    /// Whether the budget is spent, looked at every few steps.
    fn spent(&self, step: usize) -> bool {
        self.budget.every(step).is_err()
    }

    /// The text of a heading's section, contents entries left out.
    fn section_text(&self, heading: usize) -> (String, String, usize) {
        let blocks = self.outline.section(heading);
        let start = heading + 1;
        let mut text = String::new();
        let mut lower = String::new();
        let mut words = 0;
        for (offset, block) in blocks.iter().enumerate() {
            if self.spent(offset) {
                break;
            }
            if block.kind == BlockKind::Contents {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
                lower.push(' ');
            }
            text.push_str(&block.text);
            lower.push_str(&self.lower[start + offset]);
            words += self.words[start + offset];
        }
        (text, lower, words)
    }
}

/// Lower case, with "Child T", "Baby A" and the report's pseudonyms read as "the child".
fn child_as_the_child(text: &str, pseudonyms: &[String]) -> String {
    let labelled = LABELLED_CHILD.replace_all(text, "the child");
    let mut lower = normalise(&labelled);
    for p in pseudonyms {
        if lower.contains(p.as_str()) {
            lower = replace_phrase(&lower, p, "the child");
        }
    }
    if lower.contains("the the child") {
        lower = lower.replace("the the child", "the child");
    }
    lower
}

/// Replaces whole-word occurrences of `phrase`.
fn replace_phrase(text: &str, phrase: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, _) in text.match_indices(phrase) {
        if start < last {
            continue;
        }
        let end = start + phrase.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            out.push_str(&text[last..start]);
            out.push_str(with);
            last = end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// The heading without its number ("3.2", "Chapter 4:", "Appendix A -") or final punctuation.
pub fn bare_heading(lower: &str) -> &str {
    let rest = SECTION_NUMBER
        .find(lower)
        .map_or(lower, |m| &lower[m.end()..]);
    rest.trim().trim_end_matches(['.', ':', '?', '!', ' '])
}

fn is_not_evidence_heading(lower: &str, config: &CheckConfig) -> bool {
    let bare = bare_heading(lower);
    bare.starts_with("about the ")
        || config.not_evidence_headings.iter().any(|h| {
            h == bare
                || h == lower.trim()
                || [" by ", " from ", ": ", " - ", " – "]
                    .iter()
                    .any(|joint| bare.starts_with(&format!("{h}{joint}")))
        })
}

/// Checks every item of the configuration and each recommendation.
pub fn check(reading: &Reading<'_>) -> (Vec<ItemCheck>, Vec<RecommendationCheck>) {
    let mut claims: HashMap<usize, usize> = HashMap::new();
    let mut items: Vec<ItemCheck> = reading
        .config
        .items
        .iter()
        .take_while(|_| !reading.spent(0))
        .map(|spec| check_item(reading, spec, &mut claims))
        .collect();
    let recommendations = find_recommendations(reading);
    if let Some(item) = items.iter_mut().find(|i| i.id == "recommendations") {
        judge_recommendations(item, &recommendations);
    }
    (items, recommendations)
}

/// How a candidate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// Under a heading that names the item.
    Heading,
    /// Under a heading that holds it only when the text shows it.
    GenericHeading,
    /// In a section whose text shows it, whatever the heading.
    Evidence,
    /// In a block by a phrase.
    Cue,
}

/// A place an item may be: a heading's section or one block.
struct Candidate {
    /// The matching heading, for a section.
    heading: Option<usize>,
    index: usize,
    offset: usize,
    text: String,
    lower: String,
    words: usize,
    found: Found,
}

fn check_item(
    reading: &Reading<'_>,
    spec: &ItemSpec,
    claims: &mut HashMap<usize, usize>,
) -> ItemCheck {
    let outline = reading.outline;
    let mut first_failure: Option<(Location, String)> = None;
    for candidate in candidates(reading, spec) {
        let mut location = outline.locate(candidate.index, candidate.offset);
        if let Some(heading) = candidate.heading {
            location.heading = Some(outline.blocks[heading].text.clone());
        }
        let claimed = candidate
            .heading
            .map_or(0, |h| claims.get(&h).copied().unwrap_or(0));
        match shortfall(spec, &candidate, claimed) {
            // A generic heading whose text does not show the item is no sign of it at all.
            Some(Shortfall::NotShown) => {}
            None => {
                if let Some(heading) = candidate.heading {
                    *claims.entry(heading).or_default() += 1;
                }
                let message = match &location.heading {
                    Some(heading) => format!(
                        "Found under \"{heading}\" (paragraph {}).",
                        location.paragraph
                    ),
                    None => format!("Found in paragraph {}.", location.paragraph),
                };
                return result(spec, Verdict::Present, Some(location), message);
            }
            Some(Shortfall::Reason(reason)) => {
                if first_failure.is_none() {
                    first_failure = Some((location, reason));
                }
            }
        }
    }
    match first_failure {
        Some((location, reason)) => {
            let place = match &location.heading {
                Some(heading) => format!("under \"{heading}\" (paragraph {})", location.paragraph),
                None => format!("in paragraph {}", location.paragraph),
            };
            let message = format!("{} was found {place}, but {reason}", spec.title);
            result(spec, Verdict::Weak, Some(location), message)
        }
        None => result(
            spec,
            Verdict::Missing,
            None,
            format!("{} is missing. {}", spec.title, spec.advice),
        ),
    }
}

fn result(
    spec: &ItemSpec,
    verdict: Verdict,
    location: Option<Location>,
    message: String,
) -> ItemCheck {
    ItemCheck {
        id: spec.id.clone(),
        title: spec.title.clone(),
        verdict,
        location,
        message,
        source: spec.source.clone(),
    }
}

/// Headings that name the item (best pattern first, then document order), headings that may
/// hold it, sections whose text shows it, then blocks with a cue.
fn candidates(reading: &Reading<'_>, spec: &ItemSpec) -> Vec<Candidate> {
    let outline = reading.outline;
    let reviewer = spec.id == "reviewer";
    let mut by_heading = matching_headings(reading, spec, true);
    by_heading.sort_unstable();
    let mut out: Vec<Candidate> = by_heading
        .iter()
        .map(|&(rank, i)| {
            let (text, lower, words) = reading.section_text(i);
            // The heading counts for what the section must mention ("Involvement of the
            // family" says whose involvement it is), not for its length.
            let lower = format!("{} {lower}", reading.lower[i]);
            let blocks = outline.section(i);
            // Point at the first paragraph under the heading, or the heading if there is none.
            let index = blocks
                .iter()
                .position(|b| b.heading_level().is_none() && b.kind != BlockKind::Contents)
                .map_or(i, |offset| i + 1 + offset);
            Candidate {
                heading: Some(i),
                index,
                offset: 0,
                text,
                lower,
                words,
                found: if rank < spec.headings.len() {
                    Found::Heading
                } else {
                    Found::GenericHeading
                },
            }
        })
        .collect();
    if spec.evidence_min > 0 {
        for i in outline.headings() {
            if reading.not_evidence[i] || by_heading.iter().any(|&(_, h)| h == i) {
                continue;
            }
            let (text, lower, words) = reading.section_text(i);
            let distinct = spec
                .evidence
                .iter()
                .filter(|e| contains_phrase(&lower, e))
                .count();
            if distinct >= spec.evidence_min {
                out.push(Candidate {
                    heading: Some(i),
                    index: i,
                    offset: 0,
                    text,
                    lower,
                    words,
                    found: Found::Evidence,
                });
            }
        }
    }
    for (i, block) in outline.blocks.iter().enumerate() {
        if reading.spent(i) {
            break;
        }
        if block.heading_level().is_some() || (reading.not_evidence[i] && !reviewer) {
            continue;
        }
        if block.kind == BlockKind::Contents
            || (reading.asked[i]
                && !matches!(
                    spec.id.as_str(),
                    "terms-of-reference" | "period-under-review"
                ))
        {
            continue;
        }
        let lower = &reading.lower[i];
        let cue = spec.cues.iter().find_map(|cue| lower.find(cue.as_str()));
        // What the report promises ("the family will be invited") is no evidence.
        if cue.is_some_and(|offset| promised(lower, offset)) {
            continue;
        }
        let offset = cue
            .or_else(|| (spec.id == "child-perspective" && child_quote(lower)).then_some(0))
            .or_else(|| {
                (spec.id == "period-under-review")
                    .then(|| REVIEW_LOOKED_AT.find(lower).map(|m| m.start()))
                    .flatten()
            });
        let Some(offset) = offset else {
            continue;
        };
        let mut text = block.text.clone();
        let mut lower = lower.clone();
        let mut words = reading.words[i];
        if words < SHORT_CUE_WORDS
            && let Some(next) = outline.blocks.get(i + 1)
            && next.heading_level().is_none()
        {
            text.push(' ');
            text.push_str(&next.text);
            lower.push(' ');
            lower.push_str(&reading.lower[i + 1]);
            words += reading.words[i + 1];
        }
        // The offset is in the lower-case text; quote from the block's start when it differs.
        let offset = if block.text.is_char_boundary(offset) {
            offset
        } else {
            0
        };
        out.push(Candidate {
            heading: None,
            index: i,
            offset,
            text,
            lower,
            words,
            found: Found::Cue,
        });
    }
    out
}

/// (rank, block index) of every heading that matches the item: ranks below the number of
/// `headings` are named headings, the rest generic ones.
fn matching_headings(reading: &Reading<'_>, spec: &ItemSpec, generic: bool) -> Vec<(usize, usize)> {
    let reviewer = spec.id == "reviewer";
    reading
        .outline
        .headings()
        .filter_map(|i| {
            if reading.not_evidence[i] && !reviewer {
                return None;
            }
            let heading = &reading.lower[i];
            if spec
                .not_headings
                .iter()
                .any(|w| contains_phrase(heading, w))
            {
                return None;
            }
            let strong = spec.headings.len();
            spec.heading_set
                .matches(heading)
                .iter()
                .find(|&rank| generic || rank < strong)
                .map(|rank| (rank, i))
        })
        .collect()
}

static FIRST_PERSON_QUOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["“‘']\s*[^"”’]{0,300}?\b(?:i|i'm|i've|i'd|i'll|me|my|myself|mine)\b"#)
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

static SPEECH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:said|says|say|told|tells|wrote|writes|explained|described|shared|asked|recalled|put it|words|commented|disclosed|drew|texted|messaged)\b")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// The review saying what it looked at ("Phase 2 looked at the placements ... between 2019 and
/// 2022"): with two dates, a period.
static REVIEW_LOOKED_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:review|phase|this report|we)\b[^.]{0,60}?\b(?:looked at|considered|covers|covered|examined|focused on|concerns|considers)\b[^.]{0,100}?\b(?:between|from)\b")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// First-person words in quotation marks, attributed to the child ("the child said ...").
fn child_quote(lower: &str) -> bool {
    contains_phrase(lower, "the child")
        && SPEECH.is_match(lower)
        && FIRST_PERSON_QUOTE.is_match(lower)
}

static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:will|shall|is to be|are to be|to be completed|to be held|to follow|is planned|are planned|planned for|intends? to|once the review)\b")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// True when the sentence around byte `offset` of `lower` speaks of what is still to be done
/// ("the family will be invited"): a promise is no evidence.
fn promised(lower: &str, offset: usize) -> bool {
    let offset = offset.min(lower.len());
    let start = lower[..offset]
        .rfind(['.', '!', '?', ';'])
        .map_or(0, |i| i + 1);
    let end = lower[offset..]
        .find(['.', '!', '?', ';'])
        .map_or(lower.len(), |i| offset + i);
    lower
        .get(start..end)
        .is_some_and(|sentence| FUTURE.is_match(sentence))
}

/// Why a candidate does not satisfy an item.
enum Shortfall {
    /// Something a reader should fix.
    Reason(String),
    /// A generic heading whose text does not show the item: no sign of it.
    NotShown,
}

/// Why a candidate does not satisfy the item, or `None` when it does; `claimed` is how many
/// items its heading's section already holds.
fn shortfall(spec: &ItemSpec, candidate: &Candidate, claimed: usize) -> Option<Shortfall> {
    reason(spec, candidate, claimed).map(|r| r.map_or(Shortfall::NotShown, Shortfall::Reason))
}

fn reason(spec: &ItemSpec, candidate: &Candidate, claimed: usize) -> Option<Option<String>> {
    if candidate.text.trim().is_empty() {
        return Some(Some(
            "the heading has nothing under it. ".to_owned() + &spec.advice,
        ));
    }
    let shows = candidate.found != Found::GenericHeading
        || spec.evidence.is_empty()
        || spec
            .evidence
            .iter()
            .any(|e| contains_phrase(&candidate.lower, e));
    if let Some(weak) = weakness(&candidate.text, spec.min_words) {
        if !shows && matches!(weak, Weakness::TooShort { .. }) {
            return Some(None);
        }
        return Some(Some(match weak {
            Weakness::Empty => "it is empty. ".to_owned() + &spec.advice,
            Weakness::Placeholder(text) => format!(
                "it says only \"{text}\", which is a placeholder. {}",
                spec.advice
            ),
            Weakness::Filler => "it holds filler text (lorem ipsum). ".to_owned() + &spec.advice,
            Weakness::PointsElsewhere => {
                "it points to another document instead of saying it here. ".to_owned()
                    + &spec.advice
            }
            Weakness::TooShort { words, needed } => format!(
                "it is too short to be useful ({words} word{}; at least {needed} are needed). {}",
                if words == 1 { "" } else { "s" },
                spec.advice
            ),
        }));
    }
    if !shows {
        return Some(None);
    }
    if matches!(candidate.found, Found::GenericHeading | Found::Evidence)
        && claimed > 0
        && candidate.words < (claimed + 1) * SHARED_SECTION_WORDS
    {
        return Some(Some(format!(
            "that section is too short to hold this as well as what it already holds. {}",
            spec.advice
        )));
    }
    let satisfied = match spec.need {
        None => true,
        Some(Need::PersonName) => has_person_name(&candidate.text),
        Some(Need::Period) => PERIOD_POINT.find_iter(&candidate.text).count() >= 2,
        Some(Need::Mentions) => {
            let mentions = spec
                .need_words
                .iter()
                .any(|w| contains_phrase(&candidate.lower, w));
            // A phrase such as "conversations with" in a line that names nobody of the item's
            // kind is no sign of it.
            if !mentions && candidate.found == Found::Cue {
                return Some(None);
            }
            mentions
        }
    };
    (!satisfied).then(|| Some(spec.need_advice.clone()))
}

/// Lower case with typographic apostrophes made plain.
pub fn normalise(text: &str) -> String {
    text.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'")
}

/// True when `text` names the agency, in the singular or the plural ("local authority",
/// "local authorities"; "substance misuse services", "substance misuse service").
fn names_agency(text: &str, agency: &str) -> bool {
    if contains_phrase(text, agency) {
        return true;
    }
    let plural = match agency.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ => format!("{agency}s"),
    };
    contains_phrase(text, &plural)
        || agency
            .strip_suffix('s')
            .is_some_and(|singular| contains_phrase(text, singular))
}

/// True when `phrase` occurs in `text` as whole words.
pub fn contains_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Capitalised words of titles, roles and bodies, never part of a person's name.
const NOT_NAME_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "of",
    "for",
    "by",
    "to",
    "in",
    "on",
    "at",
    "with",
    "from",
    "this",
    "that",
    "these",
    "our",
    "we",
    "i",
    "he",
    "she",
    "they",
    "it",
    "his",
    "her",
    "their",
    "independent",
    "author",
    "authors",
    "reviewer",
    "reviewers",
    "review",
    "reviews",
    "lead",
    "safeguarding",
    "children",
    "child",
    "childrens",
    "children's",
    "partnership",
    "partners",
    "practice",
    "local",
    "serious",
    "case",
    "overview",
    "report",
    "board",
    "council",
    "county",
    "city",
    "borough",
    "district",
    "panel",
    "national",
    "chair",
    "chairs",
    "executive",
    "summary",
    "written",
    "prepared",
    "published",
    "consultant",
    "social",
    "work",
    "worker",
    "care",
    "services",
    "service",
    "nhs",
    "trust",
    "police",
    "health",
    "learning",
    "together",
    "scie",
    "about",
    "acknowledgements",
    "foreword",
    "contents",
    "introduction",
    "final",
    "draft",
    "version",
    "date",
    "adult",
    "adults",
    "young",
    "person",
    "people",
    "family",
    "families",
    "mother",
    "father",
    "baby",
    "sibling",
    "practitioner",
    "practitioners",
    "multi",
    "agency",
    "multi-agency",
    "partnership's",
    "director",
    "head",
    "manager",
    "team",
    "group",
    "unit",
    "business",
    "officer",
    "nurse",
    "doctor",
    "designated",
    "named",
    "england",
    "wales",
    "department",
    "education",
    "government",
    "crown",
    "copyright",
    "licence",
    "open",
    "office",
    "house",
    "hall",
    "street",
    "road",
    "centre",
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
    "he",
    "she",
    "thank",
    "thanks",
    "grateful",
    "special",
    "particular",
    "associate",
    "senior",
    "principal",
    "former",
    "retired",
    "qualified",
    "registered",
    "barrister",
    "solicitor",
    "psychologist",
    "safeguarding's",
    "rapid",
    "practitioner's",
    "reviewer's",
    "author's",
    "mr",
    "mrs",
    "ms",
    "dr",
    "miss",
    "professor",
    "minister",
    "secretary",
    "state",
    "university",
    "college",
    "school",
];

/// Titles written before a name.
const TITLES: &[&str] = &[
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "professor",
    "prof",
    "dame",
    "sir",
    "rev",
    "revd",
];

/// True when `text` holds what looks like a person's name: a title and a name ("Dr Marsh"), or
/// two capitalised words in a row that are not words of titles, roles or bodies ("Helen
/// Marsh", "Jane O'Neill"). Pseudonyms and labels ("Child T", "Adult 3", "Ms K") are not names.
pub fn has_person_name(text: &str) -> bool {
    let mut run = 0;
    let mut after_title = false;
    for raw in text.split_whitespace() {
        let word = raw
            .trim_matches(|c: char| !c.is_alphanumeric())
            .trim_end_matches("'s")
            .trim_end_matches("’s");
        let lower = word.to_lowercase();
        let initial =
            word.chars().count() == 1 && word.chars().all(char::is_uppercase) && raw.ends_with('.');
        if TITLES.contains(&lower.trim_end_matches('.')) {
            after_title = true;
            run = 0;
            continue;
        }
        let capitalised = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().any(char::is_lowercase)
            && word
                .chars()
                .all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-');
        if capitalised && !NOT_NAME_WORDS.contains(&lower.as_str()) {
            run += 1;
            if run >= 2 || after_title {
                return true;
            }
        } else if !initial {
            run = 0;
            after_title = false;
        }
        if raw.ends_with([',', ';', ':', ')', '(']) || (raw.ends_with('.') && !initial) {
            run = 0;
            after_title = false;
        }
    }
    false
}

/// A date or a year: two of them make a period.
static PERIOD_POINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTH}\s+\d{{4}}|(?:19|20)\d{{2}})\b"
    ))
    .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// Month names and abbreviations, as a regex group.
pub const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    let number = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty[- ]four)";
    Regex::new(&format!(
        r"(?i)\b(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTH}\.?,?\s+\d{{4}}|within\s+{number}\s+(?:working\s+)?(?:days?|weeks?|months?|years?)|{number}\s+(?:weeks?|months?)\s+(?:of|after|from)|(?:by|before|during|in|from)\s+(?:the\s+)?(?:end\s+of\s+)?(?:(?:spring|summer|autumn|winter)\s+(?:term\s+)?)?(?:q[1-4]\s+)?(?:20\d{{2}})|q[1-4]\s+20\d{{2}}|20\d{{2}}/\d{{2}})\b"
    ))
    .unwrap_or_else(|_| unreachable!("constant pattern"))
});

static OWNER_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:who must act|owners?|lead agenc(?:y|ies)|lead|responsible|responsibility|accountable|agenc(?:y|ies))\s*:\s*\S",
    )
    .unwrap_or_else(|_| unreachable!("constant pattern"))
});

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:recommendation\s*)?\d{1,2}\s*[.):]?\s")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

static RECOMMENDATION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^recommendation\s*\d{1,2}\b")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// Fewest words of a plain paragraph read as a recommendation when none is numbered.
const PLAIN_RECOMMENDATION_WORDS: usize = 8;

/// Most words of a table's first row read as its header.
const HEADER_ROW_WORDS: usize = 8;

/// The recommendations: numbered items under the recommendations heading, or table rows, or
/// its paragraphs when nothing there is numbered.
fn find_recommendations(reading: &Reading<'_>) -> Vec<RecommendationCheck> {
    let outline = reading.outline;
    let Some(spec) = reading.config.item("recommendations") else {
        return Vec::new();
    };
    let Some(heading) = matching_headings(reading, spec, false)
        .into_iter()
        .min()
        .map(|(_, i)| i)
    else {
        return Vec::new();
    };
    let section = outline.section(heading);
    let start = heading + 1;
    // (index of the first block, text) for each recommendation.
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut first_row = true;
    for (offset, block) in section.iter().enumerate() {
        let index = start + offset;
        match &block.kind {
            BlockKind::Heading { .. } if RECOMMENDATION_HEADING.is_match(&block.text) => {
                found.push((index, block.text.clone()));
            }
            BlockKind::Heading { .. } | BlockKind::Contents => {}
            BlockKind::ListItem { level: 0 } => found.push((index, block.text.clone())),
            BlockKind::ListItem { .. } => append(&mut found, &block.text),
            BlockKind::TableRow => {
                // The cells are joined with " | ": the bars are not words.
                let words = block
                    .text
                    .split_whitespace()
                    .filter(|word| *word != "|")
                    .count();
                let header = first_row && words <= HEADER_ROW_WORDS;
                first_row = false;
                if !header {
                    found.push((index, block.text.clone()));
                }
            }
            BlockKind::Paragraph if NUMBERED.is_match(&block.text) => {
                found.push((index, block.text.clone()));
            }
            BlockKind::Paragraph => {
                let under_heading = found.last().is_some_and(|(i, _)| {
                    outline.blocks[*i].heading_level().is_some() && *i >= start
                });
                if under_heading {
                    append(&mut found, &block.text);
                }
            }
        }
    }
    if found.is_empty() {
        found = section
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                b.kind == BlockKind::Paragraph
                    && b.text.split_whitespace().count() >= PLAIN_RECOMMENDATION_WORDS
            })
            .map(|(offset, b)| (start + offset, b.text.clone()))
            .collect();
    }
    found
        .into_iter()
        .enumerate()
        .map(|(n, (index, text))| judge_one(reading, n + 1, index, &text))
        .collect()
}

fn append(found: &mut [(usize, String)], text: &str) {
    if let Some((_, last)) = found.last_mut() {
        last.push(' ');
        last.push_str(text);
    }
}

fn judge_one(
    reading: &Reading<'_>,
    number: usize,
    index: usize,
    text: &str,
) -> RecommendationCheck {
    let outline = reading.outline;
    let lower = normalise(text);
    let has_owner = OWNER_LABEL.is_match(text)
        || reading
            .config
            .agencies
            .iter()
            .any(|a| names_agency(&lower, a));
    let has_deadline = DEADLINE.is_match(text);
    let message = match (has_owner, has_deadline) {
        (true, true) => None,
        (false, true) => Some(format!(
            "Recommendation {number} does not say who must act. Please name the agency or agencies responsible."
        )),
        (true, false) => Some(format!(
            "Recommendation {number} does not say by when. Please give a date or a time frame."
        )),
        (false, false) => Some(format!(
            "Recommendation {number} says neither who must act nor by when. Please name the agency or agencies responsible and give a date or a time frame."
        )),
    };
    RecommendationCheck {
        number,
        location: outline.locate(index, 0),
        has_owner,
        has_deadline,
        message,
    }
}

fn judge_recommendations(item: &mut ItemCheck, recommendations: &[RecommendationCheck]) {
    if item.verdict == Verdict::Missing {
        return;
    }
    let place = item
        .location
        .as_ref()
        .and_then(|l| l.heading.clone())
        .unwrap_or_else(|| "the recommendations".to_owned());
    if recommendations.is_empty() {
        item.verdict = Verdict::Weak;
        item.message = format!(
            "There is a section \"{place}\", but no recommendation could be found in it. Please list the recommendations, each saying what is required, of which agency or agencies, and by when."
        );
        return;
    }
    let lacking = recommendations
        .iter()
        .filter(|r| r.message.is_some())
        .count();
    if lacking > 0 {
        item.verdict = Verdict::Weak;
        item.message = format!(
            "{lacking} of {} recommendations under \"{place}\" do not say who must act or by when; see each recommendation below.",
            recommendations.len()
        );
    } else if item.verdict == Verdict::Present {
        item.message = format!(
            "{} recommendations under \"{place}\", each saying who must act and by when.",
            recommendations.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words_only() {
        assert!(contains_phrase(
            "4. recommended improvements",
            "improvements"
        ));
        assert!(!contains_phrase("methodology", "method"));
        assert!(has_person_name(
            "Independent Author Dr Gillian Fairweather MSc, PhD."
        ));
        assert!(has_person_name(
            "Overview report prepared by:- Michael Dunmore, Independent Author"
        ));
        assert!(has_person_name(
            "Mark Allen-Price OBE, Independent Safeguarding Reviewer"
        ));
        assert!(!has_person_name(
            "Independent Reviewer: Child T, Adult 3 and Ms K"
        ));
        assert!(!has_person_name(
            "Lead Reviewer, Safeguarding Children Partnership"
        ));
        assert!(contains_phrase("the method used", "method"));
    }

    #[test]
    fn deadlines_and_owners_in_their_usual_forms() {
        for text in [
            "by 31 March 2027",
            "by March 2027",
            "within six months",
            "within 3 working days",
            "by the end of 2027",
            "in autumn term 2026",
            "Q2 2027",
            "2027-01-31",
            "31/03/2027",
            "six months of publication",
        ] {
            assert!(DEADLINE.is_match(text), "{text}");
        }
        for text in ["as soon as possible", "ongoing", "in due course"] {
            assert!(!DEADLINE.is_match(text), "{text}");
        }
        assert!(OWNER_LABEL.is_match("Owner: the partnership team"));
        assert!(!OWNER_LABEL.is_match("Owner:"));
    }
}
