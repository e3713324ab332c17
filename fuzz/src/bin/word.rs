//! A Word file from outside, through everything that opens one: the safe OOXML reader, the
//! report check (with its budget) and the Word forms reader.

use std::sync::OnceLock;

use safeguarding_forms::check::{CaseForms, ReportInput, check_report};
use safeguarding_forms::forms::Registry;
use safeguarding_forms::wordforms;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Registry::load().unwrap_or_else(|e| panic!("forms load: {e}")))
}

fn main() {
    afl::fuzz!(|bytes: &[u8]| {
        let _ = check_report(ReportInput::Docx(bytes), &CaseForms::none());
        let _ = wordforms::read(registry(), bytes);
    });
}
