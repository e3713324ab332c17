//! Turning the model's plain text into Word runs, so nothing a user typed becomes markup.
//!
//! docx-rs escapes `&`, `<`, `>` and quotes; what it does not do is drop characters that
//! XML 1.0 forbids outright (most C0 controls, U+FFFE, U+FFFF), which would make the whole file
//! unreadable. Tabs and newlines typed inside a value become Word tabs and line breaks.

use docx_rs::{BreakType, Run};

use crate::assemble::model::Inline;

/// Whether XML 1.0 allows this character in text content.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The text with every XML-illegal character (and carriage returns) removed.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| is_xml_char(c) && c != '\r')
        .collect()
}

/// Character formatting carried down through nested inlines.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RunStyle {
    /// Bold (from `Inline::Strong`, or a table header cell).
    pub bold: bool,
    /// Italic (from `Inline::Emphasis`).
    pub italic: bool,
}

impl RunStyle {
    fn run(self) -> Run {
        let mut run = Run::new();
        if self.bold {
            run = run.bold();
        }
        if self.italic {
            run = run.italic();
        }
        run
    }
}

/// The runs for a sequence of inlines.
pub(crate) fn runs(inlines: &[Inline], style: RunStyle) -> Vec<Run> {
    let mut out = Vec::new();
    push_runs(inlines, style, &mut out);
    out
}

fn push_runs(inlines: &[Inline], style: RunStyle, out: &mut Vec<Run>) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => push_text(text, style, out),
            Inline::Strong { content } => push_runs(
                content,
                RunStyle {
                    bold: true,
                    ..style
                },
                out,
            ),
            Inline::Emphasis { content } => push_runs(
                content,
                RunStyle {
                    italic: true,
                    ..style
                },
                out,
            ),
            Inline::LineBreak => out.push(style.run().add_break(BreakType::TextWrapping)),
        }
    }
}

/// One run for the text, with Word tabs and line breaks where the text had `\t` and `\n`.
fn push_text(text: &str, style: RunStyle, out: &mut Vec<Run>) {
    let cleaned = clean(text);
    if cleaned.is_empty() {
        return;
    }
    let mut run = style.run();
    let mut piece = String::new();
    for c in cleaned.chars() {
        match c {
            '\t' | '\n' => {
                if !piece.is_empty() {
                    run = run.add_text(std::mem::take(&mut piece));
                }
                run = if c == '\t' {
                    run.add_tab()
                } else {
                    run.add_break(BreakType::TextWrapping)
                };
            }
            _ => piece.push(c),
        }
    }
    if !piece.is_empty() {
        run = run.add_text(piece);
    }
    out.push(run);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_drops_xml_illegal_characters_and_keeps_the_rest() {
        assert_eq!(
            clean("a\u{0}b\u{1b}c\u{FFFF}d\r\n\t<&>é😀"),
            "abcd\n\t<&>é😀"
        );
    }

    #[test]
    fn nested_formatting_reaches_the_runs() {
        let inlines = vec![Inline::Strong {
            content: vec![Inline::Emphasis {
                content: vec![Inline::text("both")],
            }],
        }];
        let runs = runs(&inlines, RunStyle::default());
        assert_eq!(runs.len(), 1);
        let props = &runs[0].run_property;
        assert!(props.bold.is_some() && props.italic.is_some());
    }
}
