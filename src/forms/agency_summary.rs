//! Agency summary (initial scoping and information sharing): one per agency for the rapid
//! review (Kent Practice Improvement Framework 2020, Appendix B).

use super::FormSpec;
use crate::validate::rules::Checker;

/// The form's place in the registry.
pub static SPEC: FormSpec = FormSpec {
    id: "agency-summary",
    schema: include_str!("../../schemas/agency-summary.schema.json"),
    rules,
    events: super::no_events,
};

const SOURCE: &str = "Kent Practice Improvement Framework 2020, Appendix B (initial scoping and information sharing)";

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
