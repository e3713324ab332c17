//! The web pages' server-side cost: the largest section of the largest form rendered with its
//! answers, a whole check-your-answers page, and a section's answers read back from a post.

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;

use safeguarding_forms::forms::Registry;
use safeguarding_forms::validate::{RuleContext, validate_form};
use safeguarding_forms::web::fields::{Fields, Posted, Shown};
use safeguarding_forms::web::form_pages::render_check;
use safeguarding_forms::web::html::{self, Chrome};

fn sample(path: &str) -> Value {
    let full = format!("{}/samples/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(full).expect("a sample")).expect("JSON")
}

/// The input names and values a browser would post for a rendered section.
fn posted_from(html: &str) -> Posted {
    let mut pairs = Vec::new();
    for input in html.split("<input").skip(1) {
        let attr = |name: &str| {
            input
                .split(&format!(" {name}=\""))
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_owned)
        };
        let checked = input
            .split('>')
            .next()
            .is_some_and(|tag| tag.contains(" checked"));
        let kind = attr("type").unwrap_or_default();
        if (kind == "radio" || kind == "checkbox") && !checked {
            continue;
        }
        if let (Some(name), Some(value)) = (attr("name"), attr("value")) {
            pairs.push((name, value.replace("&amp;", "&").replace("&quot;", "\"")));
        }
    }
    for area in html.split("<textarea").skip(1) {
        let name = area
            .split(" name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next());
        let text = area
            .split_once('>')
            .and_then(|(_, rest)| rest.split("</textarea>").next());
        if let (Some(name), Some(text)) = (name, text) {
            pairs.push((name.to_owned(), text.replace("&amp;", "&")));
        }
    }
    Posted::new(pairs)
}

fn pages(c: &mut Criterion) {
    let registry = Registry::load().expect("forms load");
    let rules = RuleContext::default();
    // The largest form by sample size, and its section with the most to show.
    let body = sample("rapid-review/valid/kscp-2026-014-lcspr.json");
    let form = registry.get("rapid-review").expect("the form");
    let fields = Fields { form };
    let shown = Shown::default();
    let largest = form
        .annotations()
        .sections
        .iter()
        .max_by_key(|section| {
            let mut out = String::new();
            fields.render_section(&mut out, &section.fields, &body, &shown);
            out.len()
        })
        .expect("sections")
        .clone();
    let chrome = Chrome {
        partnership: "Kent Safeguarding Children Multi-Agency Partnership",
        signed_in: Some("Sam Tester"),
        csrf: Some("0123456789abcdef"),
        back: Some("/"),
    };
    c.bench_function(
        "web: largest section of the rapid review, whole page",
        |b| {
            b.iter(|| {
                let mut main = String::with_capacity(32 * 1024);
                fields.render_section(&mut main, &largest.fields, &body, &shown);
                html::page(&chrome, &largest.title, false, &main)
            });
        },
    );
    c.bench_function(
        "web: check your answers of the rapid review, validated, whole page",
        |b| {
            b.iter(|| {
                let report = validate_form(form, &body, &rules);
                let (main, errors) = render_check(form, "KSCP-2026-014", &body, &report, "token");
                html::page(&chrome, "Check your answers", errors, &main)
            });
        },
    );
    let mut rendered = String::new();
    fields.render_section(&mut rendered, &largest.fields, &body, &shown);
    c.bench_function(
        "web: the largest section's answers read back from a post",
        |b| {
            b.iter(|| {
                let posted = posted_from(&rendered);
                let mut read = body.clone();
                fields.read_section(&largest.fields, &posted, &mut read);
                read
            });
        },
    );
}

criterion_group!(benches, pages);
criterion_main!(benches);
