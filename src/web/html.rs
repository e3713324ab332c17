//! HTML for the pages: escaping, the page layout, and the GOV.UK Frontend components the pages
//! use, each a small function writing the markup the Design System documents. Every piece of
//! text that did not come from this file goes through [`Esc`].

use std::fmt::{self, Display, Write as _};

/// Text escaped for HTML (element content and quoted attribute values).
#[derive(Debug, Clone, Copy)]
pub struct Esc<'a>(pub &'a str);

impl Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut last = 0;
        for (i, byte) in self.0.bytes().enumerate() {
            let escaped = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            f.write_str(&self.0[last..i])?;
            f.write_str(escaped)?;
            last = i + 1;
        }
        f.write_str(&self.0[last..])
    }
}

/// The inline script GOV.UK Frontend's page template runs first, allowed by its hash in the
/// Content-Security-Policy (no other inline script runs).
pub const BODY_CLASS_SCRIPT: &str = "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');";

/// SHA-256 of [`BODY_CLASS_SCRIPT`], base64, as the Content-Security-Policy names it.
pub const BODY_CLASS_SCRIPT_SHA256: &str = "GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw=";

/// The Content-Security-Policy of every page: only this service's own files, the one inline
/// script by hash, no frames, forms posting only here.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'self'; script-src 'self' 'sha256-{BODY_CLASS_SCRIPT_SHA256}'; style-src 'self'; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// What the page layout needs to know.
#[derive(Debug, Clone, Default)]
pub struct Chrome<'a> {
    /// The partnership's name, heading every page.
    pub partnership: &'a str,
    /// The signed-in person's name, with a sign-out button.
    pub signed_in: Option<&'a str>,
    /// The CSRF token for the sign-out button.
    pub csrf: Option<&'a str>,
    /// A "Back" link above the content.
    pub back: Option<&'a str>,
}

/// A whole page: `title` is the document title (prefixed "Error: " when the page shows
/// errors, as GOV.UK does), `main` the content of `<main>`.
pub fn page(chrome: &Chrome<'_>, title: &str, has_errors: bool, main: &str) -> String {
    let mut out = String::with_capacity(main.len() + 2048);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\" class=\"govuk-template\"><head><meta charset=\"utf-8\">\
<title>{error}{title} – {service}</title>\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, viewport-fit=cover\">\
<link rel=\"stylesheet\" href=\"/assets/govuk-frontend.min.css\">\
<link rel=\"stylesheet\" href=\"/assets/app.css\"></head>\
<body class=\"govuk-template__body\"><script>{script}</script>\
<a href=\"#main-content\" class=\"govuk-skip-link\" data-module=\"govuk-skip-link\">Skip to main content</a>\
<header class=\"govuk-header app-header\"><div class=\"govuk-header__container govuk-width-container\">\
<div class=\"govuk-header__logo\"><a href=\"/\" class=\"govuk-header__link govuk-header__link--homepage app-header__name\">{partnership}</a></div>\
<div class=\"govuk-header__content\"><span class=\"govuk-header__service-name app-header__service\">Case review forms</span></div>",
        error = if has_errors { "Error: " } else { "" },
        title = Esc(title),
        service = Esc(chrome.partnership),
        script = BODY_CLASS_SCRIPT,
        partnership = Esc(chrome.partnership),
    );
    out.push_str("</div></header><div class=\"govuk-width-container\">");
    if let (Some(name), Some(csrf)) = (chrome.signed_in, chrome.csrf) {
        let _ = write!(
            out,
            "<form method=\"post\" action=\"/sign-out\" class=\"app-account\">\
<span class=\"govuk-body-s app-account__person\">Signed in as {}</span>{}\
<button type=\"submit\" class=\"govuk-button govuk-button--secondary govuk-!-margin-bottom-0\" data-module=\"govuk-button\">Sign out</button></form>",
            Esc(name),
            csrf_field(csrf)
        );
    }
    if let Some(back) = chrome.back {
        let _ = write!(
            out,
            "<a href=\"{}\" class=\"govuk-back-link\">Back</a>",
            Esc(back)
        );
    }
    let _ = write!(
        out,
        "<main class=\"govuk-main-wrapper\" id=\"main-content\">{main}</main></div>\
<footer class=\"govuk-footer\"><div class=\"govuk-width-container\"><div class=\"govuk-footer__meta\">\
<div class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\">\
<p class=\"govuk-body-s\">{partnership}. Special category personal data about children: do not share outside those who need to know.</p>\
</div></div></div></footer>\
<script type=\"module\" src=\"/assets/init.js\"></script></body></html>",
        partnership = Esc(chrome.partnership),
    );
    out
}

/// The hidden field that carries a form's CSRF token.
pub fn csrf_field(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"_csrf\" value=\"{}\">",
        Esc(token)
    )
}

/// One entry of an error summary: the message and the id of the field it links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorLink {
    /// The message, written for the page.
    pub message: String,
    /// Where the link goes: `#id`, or another page's address with `#id`.
    pub href: String,
}

/// The error summary's links to fields of this page, from each field's id and message.
pub fn field_errors<I: AsRef<str>>(errors: &[(I, String)]) -> Vec<ErrorLink> {
    errors
        .iter()
        .map(|(id, message)| ErrorLink {
            message: message.clone(),
            href: format!("#{}", id.as_ref()),
        })
        .collect()
}

/// GOV.UK's error summary, focused on load by its JavaScript and linked to each field.
pub fn error_summary(out: &mut String, errors: &[ErrorLink]) {
    if errors.is_empty() {
        return;
    }
    out.push_str(
        "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\"><div role=\"alert\">\
<h2 class=\"govuk-error-summary__title\">There is a problem</h2><div class=\"govuk-error-summary__body\">\
<ul class=\"govuk-list govuk-error-summary__list\">",
    );
    for error in errors {
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a></li>",
            Esc(&error.href),
            Esc(&error.message)
        );
    }
    out.push_str("</ul></div></div></div>");
}

/// A field's label, hint and error message, shared by the input components.
#[derive(Debug, Clone, Copy)]
pub struct Labelled<'a> {
    /// The input's id.
    pub id: &'a str,
    /// The input's name.
    pub name: &'a str,
    /// The label (the field's title).
    pub label: &'a str,
    /// The hint (the field's description).
    pub hint: Option<&'a str>,
    /// The error message, when the field has one.
    pub error: Option<&'a str>,
}

impl Labelled<'_> {
    fn group_class(&self) -> &'static str {
        if self.error.is_some() {
            "govuk-form-group govuk-form-group--error"
        } else {
            "govuk-form-group"
        }
    }

    /// `aria-describedby` naming the hint and error, when there are any.
    fn described_by(&self) -> String {
        self.described_with(None)
    }

    /// `aria-describedby` naming the hint, the error and one more element.
    fn described_with(&self, extra: Option<String>) -> String {
        let mut ids: Vec<String> = extra.into_iter().collect();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        if ids.is_empty() {
            String::new()
        } else {
            format!(" aria-describedby=\"{}\"", ids.join(" "))
        }
    }

    /// Writes the hint and the error message, each with the id `aria-describedby` names.
    pub fn hint_and_error(&self, out: &mut String) {
        if let Some(hint) = self.hint {
            let _ = write!(
                out,
                "<div id=\"{}-hint\" class=\"govuk-hint\">{}</div>",
                Esc(self.id),
                Esc(hint)
            );
        }
        if let Some(error) = self.error {
            let _ = write!(
                out,
                "<p id=\"{}-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> {}</p>",
                Esc(self.id),
                Esc(error)
            );
        }
    }
}

/// What kind of text input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// Ordinary text.
    Text,
    /// An email address.
    Email,
    /// A whole number.
    Whole,
    /// A number that may have decimals.
    Decimal,
    /// A date written YYYY-MM-DD (the reports' periods): ten characters wide.
    IsoDate,
}

/// GOV.UK warning text (an icon, then `text` in bold, "Warning" said to screen readers), with
/// an id to link or test it by.
pub fn warning(out: &mut String, id: &str, text: &str) {
    let _ = write!(
        out,
        "<div class=\"govuk-warning-text\" id=\"{}\"><span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!</span><strong class=\"govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">Warning</span>{}</strong></div>",
        Esc(id),
        Esc(text)
    );
}

/// A one-line text input.
pub fn text_input(out: &mut String, field: &Labelled<'_>, value: &str, kind: InputKind) {
    let _ = write!(
        out,
        "<div class=\"{}\"><label class=\"govuk-label\" for=\"{}\">{}</label>",
        field.group_class(),
        Esc(field.id),
        Esc(field.label)
    );
    field.hint_and_error(out);
    let (ty, extra, width) = match kind {
        InputKind::Text => ("text", "", ""),
        InputKind::Email => (
            "email",
            " spellcheck=\"false\" autocomplete=\"email\"",
            " govuk-!-width-two-thirds",
        ),
        InputKind::Whole => (
            "text",
            " inputmode=\"numeric\" spellcheck=\"false\"",
            " govuk-input--width-5",
        ),
        InputKind::Decimal => (
            "text",
            " inputmode=\"decimal\" spellcheck=\"false\"",
            " govuk-input--width-5",
        ),
        InputKind::IsoDate => ("text", " spellcheck=\"false\"", " govuk-input--width-10"),
    };
    let _ = write!(
        out,
        "<input class=\"govuk-input{width}{error}\" id=\"{id}\" name=\"{name}\" type=\"{ty}\" value=\"{value}\"{extra}{described}></div>",
        error = if field.error.is_some() {
            " govuk-input--error"
        } else {
            ""
        },
        id = Esc(field.id),
        name = Esc(field.name),
        value = Esc(value),
        described = field.described_by(),
    );
}

/// A textarea, with GOV.UK's character count when the field has a limit.
pub fn textarea(out: &mut String, field: &Labelled<'_>, value: &str, max_length: Option<u64>) {
    let (open, close) = match max_length {
        Some(limit) => (
            format!(
                "<div class=\"govuk-character-count\" data-module=\"govuk-character-count\" data-maxlength=\"{limit}\">"
            ),
            format!(
                "<div id=\"{}-info\" class=\"govuk-hint govuk-character-count__message\">You can enter up to {limit} characters</div></div>",
                Esc(field.id)
            ),
        ),
        None => (String::new(), String::new()),
    };
    let _ = write!(
        out,
        "{open}<div class=\"{} govuk-!-margin-bottom-6\"><label class=\"govuk-label\" for=\"{}\">{}</label>",
        field.group_class(),
        Esc(field.id),
        Esc(field.label)
    );
    field.hint_and_error(out);
    let described = field.described_with(max_length.map(|_| format!("{}-info", Esc(field.id))));
    let rows = if value.len() > 600 { 12 } else { 6 };
    let _ = write!(
        out,
        "<textarea class=\"govuk-textarea{}{}\" id=\"{}\" name=\"{}\" rows=\"{rows}\"{described}>{}</textarea></div>{close}",
        if max_length.is_some() {
            " govuk-js-character-count"
        } else {
            ""
        },
        if field.error.is_some() {
            " govuk-textarea--error"
        } else {
            ""
        },
        Esc(field.id),
        Esc(field.name),
        // A textarea drops one leading newline: keep a leading blank line the person typed.
        Esc(&if value.starts_with('\n') {
            format!("\n{value}")
        } else {
            value.to_owned()
        }),
    );
}

/// A GOV.UK date input: day, month and year boxes named `<name>[day]` and so on; the day box
/// carries the field's id so an error link lands in it.
pub fn date_input(out: &mut String, field: &Labelled<'_>, parts: [&str; 3]) {
    let _ = write!(
        out,
        "<div class=\"{}\"><fieldset class=\"govuk-fieldset\" role=\"group\"{}>\
<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">{}</legend>",
        field.group_class(),
        field.described_by(),
        Esc(field.label)
    );
    field.hint_and_error(out);
    out.push_str("<div class=\"govuk-date-input\">");
    for ((part, label, width), value) in [
        ("day", "Day", 2),
        ("month", "Month", 2),
        ("year", "Year", 4),
    ]
    .into_iter()
    .zip(parts)
    {
        let _ = write!(
            out,
            "<div class=\"govuk-date-input__item\"><div class=\"govuk-form-group\">\
<label class=\"govuk-label govuk-date-input__label\" for=\"{id}-{part}\">{label}</label>\
<input class=\"govuk-input govuk-date-input__input govuk-input--width-{width}{error}\" id=\"{id}-{part}\" name=\"{name}[{part}]\" type=\"text\" inputmode=\"numeric\" value=\"{value}\"></div></div>",
            id = Esc(field.id),
            name = Esc(field.name),
            value = Esc(value),
            error = if field.error.is_some() {
                " govuk-input--error"
            } else {
                ""
            },
        );
    }
    out.push_str("</div></fieldset></div>");
}

/// One choice of a set of radios or checkboxes.
#[derive(Debug, Clone)]
pub struct Choice<'a> {
    /// The value posted.
    pub value: &'a str,
    /// The words shown.
    pub label: &'a str,
    /// Whether it is chosen.
    pub checked: bool,
    /// HTML revealed under the choice when it is chosen (GOV.UK's conditional reveal).
    pub reveal: Option<String>,
}

/// Radios (`multiple = false`) or checkboxes (`multiple = true`) in a fieldset whose legend is
/// the field's title; the first choice carries the field's id.
pub fn choices(out: &mut String, field: &Labelled<'_>, items: &[Choice<'_>], multiple: bool) {
    let (kind, module) = if multiple {
        ("checkboxes", "govuk-checkboxes")
    } else {
        ("radios", "govuk-radios")
    };
    let inline = !multiple
        && items.len() <= 3
        && items
            .iter()
            .all(|c| c.reveal.is_none() && c.label.len() < 12);
    let _ = write!(
        out,
        "<div class=\"{}\"><fieldset class=\"govuk-fieldset\"{}>\
<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">{}</legend>",
        field.group_class(),
        field.described_by(),
        Esc(field.label)
    );
    field.hint_and_error(out);
    let _ = write!(
        out,
        "<div class=\"govuk-{kind}{}{}\" data-module=\"{module}\">",
        if inline {
            format!(" govuk-{kind}--inline")
        } else {
            String::new()
        },
        if multiple { "" } else { " govuk-radios--small" }
    );
    for (n, item) in items.iter().enumerate() {
        let id = if n == 0 {
            field.id.to_owned()
        } else {
            format!("{}-{}", field.id, n + 1)
        };
        let conditional = item
            .reveal
            .as_ref()
            .map(|_| format!(" data-aria-controls=\"conditional-{}\"", Esc(&id)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<div class=\"govuk-{kind}__item\"><input class=\"govuk-{kind}__input\" id=\"{id}\" name=\"{name}\" type=\"{ty}\" value=\"{value}\"{checked}{conditional}>\
<label class=\"govuk-label govuk-{kind}__label\" for=\"{id}\">{label}</label></div>",
            id = Esc(&id),
            name = Esc(field.name),
            ty = if multiple { "checkbox" } else { "radio" },
            value = Esc(item.value),
            checked = if item.checked { " checked" } else { "" },
            label = Esc(item.label),
        );
        if let Some(reveal) = &item.reveal {
            let _ = write!(
                out,
                "<div class=\"govuk-{kind}__conditional{}\" id=\"conditional-{}\">{reveal}</div>",
                if item.checked {
                    String::new()
                } else {
                    format!(" govuk-{kind}__conditional--hidden")
                },
                Esc(&id)
            );
        }
    }
    out.push_str("</div></fieldset></div>");
}

/// A select, for a long list of choices; the first option is "Choose".
pub fn select(out: &mut String, field: &Labelled<'_>, items: &[Choice<'_>]) {
    select_with_first(out, field, items, "Choose");
}

/// A select whose first option, with no value, reads `first` ("Choose", "All").
pub fn select_with_first(
    out: &mut String,
    field: &Labelled<'_>,
    items: &[Choice<'_>],
    first: &str,
) {
    let _ = write!(
        out,
        "<div class=\"{}\"><label class=\"govuk-label\" for=\"{}\">{}</label>",
        field.group_class(),
        Esc(field.id),
        Esc(field.label)
    );
    field.hint_and_error(out);
    let _ = write!(
        out,
        "<select class=\"govuk-select{}\" id=\"{}\" name=\"{}\"{}><option value=\"\">{}</option>",
        if field.error.is_some() {
            " govuk-select--error"
        } else {
            ""
        },
        Esc(field.id),
        Esc(field.name),
        field.described_by(),
        Esc(first)
    );
    for item in items {
        let _ = write!(
            out,
            "<option value=\"{}\"{}>{}</option>",
            Esc(item.value),
            if item.checked { " selected" } else { "" },
            Esc(item.label)
        );
    }
    out.push_str("</select></div>");
}

/// A button that submits its form with `_action=<action>`.
pub fn button(out: &mut String, label: &str, action: &str, secondary: bool) {
    let _ = write!(
        out,
        "<button type=\"submit\" name=\"_action\" value=\"{}\" id=\"button-{}\" class=\"govuk-button{}\" data-module=\"govuk-button\" data-prevent-double-click=\"true\">{}</button>",
        Esc(action),
        Esc(action),
        if secondary {
            " govuk-button--secondary"
        } else {
            ""
        },
        Esc(label)
    );
}

/// One row of a summary list: key, value (HTML), and an optional change link.
#[derive(Debug, Clone)]
pub struct Row {
    /// The key (a field's title).
    pub key: String,
    /// The value, already HTML.
    pub value_html: String,
    /// The change link: address and what it changes (for screen readers).
    pub change: Option<(String, String)>,
}

/// GOV.UK's summary list.
pub fn summary_list(out: &mut String, rows: &[Row]) {
    out.push_str("<dl class=\"govuk-summary-list\">");
    for row in rows {
        let _ = write!(
            out,
            "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">{}</dt><dd class=\"govuk-summary-list__value\">{}</dd>",
            Esc(&row.key),
            row.value_html
        );
        match &row.change {
            Some((href, what)) => {
                let _ = write!(
                    out,
                    "<dd class=\"govuk-summary-list__actions\"><a class=\"govuk-link\" href=\"{}\">Change<span class=\"govuk-visually-hidden\"> {}</span></a></dd>",
                    Esc(href),
                    Esc(what)
                );
            }
            None => out.push_str("<dd class=\"govuk-summary-list__actions\"></dd>"),
        }
        out.push_str("</div>");
    }
    out.push_str("</dl>");
}

/// Text as paragraphs: blank lines separate paragraphs, single newlines become line breaks.
pub fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        out.push_str("<p class=\"govuk-body\">");
        for (n, line) in paragraph.lines().enumerate() {
            if n > 0 {
                out.push_str("<br>");
            }
            let _ = write!(out, "{}", Esc(line));
        }
        out.push_str("</p>");
    }
    out
}

/// A status tag ("Completed", "In progress", ...).
pub fn tag(text: &str, colour: Option<&str>) -> String {
    format!(
        "<strong class=\"govuk-tag{}\">{}</strong>",
        colour
            .map(|c| format!(" govuk-tag--{c}"))
            .unwrap_or_default(),
        Esc(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            Esc("<script>\"a\" & 'b'</script>").to_string(),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(Esc("plain £ text").to_string(), "plain £ text");
    }

    #[test]
    fn the_script_hash_matches_the_script() {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(BODY_CLASS_SCRIPT.as_bytes());
        assert_eq!(base64(&digest), BODY_CLASS_SCRIPT_SHA256);
    }

    fn base64(bytes: &[u8]) -> String {
        const TABLE: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn an_errored_field_is_described_by_its_message() {
        let mut out = String::new();
        let field = Labelled {
            id: "f-name",
            name: "/name",
            label: "Name",
            hint: Some("Full name"),
            error: Some("Enter a name"),
        };
        text_input(&mut out, &field, "<b>", InputKind::Text);
        assert!(out.contains("aria-describedby=\"f-name-hint f-name-error\""));
        assert!(out.contains("value=\"&lt;b&gt;\""));
        assert!(out.contains("govuk-form-group--error"));
    }
}
