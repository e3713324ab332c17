//! The final report check on a corpus of realistic reports (`tests/fixtures/reports/`): each
//! fixture is written in a compact text form, turned into a real Word file here (heading
//! styles, "TOC 1"/"TOC 2" contents entries, tables, bold lines typed as headings), and checked;
//! the file beside it gives the expected verdicts and the identifying details. Precision and
//! recall of "present" over every mandatory item, and of identifying details, must each be at
//! least 0.95.
//!
//! The text form, one block a line (blank lines are ignored):
//! `= Title`, `# Heading 1`, `## Heading 2`, `### Heading 3`, `toc: Contents` (a "TOC Heading"),
//! `toc1: Entry >> 4` / `toc2: Entry` (contents entries, `>> page` optional), `* item` (a
//! numbered list item), `| a | b |` (table rows; consecutive lines make one table),
//! `**Bold line**` (a heading typed by hand), anything else a paragraph.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use safeguarding_forms::check::{CaseForms, ReportCheck, ReportInput, Verdict, check_report};

use crate::check_report::draft::Draft;

/// The expected result of one fixture.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// What the fixture is (partnership, era, structure).
    #[allow(dead_code)]
    pub about: String,
    /// Item id to "present", "weak" or "missing".
    pub verdicts: BTreeMap<String, String>,
    /// Every identifying detail, as written in the report.
    #[serde(default)]
    pub identifying: Vec<String>,
    /// Organisations' own details reported for information (checked when given).
    #[serde(default)]
    pub organisation: Option<Vec<String>>,
}

/// Turns the compact text form into a Word draft.
pub fn draft_from_text(text: &str) -> Draft {
    let mut draft = Draft::default();
    let mut table: Vec<Vec<String>> = Vec::new();
    for line in text.lines().map(str::trim) {
        if !line.starts_with('|') && !table.is_empty() {
            draft = draft.table_owned(&table);
            table.clear();
        }
        if line.is_empty() {
            continue;
        }
        if let Some(row) = line.strip_prefix('|') {
            let row = row.strip_suffix('|').unwrap_or(row);
            table.push(row.split('|').map(|c| c.trim().to_owned()).collect());
        } else if let Some(rest) = line.strip_prefix("= ") {
            draft = draft.title(rest);
        } else if let Some(rest) = line.strip_prefix("### ") {
            draft = draft.heading(3, rest);
        } else if let Some(rest) = line.strip_prefix("## ") {
            draft = draft.heading(2, rest);
        } else if let Some(rest) = line.strip_prefix("# ") {
            draft = draft.heading(1, rest);
        } else if let Some(rest) = line.strip_prefix("toc: ") {
            draft = draft.toc_heading(rest);
        } else if let Some((level, rest)) = toc_entry(line) {
            let (entry, page) = rest.split_once(" >> ").unwrap_or((rest, ""));
            draft = draft.toc(level, entry.trim(), page.trim());
        } else if let Some(rest) = line.strip_prefix("* ") {
            draft = draft.item(rest);
        } else if let Some(rest) = line.strip_prefix("**").and_then(|l| l.strip_suffix("**")) {
            draft = draft.bold(rest);
        } else {
            draft = draft.para(line);
        }
    }
    if !table.is_empty() {
        draft = draft.table_owned(&table);
    }
    draft
}

fn toc_entry(line: &str) -> Option<(u8, &str)> {
    let rest = line.strip_prefix("toc")?;
    let (level, rest) = rest.split_once(": ")?;
    let level: u8 = level.parse().ok()?;
    (1..=3).contains(&level).then_some((level, rest))
}

/// Every fixture: (name, report text, expected).
pub fn corpus() -> Vec<(String, String, Expected)> {
    let dir = Path::new("tests/fixtures/reports");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/fixtures/reports exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let toml_path = path.with_extension("toml");
            let expected_text = std::fs::read_to_string(&toml_path).unwrap_or_else(|e| {
                panic!(
                    "{}: every fixture needs its expected file: {e}",
                    toml_path.display()
                )
            });
            let expected: Expected = toml::from_str(&expected_text)
                .unwrap_or_else(|e| panic!("{}: {e}", toml_path.display()));
            (name, text, expected)
        })
        .collect()
}

fn check(text: &str) -> ReportCheck {
    let docx = draft_from_text(text).docx();
    check_report(ReportInput::Docx(&docx), &CaseForms::none()).expect("the fixture is read")
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Present => "present",
        Verdict::Weak => "weak",
        Verdict::Missing => "missing",
    }
}

/// True positives, false positives, false negatives.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[test]
fn the_corpus_is_read_with_high_precision_and_recall() {
    let corpus = corpus();
    let mut present = Counts::default();
    let mut identifying = Counts::default();
    let mut exact_verdicts = (0usize, 0usize);
    let mut problems: Vec<String> = Vec::new();
    for (name, text, expected) in &corpus {
        let check = check(text);
        assert_eq!(
            expected.verdicts.len(),
            check.items.len(),
            "{name}: give a verdict for every item"
        );
        for item in &check.items {
            let want = expected
                .verdicts
                .get(&item.id)
                .unwrap_or_else(|| panic!("{name}: no expected verdict for {}", item.id));
            assert!(
                ["present", "weak", "missing"].contains(&want.as_str()),
                "{name}: {want}"
            );
            let got = verdict_name(item.verdict);
            exact_verdicts.1 += 1;
            if got == want {
                exact_verdicts.0 += 1;
            } else {
                problems.push(format!(
                    "{name}: {} expected {want}, got {got} ({})",
                    item.id, item.message
                ));
            }
            match (want == "present", got == "present") {
                (true, true) => present.tp += 1,
                (false, true) => present.fp += 1,
                (true, false) => present.fn_ += 1,
                (false, false) => {}
            }
        }
        let mut wanted: Vec<&str> = expected.identifying.iter().map(String::as_str).collect();
        for hit in &check.identifying {
            if let Some(i) = wanted.iter().position(|w| *w == hit.text) {
                wanted.swap_remove(i);
                identifying.tp += 1;
            } else {
                identifying.fp += 1;
                problems.push(format!(
                    "{name}: \"{}\" reported as {:?} but is not identifying",
                    hit.text, hit.kind
                ));
            }
        }
        for missed in wanted {
            identifying.fn_ += 1;
            problems.push(format!("{name}: \"{missed}\" not found"));
        }
        if let Some(organisation) = &expected.organisation {
            let got: Vec<&str> = check
                .organisation_details
                .iter()
                .map(|h| h.text.as_str())
                .collect();
            let want: Vec<&str> = organisation.iter().map(String::as_str).collect();
            if got != want {
                problems.push(format!(
                    "{name}: organisation details {got:?}, expected {want:?}"
                ));
            }
        }
    }
    let report = format!(
        "{} reports; present: precision {:.3}, recall {:.3} ({} tp, {} fp, {} fn); identifying: precision {:.3}, recall {:.3} ({} tp, {} fp, {} fn); verdicts exactly right {}/{}\n{}",
        corpus.len(),
        present.precision(),
        present.recall(),
        present.tp,
        present.fp,
        present.fn_,
        identifying.precision(),
        identifying.recall(),
        identifying.tp,
        identifying.fp,
        identifying.fn_,
        exact_verdicts.0,
        exact_verdicts.1,
        problems.join("\n")
    );
    println!("{report}");
    assert!(present.precision() >= 0.95, "{report}");
    assert!(present.recall() >= 0.95, "{report}");
    assert!(identifying.precision() >= 0.95, "{report}");
    assert!(identifying.recall() >= 0.95, "{report}");
    assert!(
        corpus.len() >= 30,
        "the corpus needs at least 30 reports, it has {}",
        corpus.len()
    );
}
