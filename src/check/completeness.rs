//! Completeness: every mandatory item of a final report, found by its heading or its content.
//!
//! Each item is data ([`ITEMS`]): the headings reviewers give it (best first), phrases that
//! show it in running text, how much it must say, and anything it must contain (a name, a
//! period). The first place that satisfies the item makes it present; a place that only
//! partly does makes it weak; nowhere makes it missing.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::outline::{Block, BlockKind, Location, Outline};
use crate::validate::text::{Weakness, weakness};

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

/// Something an item's text must contain besides enough words.
#[derive(Debug, Clone, Copy)]
pub enum Need {
    /// A person's name (the reviewer).
    PersonName,
    /// Two dates or years: the start and end of a period.
    Period,
    /// One of these words (lower case).
    Mentions(&'static [&'static str]),
}

/// One mandatory item of the final report.
#[derive(Debug, Clone, Copy)]
pub struct ItemSpec {
    /// Stable id, e.g. `methodology`.
    pub id: &'static str,
    /// What a reader calls it.
    pub title: &'static str,
    /// Headings that hold it, best first (lower case, matched as whole words).
    pub headings: &'static [&'static str],
    /// Words that rule a heading out even when it matches (lower case).
    pub not_headings: &'static [&'static str],
    /// Phrases that show it in running text (lower case).
    pub cues: &'static [&'static str],
    /// Fewest words its text needs.
    pub min_words: usize,
    /// What it must contain.
    pub need: Option<Need>,
    /// What to do when it is missing.
    pub advice: &'static str,
    /// What to do when it lacks its [`Need`].
    pub need_advice: &'static str,
    /// The guidance it rests on.
    pub source: &'static str,
}

const WT18: &str = "Working Together to Safeguard Children 2018, 4.44-4.52";
const KENT: &str = "Kent Practice Improvement Framework 2020 (seed 001)";

const FAMILY_WORDS: &[&str] = &[
    "family",
    "mother",
    "father",
    "parent",
    "carer",
    "grandmother",
    "grandfather",
    "grandparent",
    "sibling",
    "brother",
    "sister",
    "relatives",
];
const PRACTITIONER_WORDS: &[&str] = &[
    "practitioner",
    "professional",
    "staff",
    "learning event",
    "agencies",
    "managers",
    "workshop",
];

/// The mandatory items, in the order a report usually has them.
pub static ITEMS: &[ItemSpec] = &[
    ItemSpec {
        id: "reviewer",
        title: "Reviewer named",
        headings: &[
            "lead reviewer",
            "reviewer",
            "reviewers",
            "about the reviewer",
            "author",
            "review team",
        ],
        not_headings: &[],
        cues: &[
            "lead reviewer",
            "independent reviewer",
            "reviewer:",
            "reviewers:",
            "author:",
            "written by",
            "authored by",
            "review was led by",
        ],
        min_words: 2,
        need: Some(Need::PersonName),
        advice: "Please name the reviewer or reviewers (for example under a heading \"The reviewer\" or on the title page).",
        need_advice: "it does not give the reviewer's name. Please name the reviewer or reviewers.",
        source: "Working Together 2018, 4.52; Kent Practice Improvement Framework 2020: the name of the reviewer(s) should be included",
    },
    ItemSpec {
        id: "methodology",
        title: "Methodology",
        headings: &[
            "methodology",
            "method",
            "methods",
            "approach",
            "how the review was carried out",
            "how the review was conducted",
            "review process",
            "process",
        ],
        not_headings: &[],
        cues: &[
            "methodology",
            "systems approach",
            "the review used",
            "the review was carried out",
            "the review was conducted",
        ],
        min_words: 10,
        need: None,
        advice: "Please add a section on methodology: how the review was carried out (for example a systems approach, records reviewed, conversations held).",
        need_advice: "",
        source: "Kent Practice Improvement Framework 2020 (seed 001): a systems methodology",
    },
    ItemSpec {
        id: "terms-of-reference",
        title: "Terms of reference",
        headings: &[
            "terms of reference",
            "key lines of enquiry",
            "lines of enquiry",
            "review questions",
            "questions for the review",
            "scope",
            "purpose of the review",
        ],
        not_headings: &[],
        cues: &[
            "terms of reference",
            "lines of enquiry",
            "the review set out to",
            "the review considered",
        ],
        min_words: 10,
        need: None,
        advice: "Please add the terms of reference: the questions the review set out to answer.",
        need_advice: "",
        source: WT18,
    },
    ItemSpec {
        id: "period-under-review",
        title: "Period under review",
        headings: &[
            "period under review",
            "period of the review",
            "period covered",
            "timeframe",
            "time frame",
            "scope",
            "terms of reference",
        ],
        not_headings: &[],
        cues: &[
            "period under review",
            "review covers",
            "period covered",
            "the period from",
            "scope period",
            "timeframe",
            "time frame",
        ],
        min_words: 3,
        need: Some(Need::Period),
        advice: "Please state the period the review covers, from which date to which date.",
        need_advice: "it does not give the period the review covers (from which date to which date).",
        source: WT18,
    },
    ItemSpec {
        id: "child-perspective",
        title: "The child's perspective and lived experience",
        headings: &[
            "child's perspective",
            "lived experience",
            "voice of the child",
            "child's voice",
            "child's experience",
            "child's daily life",
            "day in the life",
            "wishes and feelings",
            "perspective",
        ],
        not_headings: &[],
        cues: &[
            "lived experience",
            "voice of the child",
            "child's perspective",
            "what life was like",
            "daily life",
            "wishes and feelings",
            "from the child's point of view",
        ],
        min_words: 10,
        need: None,
        advice: "Please add the child's perspective: what life was like for the child, their lived experience, in their words where possible.",
        need_advice: "",
        source: "Kent Practice Improvement Framework 2020 (seed 001): the child's perspective and family context",
    },
    ItemSpec {
        id: "family-involvement",
        title: "Family involvement (or why not)",
        headings: &[
            "family involvement",
            "involvement of the family",
            "family's involvement",
            "family participation",
            "family contribution",
            "contribution of the family",
            "views of the family",
            "family's views",
            "family engagement",
            "involvement of practitioners and family",
            "practitioner and family involvement",
            "involvement",
            "participation",
            "contributions",
        ],
        not_headings: &[],
        cues: &[
            "family took part",
            "family contributed",
            "family were invited",
            "family was invited",
            "parents were invited",
            "met the reviewer",
            "spoke to the reviewer",
            "spoke with the reviewer",
            "declined to take part",
            "declined to contribute",
            "did not wish to take part",
            "family's views",
            "views of the family",
            "family involvement",
            "involvement of the family",
        ],
        min_words: 8,
        need: Some(Need::Mentions(FAMILY_WORDS)),
        advice: "Please say how the family, including any surviving children, took part in the review, or why they did not.",
        need_advice: "it does not say how the family took part, or why not.",
        source: KENT,
    },
    ItemSpec {
        id: "practitioner-involvement",
        title: "Practitioner involvement",
        headings: &[
            "practitioner involvement",
            "involvement of practitioners",
            "practitioners' involvement",
            "practitioner contribution",
            "involvement of professionals",
            "professional involvement",
            "involvement of agencies",
            "learning event",
            "involvement of practitioners and family",
            "practitioner and family involvement",
            "involvement",
            "participation",
            "contributions",
        ],
        not_headings: &[],
        cues: &[
            "learning event",
            "practitioner event",
            "practitioners attended",
            "practitioners took part",
            "practitioners contributed",
            "conversations with practitioners",
            "met practitioners",
            "spoke to practitioners",
            "practitioner workshop",
        ],
        min_words: 8,
        need: Some(Need::Mentions(PRACTITIONER_WORDS)),
        advice: "Please say how practitioners and their managers took part in the review (for example a learning event or conversations).",
        need_advice: "it does not say how practitioners took part.",
        source: KENT,
    },
    ItemSpec {
        id: "findings",
        title: "Findings",
        headings: &[
            "findings",
            "key findings",
            "what the review found",
            "what we found",
            "key practice episodes",
            "learning",
            "analysis",
        ],
        not_headings: &[],
        cues: &["the review found", "finding 1", "first finding"],
        min_words: 20,
        need: None,
        advice: "Please add the review's findings, each with the evidence for it.",
        need_advice: "",
        source: KENT,
    },
    ItemSpec {
        id: "systemic-analysis",
        title: "Analysis of systemic or underlying reasons",
        headings: &[
            "systemic",
            "underlying",
            "why did this happen",
            "why it happened",
            "why things happened",
            "system",
            "analysis",
        ],
        not_headings: &[],
        cues: &[
            "systemic",
            "underlying reasons",
            "underlying factors",
            "system factors",
            "organisational context",
        ],
        min_words: 20,
        need: None,
        advice: "The report must include an analysis of any systemic or underlying reasons why actions were taken or not. Please add it.",
        need_advice: "",
        source: "Working Together 2018, 4.50 (mandatory: an analysis of any systemic or underlying reasons why actions were taken or not)",
    },
    ItemSpec {
        id: "improvements-summary",
        title: "Summary of recommended improvements",
        headings: &[
            "summary of recommended improvements",
            "summary of improvements",
            "recommended improvements",
            "improvements",
            "what needs to change",
            "summary of recommendations",
            "conclusions",
            "conclusion",
        ],
        not_headings: &[],
        cues: &[
            "recommended improvements",
            "improvements are needed",
            "improvements needed",
            "needs to change",
            "need to change",
        ],
        min_words: 10,
        need: None,
        advice: "The report must include a summary of recommended improvements. Please add it.",
        need_advice: "",
        source: "Working Together 2018, 4.50 (mandatory: a summary of any recommended improvements)",
    },
    ItemSpec {
        id: "recommendations",
        title: "Recommendations: who must act and by when",
        headings: &[
            "recommendations",
            "recommendation",
            "recommendations for improvement",
            "recommended improvements",
            "what needs to change",
            "actions",
            "improvements",
        ],
        not_headings: &["summary"],
        cues: &[],
        min_words: 5,
        need: None,
        advice: "Please add the recommendations, each saying what is required, of which agency or agencies, and by when.",
        need_advice: "",
        source: "Kent Practice Improvement Framework 2020 (seed 001): recommendations should be clear on what is required of relevant agencies, collectively and individually, and by when",
    },
];

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

/// Checks every item of [`ITEMS`] and each recommendation.
pub fn check(outline: &Outline) -> (Vec<ItemCheck>, Vec<RecommendationCheck>) {
    let mut items: Vec<ItemCheck> = ITEMS.iter().map(|spec| check_item(outline, spec)).collect();
    let recommendations = find_recommendations(outline);
    if let Some(item) = items.iter_mut().find(|i| i.id == "recommendations") {
        judge_recommendations(item, &recommendations);
    }
    (items, recommendations)
}

/// A place an item may be: a heading's section or one block.
struct Candidate<'a> {
    /// The matching heading, for a section.
    heading: Option<usize>,
    index: usize,
    offset: usize,
    text: String,
    blocks: &'a [Block],
}

fn check_item(outline: &Outline, spec: &ItemSpec) -> ItemCheck {
    let mut first_failure: Option<(Location, String)> = None;
    for candidate in candidates(outline, spec) {
        let mut location = outline.locate(candidate.index, candidate.offset);
        if let Some(heading) = candidate.heading {
            location.heading = Some(outline.blocks[heading].text.clone());
        }
        match shortfall(spec, &candidate) {
            None => {
                let message = match &location.heading {
                    Some(heading) => format!(
                        "Found under \"{heading}\" (paragraph {}).",
                        location.paragraph
                    ),
                    None => format!("Found in paragraph {}.", location.paragraph),
                };
                return result(spec, Verdict::Present, Some(location), message);
            }
            Some(reason) => {
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
        id: spec.id.to_owned(),
        title: spec.title.to_owned(),
        verdict,
        location,
        message,
        source: spec.source.to_owned(),
    }
}

/// Headings that match (best pattern first, then document order), then blocks with a cue.
fn candidates<'a>(outline: &'a Outline, spec: &ItemSpec) -> Vec<Candidate<'a>> {
    let mut by_heading = matching_headings(outline, spec);
    by_heading.sort_unstable();
    let mut out: Vec<Candidate<'a>> = by_heading
        .into_iter()
        .map(|(_, i)| {
            let blocks = outline.section(i);
            let text = blocks
                .iter()
                .map(|b| b.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            // Point at the first paragraph under the heading, or the heading if there is none.
            let index = blocks
                .iter()
                .position(|b| b.heading_level().is_none())
                .map_or(i, |offset| i + 1 + offset);
            Candidate {
                heading: Some(i),
                index,
                offset: 0,
                text,
                blocks,
            }
        })
        .collect();
    for (i, block) in outline.blocks.iter().enumerate() {
        if block.heading_level().is_some() {
            continue;
        }
        let lower = normalise(&block.text);
        if let Some(offset) = spec.cues.iter().find_map(|cue| lower.find(cue)) {
            out.push(Candidate {
                heading: None,
                index: i,
                offset,
                text: block.text.clone(),
                blocks: std::slice::from_ref(block),
            });
        }
    }
    out
}

/// (rank of the best pattern, block index) of every heading that matches the item.
fn matching_headings(outline: &Outline, spec: &ItemSpec) -> Vec<(usize, usize)> {
    outline
        .headings()
        .filter_map(|i| {
            let heading = normalise(&outline.blocks[i].text);
            if spec
                .not_headings
                .iter()
                .any(|w| contains_phrase(&heading, w))
            {
                return None;
            }
            spec.headings
                .iter()
                .position(|pattern| contains_phrase(&heading, pattern))
                .map(|rank| (rank, i))
        })
        .collect()
}

/// Why a candidate does not satisfy the item, or `None` when it does.
fn shortfall(spec: &ItemSpec, candidate: &Candidate<'_>) -> Option<String> {
    if candidate.blocks.is_empty() {
        return Some("the heading has nothing under it. ".to_owned() + spec.advice);
    }
    if let Some(weak) = weakness(&candidate.text, spec.min_words) {
        return Some(match weak {
            Weakness::Empty => "it is empty. ".to_owned() + spec.advice,
            Weakness::Placeholder(text) => format!(
                "it says only \"{text}\", which is a placeholder. {}",
                spec.advice
            ),
            Weakness::Filler => "it holds filler text (lorem ipsum). ".to_owned() + spec.advice,
            Weakness::PointsElsewhere => {
                "it points to another document instead of saying it here. ".to_owned() + spec.advice
            }
            Weakness::TooShort { words, needed } => format!(
                "it is too short to be useful ({words} word{}; at least {needed} are needed). {}",
                if words == 1 { "" } else { "s" },
                spec.advice
            ),
        });
    }
    let satisfied = match spec.need {
        None => true,
        Some(Need::PersonName) => PERSON_NAME.is_match(&candidate.text),
        Some(Need::Period) => PERIOD_POINT.find_iter(&candidate.text).count() >= 2,
        Some(Need::Mentions(words)) => {
            let lower = normalise(&candidate.text);
            words.iter().any(|w| contains_phrase(&lower, w))
        }
    };
    (!satisfied).then(|| spec.need_advice.to_owned())
}

/// Lower case with typographic apostrophes made plain.
pub fn normalise(text: &str) -> String {
    text.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'")
}

/// True when `phrase` occurs in `text` as whole words.
pub fn contains_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

static PERSON_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:(?:Dr|Mr|Mrs|Ms|Miss|Mx|Professor|Prof)\.?\s+[A-Z][a-z'\-]+|[A-Z][a-z'\-]+\s+(?:[A-Z]\.?\s+)?[A-Z][a-z'\-]{1,})",
    )
    .unwrap_or_else(|_| unreachable!("constant pattern"))
});

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

/// Agencies and bodies who can be asked to act (lower case); names change, so this is data.
pub const AGENCIES: &[&str] = &[
    "kent police",
    "police",
    "kent county council",
    "children's social care",
    "children's services",
    "social care",
    "local authority",
    "council",
    "the education people",
    "schools",
    "academies",
    "education",
    "kent community health nhs foundation trust",
    "kent and medway nhs and social care partnership trust",
    "north east london nhs foundation trust",
    "east kent hospitals university nhs foundation trust",
    "maidstone and tunbridge wells nhs trust",
    "dartford and gravesham nhs trust",
    "south east coast ambulance service",
    "ambulance service",
    "probation service",
    "probation",
    "cafcass",
    "kent fire and rescue service",
    "housing",
    "gp practices",
    "general practice",
    "primary care",
    "nhs england",
    "integrated care board",
    "icb",
    "clinical commissioning group",
    "nhs",
    "foundation trust",
    "health visiting service",
    "safeguarding partners",
    "safeguarding partnership",
    "the partnership",
    "partnership team",
    "kscmp",
    "lscp",
    "designated nurse",
    "designated doctor",
    "designated professionals",
    "named nurse",
    "director of children's services",
    "public health",
    "early help",
    "youth justice",
    "camhs",
    "hospital",
    "all agencies",
    "each agency",
    "partner agencies",
];

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
fn find_recommendations(outline: &Outline) -> Vec<RecommendationCheck> {
    let Some(spec) = ITEMS.iter().find(|s| s.id == "recommendations") else {
        return Vec::new();
    };
    let Some(heading) = matching_headings(outline, spec)
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
            BlockKind::Heading { .. } => {}
            BlockKind::ListItem { level: 0 } => found.push((index, block.text.clone())),
            BlockKind::ListItem { .. } => append(&mut found, &block.text),
            BlockKind::TableRow => {
                let header = first_row && block.text.split_whitespace().count() <= HEADER_ROW_WORDS;
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
        .map(|(n, (index, text))| judge_one(outline, n + 1, index, &text))
        .collect()
}

fn append(found: &mut [(usize, String)], text: &str) {
    if let Some((_, last)) = found.last_mut() {
        last.push(' ');
        last.push_str(text);
    }
}

fn judge_one(outline: &Outline, number: usize, index: usize, text: &str) -> RecommendationCheck {
    let lower = normalise(text);
    let has_owner =
        OWNER_LABEL.is_match(text) || AGENCIES.iter().any(|a| contains_phrase(&lower, a));
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

    #[test]
    fn every_item_has_headings_advice_and_source() {
        for item in ITEMS {
            assert!(!item.headings.is_empty(), "{}", item.id);
            assert!(item.advice.ends_with('.'), "{}", item.id);
            assert!(!item.source.is_empty(), "{}", item.id);
            assert_eq!(
                item.need.is_some(),
                !item.need_advice.is_empty(),
                "{}",
                item.id
            );
        }
    }
}
