//! The check's word lists: the mandatory items' headings and cues, the agencies a
//! recommendation may name, and the words that tell organisations' details, role labels and
//! family tables apart. The built-in lists are `config/report-check.toml` (national defaults);
//! a partnership passes its own file with `--config`.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use std::collections::HashSet;

use regex::{Regex, RegexSet};
use serde::Deserialize;
use thiserror::Error;

/// The configuration built into the binary.
pub const EMBEDDED_TOML: &str = include_str!("../../config/report-check.toml");

static EMBEDDED: LazyLock<Result<Arc<CheckConfig>, ConfigError>> =
    LazyLock::new(|| CheckConfig::parse_merged(EMBEDDED_TOML, None).map(Arc::new));

/// The ids of the mandatory items, in the order the check reports them.
pub const ITEM_IDS: [&str; 11] = [
    "reviewer",
    "methodology",
    "terms-of-reference",
    "period-under-review",
    "child-perspective",
    "family-involvement",
    "practitioner-involvement",
    "findings",
    "systemic-analysis",
    "improvements-summary",
    "recommendations",
];

/// Why a configuration could not be used.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("The check configuration {path} could not be read: {reason}.")]
    File {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The file is not valid.
    #[error("The check configuration is not valid: {reason}. Please correct the file.")]
    Invalid {
        /// What is wrong, with the line where known.
        reason: String,
    },
}

/// What an item's text must contain besides enough words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Need {
    /// A person's name (the reviewer).
    PersonName,
    /// Two dates or years: the start and end of a period.
    Period,
    /// One of the item's `need_words`.
    Mentions,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemFile {
    id: String,
    #[serde(default)]
    field: Option<String>,
    title: String,
    headings: Vec<String>,
    #[serde(default)]
    generic_headings: Vec<String>,
    #[serde(default)]
    not_headings: Vec<String>,
    #[serde(default)]
    cues: Vec<String>,
    #[serde(default)]
    evidence: Vec<String>,
    #[serde(default)]
    evidence_min: usize,
    min_words: usize,
    #[serde(default)]
    need: Option<Need>,
    #[serde(default)]
    need_words: Vec<String>,
    advice: String,
    #[serde(default)]
    need_advice: String,
    source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    agencies: Vec<String>,
    local_agencies: Vec<String>,
    not_evidence_headings: Vec<String>,
    contents_headings: Vec<String>,
    organisation_markers: Vec<String>,
    organisation_mailboxes: Vec<String>,
    label_words: Vec<String>,
    relationship_words: Vec<String>,
    birth_date_headers: Vec<String>,
    pseudonym_markers: Vec<String>,
    #[serde(rename = "item")]
    items: Vec<ItemFile>,
}

/// One mandatory item of the final report, with its heading patterns compiled.
#[derive(Debug, Clone)]
pub struct ItemSpec {
    /// Stable id, e.g. `methodology`.
    pub id: String,
    /// The field of the final report form that holds the item, whose title and source the
    /// item takes (see [`CheckConfig::keyed_to`]).
    pub field: Option<String>,
    /// What a reader calls it.
    pub title: String,
    /// Headings that hold it, best first.
    pub headings: Vec<Regex>,
    /// Headings that hold it only when the text shows it (see [`ItemSpec::evidence`]).
    pub generic_headings: Vec<Regex>,
    /// `headings` then `generic_headings` in one set, so a heading is matched in one pass.
    pub heading_set: RegexSet,
    /// Words that rule a heading out.
    pub not_headings: Vec<String>,
    /// Phrases that show it in running text (lower case, found anywhere in a block).
    pub cues: Vec<String>,
    /// Phrases that show it in a section's text.
    pub evidence: Vec<String>,
    /// With more than 0: a section holding this many different evidence phrases holds the item.
    pub evidence_min: usize,
    /// Fewest words its text needs.
    pub min_words: usize,
    /// What it must contain.
    pub need: Option<Need>,
    /// The words of [`Need::Mentions`].
    pub need_words: Vec<String>,
    /// What to do when it is missing.
    pub advice: String,
    /// What to do when it lacks its [`Need`].
    pub need_advice: String,
    /// The guidance it rests on.
    pub source: String,
}

/// The check's configuration.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Agencies and bodies who can be asked to act (national and local).
    pub agencies: Vec<String>,
    /// Headings of sections that are never evidence of an item other than the reviewer.
    pub not_evidence_headings: Vec<String>,
    /// Headings that open a contents page.
    pub contents_headings: Vec<String>,
    /// Words that mark an organisation's own details.
    pub organisation_markers: Vec<String>,
    /// Local parts of organisations' email addresses.
    pub organisation_mailboxes: Vec<String>,
    /// Words that, with a number or one capital letter, make a role label.
    pub label_words: Vec<String>,
    /// Relationship words of a family table.
    pub relationship_words: Vec<String>,
    /// Column headers of a date of birth.
    pub birth_date_headers: Vec<String>,
    /// Phrases that declare pseudonyms.
    pub pseudonym_markers: Vec<String>,
    /// The mandatory items, in [`ITEM_IDS`] order.
    pub items: Vec<ItemSpec>,
    /// Every item heading without a `*`, for reading a plain line as a heading.
    pub exact_headings: HashSet<String>,
    /// Every item heading with a `*`, anchored at both ends.
    pub star_headings: Vec<Regex>,
}

impl CheckConfig {
    /// The built-in configuration (national defaults), parsed once and shared.
    pub fn embedded() -> Result<Arc<CheckConfig>, ConfigError> {
        EMBEDDED.clone()
    }

    /// Reads a partnership's file: what it gives replaces the built-in value, the rest is kept.
    pub fn load(path: &Path) -> Result<CheckConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::File {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        CheckConfig::from_toml_str(&text)
    }

    /// Parses a partnership's configuration over the built-in one.
    pub fn from_toml_str(text: &str) -> Result<CheckConfig, ConfigError> {
        CheckConfig::parse_merged(EMBEDDED_TOML, Some(text))
    }

    /// The configuration with each item that names a field of the final report form taking
    /// that field's title (with its group's, for a nested field) and its source from the form's
    /// schema, so what the check calls an item is what the form calls it.
    pub fn keyed_to(&self, form: &crate::forms::Form) -> CheckConfig {
        let mut keyed = self.clone();
        let index = form.index();
        for item in &mut keyed.items {
            let Some(pointer) = item.field.as_deref() else {
                continue;
            };
            let Some(info) = index.field(pointer) else {
                continue;
            };
            item.title = index.label(pointer);
            item.source = info
                .source
                .clone()
                .unwrap_or_else(|| form.source().to_owned());
        }
        keyed
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&ItemSpec> {
        self.items.iter().find(|i| i.id == id)
    }

    fn parse_merged(base: &str, over: Option<&str>) -> Result<CheckConfig, ConfigError> {
        let mut table = parse_table(base)?;
        if let Some(over) = over {
            merge(&mut table, parse_table(over)?)?;
        }
        let file: File = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid {
                reason: e.message().trim_end().to_owned(),
            })?;
        CheckConfig::build(file)
    }

    fn build(file: File) -> Result<CheckConfig, ConfigError> {
        let ids: Vec<&str> = file.items.iter().map(|i| i.id.as_str()).collect();
        for id in ITEM_IDS {
            if !ids.contains(&id) {
                return Err(invalid(format!("the item \"{id}\" is missing")));
            }
        }
        if let Some(unknown) = ids.iter().find(|id| !ITEM_IDS.contains(id)) {
            return Err(invalid(format!(
                "there is no item \"{unknown}\"; the items are {}",
                ITEM_IDS.join(", ")
            )));
        }
        let mut items = Vec::with_capacity(ITEM_IDS.len());
        for id in ITEM_IDS {
            let Some(item) = file.items.iter().find(|i| i.id == id) else {
                continue;
            };
            if item.need == Some(Need::Mentions) && item.need_words.is_empty() {
                return Err(invalid(format!(
                    "the item \"{id}\" needs `need_words` for `need = \"mentions\"`"
                )));
            }
            let all: Vec<String> = item
                .headings
                .iter()
                .chain(&item.generic_headings)
                .map(|h| phrase_pattern(&super::completeness::normalise(h.trim())))
                .collect();
            let heading_set = RegexSet::new(&all).map_err(|_| {
                invalid(format!(
                    "the headings of \"{id}\" cannot be used as patterns"
                ))
            })?;
            items.push(ItemSpec {
                id: item.id.clone(),
                field: item.field.clone(),
                title: item.title.clone(),
                headings: patterns(&item.headings)?,
                generic_headings: patterns(&item.generic_headings)?,
                heading_set,
                not_headings: lower(&item.not_headings),
                cues: lower(&item.cues),
                evidence: lower(&item.evidence),
                evidence_min: item.evidence_min,
                min_words: item.min_words,
                need: item.need,
                need_words: lower(&item.need_words),
                advice: item.advice.clone(),
                need_advice: item.need_advice.clone(),
                source: item.source.clone(),
            });
        }
        let mut exact_headings = HashSet::new();
        let mut star_headings = Vec::new();
        for item in &file.items {
            for heading in lower(&item.headings)
                .into_iter()
                .chain(lower(&item.generic_headings))
            {
                if heading.contains('*') {
                    let anchored = format!("^(?:{})$", phrase_pattern(&heading));
                    star_headings.push(Regex::new(&anchored).map_err(|_| {
                        invalid(format!(
                            "the heading \"{heading}\" cannot be used as a pattern"
                        ))
                    })?);
                } else {
                    exact_headings.insert(heading.split_whitespace().collect::<Vec<_>>().join(" "));
                }
            }
        }
        let mut agencies = lower(&file.agencies);
        agencies.extend(lower(&file.local_agencies));
        Ok(CheckConfig {
            agencies,
            not_evidence_headings: lower(&file.not_evidence_headings),
            contents_headings: lower(&file.contents_headings),
            organisation_markers: lower(&file.organisation_markers),
            organisation_mailboxes: lower(&file.organisation_mailboxes),
            label_words: lower(&file.label_words),
            relationship_words: lower(&file.relationship_words),
            birth_date_headers: lower(&file.birth_date_headers),
            pseudonym_markers: lower(&file.pseudonym_markers),
            items,
            exact_headings,
            star_headings,
        })
    }
}

fn invalid(reason: String) -> ConfigError {
    ConfigError::Invalid { reason }
}

fn lower(words: &[String]) -> Vec<String> {
    words
        .iter()
        .map(|w| super::completeness::normalise(w.trim()))
        .filter(|w| !w.is_empty())
        .collect()
}

fn parse_table(text: &str) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>().map_err(|e| {
        let line = e.span().map(|span| {
            text.get(..span.start)
                .map_or(0, |before| before.matches('\n').count())
                + 1
        });
        invalid(match line {
            Some(line) => format!("line {line}: {}", e.message().trim_end()),
            None => e.message().trim_end().to_owned(),
        })
    })
}

/// Top-level keys of `over` replace those of `base`; its `[[item]]`s change only the fields they
/// give of the item with the same id.
fn merge(base: &mut toml::Table, over: toml::Table) -> Result<(), ConfigError> {
    for (key, value) in over {
        if key != "item" {
            base.insert(key, value);
            continue;
        }
        let toml::Value::Array(items) = value else {
            return Err(invalid(
                "`item` must be a list of [[item]] tables".to_owned(),
            ));
        };
        let Some(toml::Value::Array(base_items)) = base.get_mut("item") else {
            return Err(invalid(
                "the built-in configuration has no items".to_owned(),
            ));
        };
        for item in items {
            let toml::Value::Table(fields) = item else {
                return Err(invalid("each [[item]] must be a table".to_owned()));
            };
            let Some(id) = fields.get("id").and_then(toml::Value::as_str) else {
                return Err(invalid("each [[item]] needs an `id`".to_owned()));
            };
            let Some(target) = base_items.iter_mut().find_map(|b| match b {
                toml::Value::Table(t) if t.get("id").and_then(toml::Value::as_str) == Some(id) => {
                    Some(t)
                }
                _ => None,
            }) else {
                return Err(invalid(format!(
                    "there is no item \"{id}\"; the items are {}",
                    ITEM_IDS.join(", ")
                )));
            };
            for (field, value) in fields {
                target.insert(field, value);
            }
        }
    }
    Ok(())
}

fn patterns(headings: &[String]) -> Result<Vec<Regex>, ConfigError> {
    headings
        .iter()
        .map(|h| {
            let h = super::completeness::normalise(h.trim());
            Regex::new(&phrase_pattern(&h))
                .map_err(|_| invalid(format!("the heading \"{h}\" cannot be used as a pattern")))
        })
        .collect()
}

/// A phrase as a whole-word pattern, white space flexible, `*` one word.
pub fn phrase_pattern(phrase: &str) -> String {
    let words: Vec<String> = phrase
        .split_whitespace()
        .map(|w| {
            if w == "*" {
                r"[\p{L}\p{N}'\-]+".to_owned()
            } else {
                regex::escape(w)
            }
        })
        .collect();
    let word_edge = |c: Option<char>| {
        if c.is_some_and(|c| c.is_alphanumeric() || c == '*') {
            r"\b"
        } else {
            ""
        }
    };
    format!(
        "{}{}{}",
        word_edge(phrase.chars().next()),
        words.join(r"\s+"),
        word_edge(phrase.chars().next_back())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_take_their_titles_and_sources_from_the_final_report_schema() {
        let registry = crate::forms::Registry::load().expect("forms load");
        let form = registry
            .with_role(crate::forms::CaseRole::FinalReport)
            .next()
            .expect("a final report form");
        let config = CheckConfig::embedded().expect("loads").keyed_to(form);
        let item = |id: &str| config.item(id).expect("an item");
        assert_eq!(item("methodology").title, "Methodology");
        assert_eq!(
            item("family-involvement").title,
            "Involvement of practitioners and family: Family"
        );
        assert_eq!(
            item("systemic-analysis").source,
            form.index()
                .field("/systemic_analysis")
                .and_then(|f| f.source.clone())
                .expect("the schema's source")
        );
        for item in &config.items {
            assert!(item.field.is_some(), "{} names its field", item.id);
            assert!(
                !item.source.contains("seed"),
                "{}: {}",
                item.id,
                item.source
            );
        }
    }

    #[test]
    fn the_embedded_configuration_has_every_item_and_no_kent_only_agency() {
        let config = CheckConfig::embedded().expect("embedded configuration parses");
        let ids: Vec<&str> = config.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ITEM_IDS);
        for item in &config.items {
            assert!(!item.headings.is_empty(), "{}", item.id);
            assert!(item.advice.ends_with('.'), "{}", item.id);
            assert_eq!(
                item.need.is_some(),
                !item.need_advice.is_empty(),
                "{}",
                item.id
            );
        }
        let kent: Vec<&String> = config
            .agencies
            .iter()
            .chain(&config.organisation_markers)
            .chain(&config.not_evidence_headings)
            .filter(|w| w.contains("kent") || w.contains("medway") || w.contains("kscmp"))
            .collect();
        assert!(kent.is_empty(), "{kent:?}");
    }

    #[test]
    fn a_partnership_file_adds_agencies_and_changes_one_item() {
        let config = CheckConfig::from_toml_str(
            "local_agencies = [\"The Education People\"]\n[[item]]\nid = \"methodology\"\nmin_words = 40\n",
        )
        .expect("parses");
        assert!(config.agencies.iter().any(|a| a == "the education people"));
        assert!(config.agencies.iter().any(|a| a == "police"));
        assert_eq!(config.item("methodology").map(|i| i.min_words), Some(40));
        assert_eq!(config.item("findings").map(|i| i.min_words), Some(20));
    }

    #[test]
    fn bad_files_are_explained() {
        let err = CheckConfig::from_toml_str("[[item]]\nid = \"summary\"\n").unwrap_err();
        assert!(
            err.to_string().contains("there is no item \"summary\""),
            "{err}"
        );
        let err = CheckConfig::from_toml_str("agencies = [\n").unwrap_err();
        assert!(err.to_string().contains("line"), "{err}");
        let err = CheckConfig::from_toml_str("agencies = 3\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("The check configuration is not valid"),
            "{err}"
        );
    }

    #[test]
    fn stars_stand_for_one_word() {
        let re = Regex::new(&phrase_pattern("who was *")).expect("compiles");
        assert!(re.is_match("who was sam?"));
        assert!(!re.is_match("who washed"));
        let re = Regex::new(&phrase_pattern("reviewer:")).expect("compiles");
        assert!(re.is_match("lead reviewer: jane"));
    }
}
