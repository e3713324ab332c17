//! A JSON submission as a client sends it: parsed with the service's limits, its form found,
//! validated against schema and rules. Any panic, hang or memory blow-up is a finding.

use std::sync::OnceLock;

use safeguarding_forms::forms::Registry;
use safeguarding_forms::validate::{RuleContext, input, validate_form};

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Registry::load().unwrap_or_else(|e| panic!("forms load: {e}")))
}

fn main() {
    let context = RuleContext::default();
    afl::fuzz!(|bytes: &[u8]| {
        let Ok(submission) = input::parse(bytes) else {
            return;
        };
        if let Ok(form) = registry().detect(&submission) {
            let report = validate_form(form, &submission, &context);
            // Every finding must carry words a person can read.
            assert!(report.findings.iter().all(|f| !f.message.is_empty()));
        }
    });
}
