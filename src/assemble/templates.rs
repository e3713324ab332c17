//! The registry of templates, embedded in the binary, rendered to Markdown and parsed into the
//! document model.
//!
//! Templates are `templates/<name>.md.hbs`; partials shared between them are
//! `templates/partials/<name>.md.hbs`, used as `{{> name}}`. Handlebars runs in strict mode,
//! so a template asking for a field the data does not have is an error, not a blank.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use handlebars::{Handlebars, RenderError, RenderErrorReason, TemplateError, TemplateErrorReason};
use include_dir::{Dir, include_dir};
use serde_json::Value;

use super::error::AssembleError;
use super::escape::escape_markdown;
use super::helpers::{self, Schemas};
use super::markdown;
use super::model::{Document, Metadata};
use crate::calendar::Config;
use crate::forms::Registry;

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

const SUFFIX: &str = ".md.hbs";

/// One template's source: its name, whether it is a partial, and its text.
#[derive(Debug, Clone)]
struct Source {
    name: String,
    partial: bool,
    text: String,
}

/// Every template, compiled once, with the helpers registered.
#[derive(Debug)]
pub struct Templates {
    hbs: Handlebars<'static>,
    names: Vec<String>,
}

impl Templates {
    /// The templates built into the binary, with those of the forms a partnership added
    /// (the `.md.hbs` files beside their schemas, see [`Registry::load_adding`]).
    pub fn embedded(registry: &Registry) -> Result<Self, AssembleError> {
        let mut sources = Vec::new();
        collect_embedded(&EMBEDDED, &mut sources);
        if let Some(folder) = registry.extra_folder() {
            sources.extend(read_folder(folder)?);
        }
        Self::build(registry, sources)
    }

    /// Templates read from a folder laid out like `templates/` (for trying out new wording).
    pub fn from_dir(registry: &Registry, dir: &Path) -> Result<Self, AssembleError> {
        Self::build(registry, read_folder(dir)?)
    }

    fn build(registry: &Registry, mut sources: Vec<Source>) -> Result<Self, AssembleError> {
        // Stable: a template added later under a built-in name replaces the built-in one.
        sources.sort_by(|a, b| a.name.cmp(&b.name));
        let mut hbs = Handlebars::new();
        hbs.set_strict_mode(true);
        hbs.set_prevent_indent(true);
        hbs.register_escape_fn(escape_markdown);
        let schemas: Schemas = Arc::new(
            registry
                .forms()
                .map(|form| (form.id().to_owned(), form.index().clone()))
                .collect::<BTreeMap<_, _>>(),
        );
        helpers::register(&mut hbs, &schemas);
        let calendar = Config::embedded().map_err(|e| AssembleError::Calendar(e.to_string()))?;
        helpers::register_calendar(&mut hbs, calendar);
        let mut names = Vec::new();
        for source in sources {
            let bad = |reason: String| AssembleError::BadTemplate {
                template: source.name.clone(),
                reason,
            };
            if source.text.contains("{{{") || source.text.contains("{{&") {
                return Err(bad(
                    "it uses \"{{{\" or \"{{&\", which would let typed text become formatting; \
                     use \"{{\" instead"
                        .into(),
                ));
            }
            let result = if source.partial {
                hbs.register_partial(&source.name, &source.text)
            } else {
                names.push(source.name.clone());
                hbs.register_template_string(&source.name, &source.text)
            };
            result.map_err(|e| bad(template_reason(&e)))?;
        }
        Ok(Templates { hbs, names })
    }

    /// Counts working days and deadlines with this calendar instead of the built-in one.
    pub fn set_calendar(&mut self, calendar: Arc<Config>) {
        helpers::register_calendar(&mut self.hbs, calendar);
    }

    /// The names of the (non-partial) templates, sorted.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Renders a template to Markdown.
    pub fn markdown(&self, name: &str, data: &Value) -> Result<String, AssembleError> {
        if !self.names.iter().any(|n| n == name) {
            return Err(AssembleError::UnknownTemplate(name.to_owned()));
        }
        self.hbs
            .render(name, data)
            .map_err(|e| AssembleError::Render {
                template: name.to_owned(),
                reason: render_reason(&e),
            })
    }

    /// Renders a template into a document. The title comes from the template's `% Title`
    /// line when it has one, otherwise from `meta`.
    pub fn render(
        &self,
        name: &str,
        data: &Value,
        meta: &Metadata,
    ) -> Result<Document, AssembleError> {
        let parsed = markdown::parse(&self.markdown(name, data)?);
        let mut meta = meta.clone();
        if let Some(title) = parsed.title {
            meta.title = title;
        }
        Ok(Document {
            meta,
            blocks: parsed.blocks,
        })
    }
}

/// The templates of a folder and of its `partials/` folder; a missing folder has none.
fn read_folder(dir: &Path) -> Result<Vec<Source>, AssembleError> {
    let mut sources = Vec::new();
    for (folder, partial) in [(dir.to_path_buf(), false), (dir.join("partials"), true)] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
        paths.sort();
        for path in paths {
            let Some(name) = template_name(&path.to_string_lossy()) else {
                continue;
            };
            let text = std::fs::read_to_string(&path).map_err(|e| AssembleError::BadTemplate {
                template: name.clone(),
                reason: format!("the file could not be read ({e})"),
            })?;
            sources.push(Source {
                name,
                partial,
                text,
            });
        }
    }
    Ok(sources)
}

fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<Source>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy();
        let partial = path.starts_with("partials/");
        if let (Some(name), Some(text)) = (template_name(&path), file.contents_utf8()) {
            out.push(Source {
                name,
                partial,
                text: text.to_owned(),
            });
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

/// `partials/case_header.md.hbs` → `case_header`; other files are not templates.
fn template_name(path: &str) -> Option<String> {
    let file = path.rsplit(['/', '\\']).next()?;
    file.strip_suffix(SUFFIX)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
}

fn template_reason(error: &TemplateError) -> String {
    let what = match error.reason() {
        TemplateErrorReason::InvalidSyntax(_) => {
            "the braces are not written correctly. Check that \
             every \"{{\" has its \"}}\", and that every {{#if}}, {{#each}}, {{#with}} and \
             {{#unless}} is closed by its {{/if}}, {{/each}}, {{/with}} or {{/unless}}"
                .to_owned()
        }
        TemplateErrorReason::MismatchingClosedHelper(open, close) => format!(
            "\"{{{{#{open}}}}}\" is closed by \"{{{{/{close}}}}}\"; it should be closed by \
             \"{{{{/{open}}}}}\""
        ),
        other => other.to_string(),
    };
    match error.pos() {
        Some((line, column)) => format!("at line {line}, column {column}, {what}"),
        None => what,
    }
}

fn render_reason(error: &RenderError) -> String {
    match error.reason() {
        RenderErrorReason::MissingVariable(Some(path)) => format!(
            "it needs the field \"{path}\", which is missing{}",
            error
                .line_no
                .map(|line| format!(" (template line {line})"))
                .unwrap_or_default()
        ),
        RenderErrorReason::PartialNotFound(name) => {
            format!("it uses the shared part \"{name}\", which does not exist")
        }
        RenderErrorReason::Other(text) => text.clone(),
        other => other.to_string(),
    }
}
