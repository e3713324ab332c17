//! Agency summary (initial scoping and information sharing): one per agency for the rapid
//! review (Kent Practice Improvement Framework 2020, Appendix B).

use serde_json::Value;

use super::{FormSpec, events_at};
use crate::calendar::{Event, Events};
use crate::validate::rules::Checker;

/// The form's place in the registry.
pub static SPEC: FormSpec = FormSpec {
    id: "agency-summary",
    schema: include_str!("../../schemas/agency-summary.schema.json"),
    rules,
    events,
};

const SOURCE: &str = "Kent Practice Improvement Framework 2020, Appendix B (initial scoping and information sharing)";

/// The date this summary came back. The case's summaries are back on the latest such date
/// ([`Event::latest_wins`]); the service counts it only once every agency asked has returned.
fn events(doc: &Value) -> Events {
    events_at(doc, &[(Event::AgencySummariesReturned, "/date_returned")])
}

fn rules(c: &mut Checker<'_>) {
    c.not_before(
        "/involvement_period/from",
        "/involvement_period/to",
        "agency-summary.period-order",
        SOURCE,
    );
    c.not_before(
        "/involvement_period/to",
        "/date_returned",
        "agency-summary.returned-before-period-end",
        SOURCE,
    );
}
