//! The partnership's list of cases: each case's child, origin, stage, the step due next and a
//! red / amber / green status from its timetable, overdue first; filtered by status and stage,
//! searched by reference, a page at a time. Built from the store's case overviews (a fixed
//! number of queries whatever the number of cases) and rendered without further reads.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::html::{self, Choice, Esc, Labelled};
use crate::calendar::{Config, Status, Step};
use crate::case_file::CaseFile;
use crate::forms::Registry;
use crate::http::progress::{self, Progress, Stage};
use crate::store::{CaseOverview, Origin, SubmissionStatus};

/// Cases on one page of the list.
pub const PER_PAGE: usize = 25;
/// A step due within this many working days is amber.
pub const DUE_SOON_WORKING_DAYS: i64 = 2;
/// The longest search the list reads (a case reference is shorter).
const SEARCH_CHARS: usize = 64;

/// Red, amber or green: where a case stands against its timetable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rag {
    /// A step is past its due date.
    Overdue,
    /// A step is due within [`DUE_SOON_WORKING_DAYS`] working days.
    DueSoon,
    /// Every step due is further off.
    OnTrack,
    /// No step is waiting to be done.
    NothingDue,
}

impl Rag {
    /// Every status, in the list's order.
    pub const ALL: [Rag; 4] = [Rag::Overdue, Rag::DueSoon, Rag::OnTrack, Rag::NothingDue];

    /// The status of a case whose next step is `next`.
    pub fn of(next: Option<&Step>) -> Rag {
        match next.map(|step| step.status) {
            Some(Status::Overdue { .. }) => Rag::Overdue,
            Some(Status::DueIn { working_days }) if working_days <= DUE_SOON_WORKING_DAYS => {
                Rag::DueSoon
            }
            Some(_) => Rag::OnTrack,
            None => Rag::NothingDue,
        }
    }

    /// The status's name in addresses.
    pub fn key(self) -> &'static str {
        match self {
            Rag::Overdue => "overdue",
            Rag::DueSoon => "due-soon",
            Rag::OnTrack => "on-track",
            Rag::NothingDue => "nothing-due",
        }
    }

    /// The status in words (the tag's text: the colour is never the only sign).
    pub fn words(self) -> &'static str {
        match self {
            Rag::Overdue => "Overdue",
            Rag::DueSoon => "Due soon",
            Rag::OnTrack => "On track",
            Rag::NothingDue => "Nothing due",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Rag::Overdue => "red",
            Rag::DueSoon => "yellow",
            Rag::OnTrack => "green",
            Rag::NothingDue => "grey",
        }
    }
}

/// One case as the list shows it.
#[derive(Debug, Clone)]
pub struct ListedCase {
    /// The case reference.
    pub id: String,
    /// The child's pseudonym, from the first form that records one.
    pub pseudonym: Option<String>,
    /// How the case came in.
    pub origin: Origin,
    /// The stage it has reached.
    pub stage: Stage,
    /// Where it stands, in words.
    pub status: String,
    /// The step due next, overdue first.
    pub next: Option<Step>,
    /// Red, amber or green.
    pub rag: Rag,
}

/// Every case of `overviews` as the list shows it on `today`, overdue first, then by the date
/// the next step is due, then by reference. Takes the overviews so that each form's answers move
/// into its case's file rather than being copied.
pub fn listed(
    registry: &Registry,
    calendar: &Config,
    overviews: Vec<CaseOverview>,
    today: NaiveDate,
) -> Vec<ListedCase> {
    let mut cases: Vec<ListedCase> = overviews
        .into_iter()
        .map(|overview| {
            let progress = Progress::of(registry, &overview.asked, &overview.submissions);
            let (stage, status) = (progress.stage(), progress.status());
            let case = overview.summary.case;
            let mut file = CaseFile::new(registry);
            for submission in overview.submissions {
                if submission.status == SubmissionStatus::Valid {
                    // A form the service no longer knows is left out; the rest still count.
                    let _ = file.add(
                        &submission.form,
                        submission.body,
                        submission.agency.as_deref(),
                        submission.version,
                    );
                }
            }
            file.set_asked(progress::asked(&overview.asked));
            let next = file
                .timetable(calendar, today, case.aware_date)
                .ok()
                .and_then(|timetable| timetable.next_due().cloned());
            ListedCase {
                pseudonym: file.pseudonym().map(str::to_owned),
                id: case.id,
                origin: case.origin,
                stage,
                status,
                rag: Rag::of(next.as_ref()),
                next,
            }
        })
        .collect();
    cases.sort_by(|a, b| {
        (a.rag, a.next.as_ref().and_then(|s| s.due), &a.id).cmp(&(
            b.rag,
            b.next.as_ref().and_then(|s| s.due),
            &b.id,
        ))
    });
    cases
}

/// What the person asked the list for: read leniently from the address, so a value that is
/// not one of the choices (an old bookmark, a hand-edited address) shows every case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only cases with this status.
    pub rag: Option<Rag>,
    /// Only cases at this stage.
    pub stage: Option<Stage>,
    /// Only cases whose reference contains this (any case).
    pub search: String,
    /// The page, from 1.
    pub page: usize,
}

impl Filter {
    /// The filter an address's query asks for.
    pub fn from_query(query: &HashMap<String, String>) -> Filter {
        let value = |name: &str| query.get(name).map(|v| v.trim()).unwrap_or_default();
        Filter {
            rag: Rag::ALL.into_iter().find(|r| r.key() == value("status")),
            stage: Stage::ALL.into_iter().find(|s| s.key() == value("stage")),
            search: value("q").chars().take(SEARCH_CHARS).collect(),
            page: value("page").parse().unwrap_or(1).max(1),
        }
    }

    /// Whether the list keeps a case; `needle` is the search in lower case.
    fn keeps(&self, case: &ListedCase, needle: &str) -> bool {
        self.rag.is_none_or(|rag| case.rag == rag)
            && self.stage.is_none_or(|stage| case.stage == stage)
            && (needle.is_empty() || case.id.to_lowercase().contains(needle))
    }

    /// The address of page `page` of this filter's list.
    fn address(&self, page: usize) -> String {
        let mut query = Vec::new();
        if let Some(rag) = self.rag {
            query.push(format!("status={}", rag.key()));
        }
        if let Some(stage) = self.stage {
            query.push(format!("stage={}", stage.key()));
        }
        if !self.search.is_empty() {
            query.push(format!("q={}", encode(&self.search)));
        }
        if page > 1 {
            query.push(format!("page={page}"));
        }
        if query.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{}", query.join("&"))
        }
    }
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The list's content below its heading: the counts by status, the filter form, the table of this page's cases
/// and the pagination.
pub fn render(cases: &[ListedCase], filter: &Filter) -> String {
    let mut out = String::with_capacity(1024 + cases.len().min(PER_PAGE) * 700);
    counts(&mut out, cases);
    filter_form(&mut out, filter);

    let needle = filter.search.to_lowercase();
    let kept: Vec<&ListedCase> = cases.iter().filter(|c| filter.keeps(c, &needle)).collect();
    let pages = kept.len().div_ceil(PER_PAGE).max(1);
    let page = filter.page.clamp(1, pages);
    let shown = &kept[(page - 1) * PER_PAGE..(page * PER_PAGE).min(kept.len())];
    if kept.is_empty() {
        out.push_str(if cases.is_empty() {
            "<p class=\"govuk-body\" id=\"no-cases\">There are no cases yet. Notify a serious incident to open the first.</p>"
        } else {
            "<p class=\"govuk-body\" id=\"no-cases\">No case matches these filters. <a class=\"govuk-link\" href=\"/\">Show every case</a>.</p>"
        });
        return out;
    }
    let _ = write!(
        out,
        "<p class=\"govuk-body\" id=\"showing\">Showing {} to {} of {} cases.</p>",
        (page - 1) * PER_PAGE + 1,
        (page - 1) * PER_PAGE + shown.len(),
        kept.len()
    );
    out.push_str("<table class=\"govuk-table\" id=\"cases\"><caption class=\"govuk-table__caption govuk-visually-hidden\">Cases, overdue first</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
    for heading in [
        "Case",
        "Child",
        "Origin",
        "Stage",
        "Next step",
        "Due",
        "Status",
    ] {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"govuk-table__header\">{heading}</th>"
        );
    }
    out.push_str("</tr></thead><tbody class=\"govuk-table__body\">");
    for case in shown {
        row(&mut out, case);
    }
    out.push_str("</tbody></table>");
    pagination(&mut out, filter, page, pages);
    out
}

fn counts(out: &mut String, cases: &[ListedCase]) {
    if cases.is_empty() {
        return;
    }
    out.push_str("<ul class=\"govuk-list\" id=\"case-counts\">");
    for rag in Rag::ALL {
        let n = cases.iter().filter(|c| c.rag == rag).count();
        let _ = write!(
            out,
            "<li>{} <a class=\"govuk-link\" href=\"/?status={}\">{n} {}</a></li>",
            html::tag(rag.words(), Some(rag.colour())),
            rag.key(),
            if n == 1 { "case" } else { "cases" }
        );
    }
    out.push_str("</ul>");
}

fn filter_form(out: &mut String, filter: &Filter) {
    out.push_str("<form method=\"get\" action=\"/\" novalidate class=\"app-filter\"><div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-one-third\">");
    let rag_choices: Vec<Choice<'_>> = Rag::ALL
        .iter()
        .map(|rag| Choice {
            value: rag.key(),
            label: rag.words(),
            checked: filter.rag == Some(*rag),
            reveal: None,
        })
        .collect();
    html::select_with_first(
        out,
        &Labelled {
            id: "status",
            name: "status",
            label: "Status",
            hint: None,
            error: None,
        },
        &rag_choices,
        "All",
    );
    out.push_str("</div><div class=\"govuk-grid-column-one-third\">");
    let stage_choices: Vec<Choice<'_>> = Stage::ALL
        .iter()
        .map(|stage| Choice {
            value: stage.key(),
            label: stage.words(),
            checked: filter.stage == Some(*stage),
            reveal: None,
        })
        .collect();
    html::select_with_first(
        out,
        &Labelled {
            id: "stage",
            name: "stage",
            label: "Stage",
            hint: None,
            error: None,
        },
        &stage_choices,
        "All",
    );
    out.push_str("</div><div class=\"govuk-grid-column-one-third\">");
    html::text_input(
        out,
        &Labelled {
            id: "q",
            name: "q",
            label: "Case reference contains",
            hint: None,
            error: None,
        },
        &filter.search,
        html::InputKind::Text,
    );
    out.push_str("</div></div><div class=\"govuk-button-group\"><button type=\"submit\" class=\"govuk-button govuk-button--secondary\" data-module=\"govuk-button\" id=\"button-filter\">Show cases</button><a class=\"govuk-link\" href=\"/\">Clear filters</a></div></form>");
}

fn row(out: &mut String, case: &ListedCase) {
    let (step, due) = match &case.next {
        Some(step) => (
            step.title.as_str(),
            step.due
                .map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_default(),
        ),
        None => ("", String::new()),
    };
    let origin = match case.origin {
        Origin::Notification => "Notification",
        Origin::Referral => "Referral",
    };
    let _ = write!(
        out,
        "<tr class=\"govuk-table__row\"><th scope=\"row\" class=\"govuk-table__header\"><a class=\"govuk-link\" href=\"/case/{id}\">{id}</a></th>\
<td class=\"govuk-table__cell\">{child}</td><td class=\"govuk-table__cell\">{origin}</td><td class=\"govuk-table__cell\">{status}</td>\
<td class=\"govuk-table__cell\">{step}</td><td class=\"govuk-table__cell\">{due}</td><td class=\"govuk-table__cell\">{tag}</td></tr>",
        id = Esc(&case.id),
        child = Esc(case.pseudonym.as_deref().unwrap_or("Not given")),
        status = Esc(&case.status),
        step = Esc(step),
        due = Esc(&due),
        tag = html::tag(case.rag.words(), Some(case.rag.colour())),
    );
}

/// GOV.UK's pagination: previous and next, the first and last page, and the pages either side
/// of this one.
fn pagination(out: &mut String, filter: &Filter, page: usize, pages: usize) {
    if pages < 2 {
        return;
    }
    out.push_str("<nav class=\"govuk-pagination\" aria-label=\"Pages of cases\">");
    if page > 1 {
        let _ = write!(
            out,
            "<div class=\"govuk-pagination__prev\"><a class=\"govuk-link govuk-pagination__link\" href=\"{}\" rel=\"prev\"><svg class=\"govuk-pagination__icon govuk-pagination__icon--prev\" xmlns=\"http://www.w3.org/2000/svg\" height=\"13\" width=\"15\" aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 15 13\"><path d=\"m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z\"></path></svg><span class=\"govuk-pagination__link-title\">Previous<span class=\"govuk-visually-hidden\"> page</span></span></a></div>",
            Esc(&filter.address(page - 1))
        );
    }
    out.push_str("<ul class=\"govuk-pagination__list\">");
    let mut gap = false;
    for n in 1..=pages {
        if n == 1 || n == pages || n.abs_diff(page) <= 1 {
            gap = false;
            let current = n == page;
            let _ = write!(
                out,
                "<li class=\"govuk-pagination__item{}\"><a class=\"govuk-link govuk-pagination__link\" href=\"{}\" aria-label=\"Page {n}\"{}>{n}</a></li>",
                if current {
                    " govuk-pagination__item--current"
                } else {
                    ""
                },
                Esc(&filter.address(n)),
                if current {
                    " aria-current=\"page\""
                } else {
                    ""
                },
            );
        } else if !gap {
            gap = true;
            out.push_str("<li class=\"govuk-pagination__item govuk-pagination__item--ellipses\">&ctdot;</li>");
        }
    }
    out.push_str("</ul>");
    if page < pages {
        let _ = write!(
            out,
            "<div class=\"govuk-pagination__next\"><a class=\"govuk-link govuk-pagination__link\" href=\"{}\" rel=\"next\"><span class=\"govuk-pagination__link-title\">Next<span class=\"govuk-visually-hidden\"> page</span></span><svg class=\"govuk-pagination__icon govuk-pagination__icon--next\" xmlns=\"http://www.w3.org/2000/svg\" height=\"13\" width=\"15\" aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 15 13\"><path d=\"m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z\"></path></svg></a></div>",
            Esc(&filter.address(page + 1))
        );
    }
    out.push_str("</nav>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(status: Status, due: &str) -> Step {
        Step {
            rule: "rule".into(),
            title: "Step".into(),
            due: due.parse().ok(),
            done: None,
            status,
            source: String::new(),
        }
    }

    fn case(id: &str, rag_status: Option<Status>) -> ListedCase {
        let next = rag_status.map(|s| step(s, "2026-12-01"));
        ListedCase {
            id: id.into(),
            pseudonym: Some("Child A".into()),
            origin: Origin::Notification,
            stage: Stage::AwaitingReturns,
            status: "awaiting agency returns (1 of 2 received)".into(),
            rag: Rag::of(next.as_ref()),
            next,
        }
    }

    #[test]
    fn status_comes_from_the_next_step() {
        assert_eq!(
            Rag::of(Some(&step(
                Status::Overdue { working_days: 1 },
                "2026-11-01"
            ))),
            Rag::Overdue
        );
        for (days, rag) in [(0, Rag::DueSoon), (2, Rag::DueSoon), (3, Rag::OnTrack)] {
            let next = step(Status::DueIn { working_days: days }, "2026-12-01");
            assert_eq!(Rag::of(Some(&next)), rag, "{days} working days");
        }
        assert_eq!(Rag::of(None), Rag::NothingDue);
    }

    #[test]
    fn an_address_is_read_leniently() {
        let query = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<HashMap<_, _>>()
        };
        let filter = Filter::from_query(&query(&[
            ("status", "overdue"),
            ("stage", "awaiting-returns"),
            ("q", " kscp "),
            ("page", "3"),
        ]));
        assert_eq!(filter.rag, Some(Rag::Overdue));
        assert_eq!(filter.stage, Some(Stage::AwaitingReturns));
        assert_eq!(filter.search, "kscp");
        assert_eq!(filter.page, 3);
        assert_eq!(
            filter.address(2),
            "/?status=overdue&stage=awaiting-returns&q=kscp&page=2"
        );
        let tampered = Filter::from_query(&query(&[
            ("status", "<script>"),
            ("page", "-1"),
            ("q", &"x".repeat(10_000)),
        ]));
        assert_eq!(tampered.rag, None);
        assert_eq!(tampered.page, 1);
        assert_eq!(tampered.search.len(), SEARCH_CHARS);
        assert_eq!(encode("a b&c"), "a%20b%26c");
    }

    #[test]
    fn pages_hold_every_case_once_and_a_page_too_far_shows_the_last() {
        let cases: Vec<ListedCase> = (0..60)
            .map(|n| case(&format!("KSCP-{n:03}"), None))
            .collect();
        let mut seen = Vec::new();
        for page in 1..=3 {
            let html = render(
                &cases,
                &Filter {
                    page,
                    ..Filter::default()
                },
            );
            seen.extend(
                html.split("href=\"/case/")
                    .skip(1)
                    .filter_map(|rest| rest.split('"').next().map(str::to_owned)),
            );
        }
        let mut unique = seen.clone();
        unique.dedup();
        assert_eq!(unique.len(), 60, "{seen:?}");
        let far = render(
            &cases,
            &Filter {
                page: 99,
                ..Filter::default()
            },
        );
        assert!(far.contains("Showing 51 to 60 of 60 cases."), "{far}");
        assert!(far.contains("aria-current=\"page\">3</a>"));
    }

    #[test]
    fn filters_and_search_narrow_the_list() {
        let cases = vec![
            case("KSCP-2026-001", Some(Status::Overdue { working_days: 3 })),
            case("KSCP-2026-002", Some(Status::DueIn { working_days: 9 })),
            case("MSCP-2026-003", None),
        ];
        let only = |filter: Filter| {
            let html = render(&cases, &filter);
            cases
                .iter()
                .filter(|c| html.contains(&format!("href=\"/case/{}\"", c.id)))
                .map(|c| c.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            only(Filter {
                rag: Some(Rag::Overdue),
                ..Filter::default()
            }),
            ["KSCP-2026-001"]
        );
        assert_eq!(
            only(Filter {
                search: "mscp".into(),
                ..Filter::default()
            }),
            ["MSCP-2026-003"]
        );
        let none = render(
            &cases,
            &Filter {
                stage: Some(Stage::FinalReportReceived),
                ..Filter::default()
            },
        );
        assert!(none.contains("No case matches these filters."));
    }
}
