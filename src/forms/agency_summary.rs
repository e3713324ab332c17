//! Agency summary (initial scoping and information sharing): one per agency for the rapid
//! review (Kent Practice Improvement Framework 2020, Appendix B).

use crate::validate::rules::Checker;

const SOURCE: &str = "Kent Practice Improvement Framework 2020, Appendix B (initial scoping and information sharing)";

/// The form's mandatory-content rules, beyond what its schema says.
pub(super) fn rules(c: &mut Checker<'_>) {
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
