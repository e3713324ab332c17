//! Text typed into a form as the templates' Markdown meets it: escaped, then parsed into the
//! document model; and the raw text parsed as a template's own Markdown would be.

use safeguarding_forms::assemble::escape::escape_markdown;
use safeguarding_forms::assemble::markdown::parse;

fn main() {
    afl::fuzz!(|bytes: &[u8]| {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return;
        };
        let _ = parse(text);
        let escaped = parse(&escape_markdown(text));
        // Typed text never becomes more than one paragraph of structure.
        assert!(escaped.blocks.len() <= 1);
    });
}
