//! The report as CSV (RFC 4180: fields separated by commas, a field holding a comma, a double
//! quote or a line break quoted with its quotes doubled, lines ended CRLF). Three tables, each
//! its own file: the figures, the late steps and the overdue actions.
//!
//! Text from the records (an action's wording, a reason for lateness) that a spreadsheet would
//! take for a formula (starting `=`, `+`, `-`, `@`, a tab or a carriage return) is opened with
//! an apostrophe, so that opening the file never runs what an agency typed.

use super::{Breakdown, Figure, GroupActions, Share, TimelinessReport};

/// One CSV field, quoted when RFC 4180 needs it.
pub fn field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A field of text typed by people: [`field`], opened with an apostrophe when a spreadsheet
/// would read it as a formula.
pub fn text_field(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        field(&format!("'{text}"))
    } else {
        field(text)
    }
}

fn row(out: &mut String, fields: &[String]) {
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The figures: section, measure, the period reported on, the period before, the trend.
pub fn figures(report: &TimelinessReport) -> String {
    let mut out = String::new();
    row(
        &mut out,
        &[
            "section".into(),
            "measure".into(),
            field(&format!("{} to {}", report.period.from, report.period.to)),
            field(&format!(
                "{} to {}",
                report.previous_period.from, report.previous_period.to
            )),
            "trend".into(),
        ],
    );
    let mut figure = |section: &str, measure: &str, f: &Figure| {
        row(
            &mut out,
            &[
                field(section),
                text_field(measure),
                f.current.to_string(),
                f.previous.to_string(),
                f.trend.words().into(),
            ],
        );
    };
    let n = &report.notifications;
    figure("Notifications", "All notifications", &n.total);
    figure("Notifications", "Death", &n.deaths);
    figure("Notifications", "Serious harm", &n.serious_harm);
    figure("Notifications", "Not recorded", &n.origin_not_recorded);
    for b in &n.by_category {
        figure("Notifications by category", &b.words(), &b.figure);
    }
    figure(
        "Rapid reviews",
        "All decisions",
        &report.rapid_reviews.total,
    );
    for b in &report.rapid_reviews.by_decision {
        figure("Rapid reviews by decision", &b.words(), &b.figure);
    }
    let l = &report.local_reviews;
    figure("Local reviews", "Commissioned", &l.commissioned);
    figure(
        "Local reviews",
        "Open at the end of the period",
        &l.open_at_end,
    );
    figure("Local reviews", "Published", &l.published);
    let mut shares: Vec<(String, Share)> = Vec::new();
    for step in &report.steps {
        let section = format!("Step: {}", step.title);
        figure(&section, "Due", &step.due);
        figure(&section, "Done on time", &step.on_time);
        figure(&section, "Done late", &step.late);
        figure(&section, "Overdue", &step.overdue);
        figure(&section, "Not yet due", &step.not_yet_due);
        shares.push((section, step.on_time_share));
    }
    let a = &report.actions;
    figure("Actions", "Raised", &a.raised);
    figure("Actions", "Completed", &a.completed);
    figure("Actions", "Overdue at the end of the period", &a.overdue);
    for Breakdown { key, figure: f, .. } in &a.by_status {
        figure("Actions by status at the end of the period", key, f);
    }
    for (section, groups) in [
        ("Actions by agency", &a.by_agency),
        ("Actions by source", &a.by_source),
    ] {
        for GroupActions {
            name,
            actions,
            done,
            overdue,
            ..
        } in groups
        {
            figure(section, &format!("{name}: actions"), actions);
            figure(section, &format!("{name}: done"), done);
            figure(section, &format!("{name}: overdue"), overdue);
        }
    }
    for (section, share) in shares {
        row(
            &mut out,
            &[
                field(&section),
                "Done on time (%)".into(),
                opt(share.current),
                opt(share.previous),
                opt(share.trend.map(|t| t.words())),
            ],
        );
    }
    out
}

/// The late and overdue steps of the period reported on, with their reasons.
pub fn late_steps(report: &TimelinessReport) -> String {
    let mut out = String::new();
    row(
        &mut out,
        &[
            "case_reference",
            "step",
            "due",
            "done",
            "working_days_late",
            "reason",
        ]
        .map(String::from),
    );
    for step in &report.steps {
        for late in &step.late_ones {
            row(
                &mut out,
                &[
                    text_field(&late.case_reference),
                    text_field(&step.title),
                    late.due.to_string(),
                    opt(late.done),
                    opt(late.working_days_late),
                    text_field(late.reason.as_deref().unwrap_or_default()),
                ],
            );
        }
    }
    out
}

/// The actions overdue at the end of the period reported on.
pub fn overdue_actions(report: &TimelinessReport) -> String {
    let mut out = String::new();
    row(
        &mut out,
        &[
            "action_id",
            "agency",
            "lead",
            "action",
            "due",
            "working_days_overdue",
            "status",
        ]
        .map(String::from),
    );
    for action in &report.actions.overdue_actions {
        row(
            &mut out,
            &[
                text_field(&action.id),
                text_field(&action.agency),
                text_field(action.lead.as_deref().unwrap_or_default()),
                text_field(&action.action),
                action.due.to_string(),
                opt(action.working_days_overdue),
                field(&action.status.to_string()),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field(""), "");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("the \"Day 15\" step"), "\"the \"\"Day 15\"\" step\"");
        assert_eq!(field("two\r\nlines"), "\"two\r\nlines\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(
            text_field("=HYPERLINK(\"x\")"),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(text_field("-1"), "'-1");
        assert_eq!(text_field("@sum"), "'@sum");
        assert_eq!(text_field("Kent Police"), "Kent Police");
        let mut out = String::new();
        row(&mut out, &[field("a,b"), field("c")]);
        assert_eq!(out, "\"a,b\",c\r\n");
    }
}
