//! CDOP Form B: an agency's reporting form after a child's death (Child Death Review Statutory
//! and Operational Guidance (England) 2018).

use crate::validate::rules::{Checker, age_on};

const SOURCE: &str = "Child Death Review Statutory and Operational Guidance (England) 2018";
const SOURCE_AGE: &str = "Children Act 2004 s16M; Child Death Review Statutory and Operational Guidance (England) 2018: child death reviews cover children under 18";

/// The form's mandatory-content rules, beyond what its schema says.
pub(super) fn rules(c: &mut Checker<'_>) {
    c.not_before(
        "/child/date_of_birth",
        "/child/date_of_death",
        "cdop-form-b.death-before-birth",
        SOURCE,
    );
    c.not_before(
        "/child/date_of_death",
        "/reporting/date_completed",
        "cdop-form-b.completed-before-death",
        SOURCE,
    );
    if let (Some(born), Some(died)) = (
        c.date("/child/date_of_birth"),
        c.date("/child/date_of_death"),
    ) {
        let age = age_on(born, died);
        if age >= 18 {
            let message = format!(
                "The dates give an age of {age} at death, but child death reviews cover children under 18. Please check the date of birth and the date of death."
            );
            c.error(
                "/child/date_of_birth",
                "child.under-18",
                SOURCE_AGE,
                message,
            );
        }
    }
}
