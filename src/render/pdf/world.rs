//! The typst [`World`] for one render: a fixed template, the document as a JSON file, the
//! embedded fonts and a fixed date. Nothing is read from disk or the network.
//!
//! The text face is Liberation Sans (SIL OFL, metric-compatible with the Arial the Word files
//! name, vendored in `fonts/`), so a report looks the same in both formats; the fonts bundled in
//! `typst-assets` stay behind it for the characters it lacks.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The template every PDF is laid out with. It reads the document from [`DATA_PATH`].
const TEMPLATE: &str = include_str!("document.typ");

/// Where the template finds the document, as typst sees it.
const DATA_PATH: &str = "/document.json";

/// The parts of a world that never change, built once per process.
struct Fixed {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    data_id: FileId,
}

/// The text face, in the four styles the template uses.
const TEXT_FONTS: [&[u8]; 4] = [
    include_bytes!("fonts/LiberationSans-Regular.ttf"),
    include_bytes!("fonts/LiberationSans-Bold.ttf"),
    include_bytes!("fonts/LiberationSans-Italic.ttf"),
    include_bytes!("fonts/LiberationSans-BoldItalic.ttf"),
];

static FIXED: LazyLock<Fixed> = LazyLock::new(|| {
    let fonts: Vec<Font> = TEXT_FONTS
        .into_iter()
        .chain(typst_assets::fonts())
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fixed {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        main: Source::new(file_id("/document.typ"), TEMPLATE.to_owned()),
        data_id: file_id(DATA_PATH),
    }
});

/// Whether any bundled font has a glyph for `c` (typst falls back across all of them).
pub(super) fn covered(c: char) -> bool {
    let code = u32::from(c);
    FIXED
        .fonts
        .iter()
        .any(|font| font.info().coverage.contains(code))
}

fn file_id(path: &str) -> FileId {
    // Only ever called with the constant paths above, never with anything a user controls.
    let vpath = VirtualPath::new(path).expect("constant virtual paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One render's world: the fixed parts plus this document's JSON and date.
pub(super) struct RenderWorld {
    data: Bytes,
    today: Option<Datetime>,
}

impl RenderWorld {
    /// A world serving `json` as the document and `today` as the current date.
    pub(super) fn new(json: Vec<u8>, today: Option<Datetime>) -> Self {
        Self {
            data: Bytes::new(json),
            today,
        }
    }
}

impl World for RenderWorld {
    fn library(&self) -> &LazyHash<Library> {
        &FIXED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FIXED.book
    }

    fn main(&self) -> FileId {
        FIXED.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == FIXED.main.id() {
            Ok(FIXED.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == FIXED.data_id {
            Ok(self.data.clone())
        } else if id == FIXED.main.id() {
            Ok(Bytes::from_string(FIXED.main.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FIXED.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_face_comes_first_and_typst_assets_stay_behind_it() {
        assert!(FIXED.fonts.len() >= 14);
        use typst::text::{FontStyle, FontWeight};
        let styles = [
            (FontWeight::REGULAR, FontStyle::Normal),
            (FontWeight::BOLD, FontStyle::Normal),
            (FontWeight::REGULAR, FontStyle::Italic),
            (FontWeight::BOLD, FontStyle::Italic),
        ];
        for (font, (weight, style)) in FIXED.fonts.iter().zip(styles) {
            let info = font.info();
            assert_eq!(info.family, "Liberation Sans");
            assert_eq!((info.variant.weight, info.variant.style), (weight, style));
        }
        let families: Vec<&str> = FIXED.book.families().map(|(name, _)| name).collect();
        assert!(families.contains(&"Libertinus Serif"), "{families:?}");
    }

    #[test]
    fn coverage_is_that_of_the_bundled_fonts() {
        for c in ['a', 'ł', 'Ω', 'Д', '—', '£'] {
            assert!(covered(c), "{c}");
        }
        for c in ['张', '🙂'] {
            assert!(!covered(c), "{c}");
        }
    }

    #[test]
    fn only_the_template_and_the_document_are_served() {
        let world = RenderWorld::new(b"{}".to_vec(), None);
        assert!(world.source(world.main()).is_ok());
        assert_eq!(
            world.file(FIXED.data_id).ok(),
            Some(Bytes::new(b"{}".to_vec()))
        );
        assert!(world.file(file_id("/etc/passwd")).is_err());
    }
}
