//! List numbering: one bullet definition shared by every bulleted list, and one numbered
//! definition with a fresh instance per numbered list so that each list starts again at 1.

use docx_rs::{
    AbstractNumbering, Docx, Level, LevelJc, LevelOverride, LevelText, NumberFormat, Numbering,
    SpecialIndentType, Start,
};

/// Word supports nine list levels (0 to 8); deeper lists stay at the last one.
pub(crate) const MAX_LEVEL: usize = 8;
/// The numbering instance every bulleted list uses.
/// (docx-rs always writes its own definition and instance with id 1, so ours start at 2.)
pub(crate) const BULLETS: usize = 2;
const BULLET_ABSTRACT: usize = 2;
const NUMBERED_ABSTRACT: usize = 3;
/// Indent per list level, in twentieths of a point (a quarter of an inch).
pub(crate) const INDENT_STEP: i32 = 360;

fn level(n: usize, format: &str, text: &str) -> Level {
    let left = (n as i32 + 1) * INDENT_STEP;
    Level::new(
        n,
        Start::new(1),
        NumberFormat::new(format),
        LevelText::new(text),
        LevelJc::new("left"),
    )
    .indent(
        Some(left),
        Some(SpecialIndentType::Hanging(INDENT_STEP)),
        None,
        None,
    )
}

/// Adds the two list definitions and the shared bullet instance.
pub(crate) fn define(docx: Docx) -> Docx {
    let bullets = (0..=MAX_LEVEL).fold(AbstractNumbering::new(BULLET_ABSTRACT), |a, n| {
        let glyph = ["\u{2022}", "\u{25E6}", "\u{25AA}"][n % 3];
        a.add_level(level(n, "bullet", glyph))
    });
    let numbered = (0..=MAX_LEVEL).fold(AbstractNumbering::new(NUMBERED_ABSTRACT), |a, n| {
        let format = ["decimal", "lowerLetter", "lowerRoman"][n % 3];
        a.add_level(level(n, format, &format!("%{}.", n + 1)))
    });
    docx.add_abstract_numbering(bullets)
        .add_abstract_numbering(numbered)
        .add_numbering(Numbering::new(BULLETS, BULLET_ABSTRACT))
}

/// Adds a numbering instance for one numbered list at `level`, restarting at 1.
pub(crate) fn add_numbered(docx: Docx, id: usize, level: usize) -> Docx {
    docx.add_numbering(
        Numbering::new(id, NUMBERED_ABSTRACT).add_override(LevelOverride::new(level).start(1)),
    )
}
