//! A case's file: the latest valid version of each of its forms, by the part each plays in the
//! case, and the agencies asked. Documents, progress, the timetable and the report check read a
//! case through this, whether its forms come from the store or from files on the command line.

use serde_json::Value;

use crate::calendar::{CalendarError, Config, Event, Events, LateReasons, Timetable};
use crate::forms::{CaseRole, Form, Registry};

/// An agency asked for a return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    /// The agency's id.
    pub id: String,
    /// The agency's name.
    pub name: String,
    /// The day it was asked, when the case's store knows it.
    pub asked_on: Option<chrono::NaiveDate>,
}

/// One form in a case's file.
#[derive(Debug, Clone)]
pub struct Entry<'r> {
    /// The form.
    pub form: &'r Form,
    /// The submission.
    pub body: Value,
    /// The agency it comes from (an agency return), if any.
    pub agency: Option<String>,
    /// Its version in the store (1 for a file), to keep the latest.
    pub version: i64,
}

impl Entry<'_> {
    /// The agency's name as the form gives it, else its id.
    pub fn agency_name(&self) -> Option<&str> {
        let (id, name) = self.form.annotations().agency_of(&self.body);
        name.or(id).or(self.agency.as_deref())
    }
}

/// The latest valid version of each form of a case, with the agencies asked.
#[derive(Debug, Clone)]
pub struct CaseFile<'r> {
    registry: &'r Registry,
    entries: Vec<Entry<'r>>,
    asked: Vec<Asked>,
}

/// Why a form could not be put in a case file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseFileError {
    /// The submission names a form this service does not know.
    #[error("\"{0}\" is not a form this service knows.")]
    UnknownForm(String),
}

impl<'r> CaseFile<'r> {
    /// An empty case file.
    pub fn new(registry: &'r Registry) -> Self {
        CaseFile {
            registry,
            entries: Vec::new(),
            asked: Vec::new(),
        }
    }

    /// Adds a valid submission of form `form_id` (from `agency`, at `version`); an older version
    /// of the same form from the same source than one already held is left out.
    pub fn add(
        &mut self,
        form_id: &str,
        body: Value,
        agency: Option<&str>,
        version: i64,
    ) -> Result<(), CaseFileError> {
        let form = self
            .registry
            .get(form_id)
            .ok_or_else(|| CaseFileError::UnknownForm(form_id.chars().take(80).collect()))?;
        let agency = agency
            .map(str::to_owned)
            .or_else(|| form.annotations().agency_of(&body).0.map(str::to_owned));
        let agency = agency.filter(|_| form.case_role().per_agency());
        match self
            .entries
            .iter_mut()
            .find(|held| held.form.id() == form.id() && held.agency == agency)
        {
            Some(held) if held.version < version => {
                held.body = body;
                held.version = version;
            }
            Some(_) => {}
            None => self.entries.push(Entry {
                form,
                body,
                agency,
                version,
            }),
        }
        Ok(())
    }

    /// Records the agencies asked for a return.
    pub fn set_asked(&mut self, asked: Vec<Asked>) {
        self.asked = asked;
    }

    /// The agencies asked for a return.
    pub fn asked(&self) -> &[Asked] {
        &self.asked
    }

    /// The form of a one-per-case role (the notification, the rapid review record, the final
    /// report), if it has arrived.
    pub fn one(&self, role: CaseRole) -> Option<&Entry<'r>> {
        self.entries
            .iter()
            .find(|entry| entry.form.case_role() == role)
    }

    /// The title of the form that plays `role` in a case ("the form" when none does).
    pub fn title_of(&self, role: CaseRole) -> &'r str {
        self.registry
            .with_role(role)
            .next()
            .map_or("form", Form::title)
    }

    /// Every form of a role, agency returns by agency name.
    pub fn all(&self, role: CaseRole) -> Vec<&Entry<'r>> {
        let mut found: Vec<&Entry<'r>> = self
            .entries
            .iter()
            .filter(|entry| entry.form.case_role() == role)
            .collect();
        found.sort_by_key(|entry| {
            (
                entry.agency_name().unwrap_or_default().to_lowercase(),
                entry.form.id().to_owned(),
            )
        });
        found
    }

    /// Every form in the file.
    pub fn entries(&self) -> &[Entry<'r>] {
        &self.entries
    }

    /// The case reference the forms give.
    pub fn reference(&self) -> Option<&str> {
        self.entries.iter().find_map(|entry| {
            let pointer = entry.form.annotations().prefill.case_reference.as_deref()?;
            entry.body.pointer(pointer)?.as_str()
        })
    }

    /// The child's pseudonym, from the first form that records one.
    pub fn pseudonym(&self) -> Option<&str> {
        self.entries.iter().find_map(|entry| {
            let pointer = entry.form.annotations().prefill.pseudonym.as_deref()?;
            entry.body.pointer(pointer)?.as_str()
        })
    }

    /// Whether an agency has returned a form that gives `event` (e.g. its summary).
    fn returned(&self, agency: &str, event: Event) -> bool {
        self.entries.iter().any(|entry| {
            entry.agency.as_deref() == Some(agency)
                && entry.form.annotations().events_given().contains(&event)
        })
    }

    /// The dates of the case its forms record, and a sentence for each date two forms
    /// disagree on. An event that needs every agency asked (the summaries' return) is left out
    /// until each has returned its form. When no form records the summary requests, the day
    /// the first agency was asked stands for them.
    pub fn events(&self) -> (Events, Vec<String>) {
        let (mut events, notes) =
            crate::forms::case_events(self.entries.iter().map(|e| (e.form, &e.body)));
        events.retain(|event, _| {
            !event.needs_every_agency() || self.asked.iter().all(|a| self.returned(&a.id, *event))
        });
        if let Some(first) = self.asked.iter().filter_map(|a| a.asked_on).min() {
            events
                .entry(Event::AgencySummariesRequested)
                .or_insert(first);
        }
        (events, notes)
    }

    /// A note for each event the forms date only by a day planned that has passed: it counts
    /// as done on that day until the form gives the day it happened.
    fn passed_plans(&self, today: chrono::NaiveDate) -> Vec<String> {
        self.entries
            .iter()
            .flat_map(|e| {
                e.form
                    .annotations()
                    .planned_days(&e.body)
                    .into_iter()
                    .filter(|plan| plan.day < today)
                    .map(|plan| {
                        let record = plan.actual.as_deref().map_or_else(
                            || "once it has happened, correct the form".to_owned(),
                            |pointer| {
                                format!(
                                    "give the day it happened in \"{}\" of the {}",
                                    e.form.index().title(pointer),
                                    e.form.title()
                                )
                            },
                        );
                        format!(
                            "The timetable counts {} as done on the day planned, {}, which has passed: {record}.",
                            plan.event.describe(),
                            crate::dates::long(plan.day)
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Why steps of the case were late, as its forms say (their `late-reason` fields).
    pub fn late_reasons(&self) -> LateReasons {
        crate::forms::case_late_reasons(self.entries.iter().map(|e| (e.form, &e.body)))
    }

    /// The case's timetable on `today`, with the reasons the forms give for its late steps;
    /// `aware` stands in for the date the local authority became aware when no form gives it
    /// (a case opened by referral).
    pub fn timetable(
        &self,
        calendar: &Config,
        today: chrono::NaiveDate,
        aware: Option<chrono::NaiveDate>,
    ) -> Result<Timetable, CalendarError> {
        let (mut events, notes) = self.events();
        if let Some(aware) = aware {
            events.entry(Event::Aware).or_insert(aware);
        }
        let mut timetable = calendar.timetable(&events, today)?;
        calendar.explain_late(&mut timetable, &self.late_reasons());
        timetable.notes.extend(notes);
        timetable.notes.extend(self.passed_plans(today));
        Ok(timetable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(path: &str) -> Value {
        let full = format!("{}/samples/{path}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{full}: {e}"))
    }

    fn add(file: &mut CaseFile<'_>, path: &str) {
        let body = sample(path);
        let form = body["form"].as_str().unwrap_or_default().to_owned();
        file.add(&form, body, None, 1).expect("a known form");
    }

    #[test]
    fn forms_are_filed_by_their_part_in_the_case() {
        let registry = Registry::load().expect("forms load");
        let mut file = CaseFile::new(&registry);
        add(
            &mut file,
            "csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json",
        );
        add(
            &mut file,
            "agency-summary/valid/kscp-2026-014-kent-police.json",
        );
        add(&mut file, "agency-summary/valid/kscp-2026-014-gp.json");
        add(&mut file, "rapid-review/valid/kscp-2026-014-lcspr.json");
        add(&mut file, "final-report/valid/kscp-2026-014-child-l.json");
        assert!(file.one(CaseRole::Notification).is_some());
        assert!(file.one(CaseRole::RapidReviewRecord).is_some());
        assert!(file.one(CaseRole::FinalReport).is_some());
        let returns = file.all(CaseRole::AgencyReturn);
        assert_eq!(returns.len(), 2);
        assert_eq!(
            returns[0].agency.as_deref(),
            Some("gp-nhs-england"),
            "by agency name"
        );
        assert_eq!(file.reference(), Some("KSCP-2026-014"));
        assert_eq!(file.pseudonym(), Some("Child L"));
        assert!(file.add("no-such-form", Value::Null, None, 1).is_err());
    }

    #[test]
    fn a_later_version_replaces_an_earlier_one_from_the_same_source() {
        let registry = Registry::load().expect("forms load");
        let mut file = CaseFile::new(&registry);
        let mut body = sample("agency-summary/valid/kscp-2026-014-kent-police.json");
        body["date_returned"] = "2026-02-20".into();
        file.add("agency-summary", body.clone(), None, 2)
            .expect("adds");
        body["date_returned"] = "2026-02-10".into();
        file.add("agency-summary", body, None, 1).expect("adds");
        let returns = file.all(CaseRole::AgencyReturn);
        assert_eq!(returns.len(), 1);
        assert_eq!(returns[0].body["date_returned"], "2026-02-20");
    }

    #[test]
    fn the_day_the_first_agency_was_asked_stands_for_the_requests() {
        let registry = Registry::load().expect("forms load");
        let mut file = CaseFile::new(&registry);
        let on = |day: &str| day.parse::<chrono::NaiveDate>().ok();
        file.set_asked(vec![
            Asked {
                id: "kent-police".into(),
                name: "Kent Police".into(),
                asked_on: on("2026-02-17"),
            },
            Asked {
                id: "gp".into(),
                name: "GP".into(),
                asked_on: on("2026-02-16"),
            },
        ]);
        let (events, _) = file.events();
        assert_eq!(
            events.get(&Event::AgencySummariesRequested).copied(),
            on("2026-02-16")
        );
    }

    #[test]
    fn the_summaries_are_back_only_when_every_agency_asked_has_returned() {
        let registry = Registry::load().expect("forms load");
        let mut file = CaseFile::new(&registry);
        add(
            &mut file,
            "agency-summary/valid/kscp-2026-014-kent-police.json",
        );
        let asked = |ids: &[&str]| {
            ids.iter()
                .map(|id| Asked {
                    id: (*id).to_owned(),
                    name: (*id).to_owned(),
                    asked_on: None,
                })
                .collect()
        };
        file.set_asked(asked(&["kent-police", "gp-nhs-england"]));
        assert!(
            !file
                .events()
                .0
                .contains_key(&Event::AgencySummariesReturned)
        );
        add(&mut file, "agency-summary/valid/kscp-2026-014-gp.json");
        assert!(
            file.events()
                .0
                .contains_key(&Event::AgencySummariesReturned)
        );
    }
}
