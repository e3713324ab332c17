//! The OpenAPI document, generated from the route annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    actions, cases, documents, forms, problem, progress, reports, timeliness, tokens, yearly,
};
use crate::store;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The service's API.
#[derive(OpenApi)]
#[openapi(
    info(title = "safeguarding-forms", description = "Statutory child safeguarding practice review forms: cases, agency returns, drafts on demand."),
    paths(
        super::healthz,
        forms::list, forms::schema, forms::validate, documents::render_form,
        cases::create, cases::list, cases::read, cases::ask, cases::assign_reviewer, cases::submit,
        cases::submissions, cases::submission, cases::audit, documents::case_document,
        reports::check, reports::check_case, reports::blank_form, reports::case_blank_form,
        tokens::create, tokens::list, tokens::revoke, tokens::verify_audit,
        actions::list, actions::read, actions::update, actions::add, timeliness::timeliness,
        yearly::yearly, yearly::check,
    ),
    components(schemas(
        problem::Problem, store::Case, store::AgencyAsked, store::AuditEntry, store::Submission,
        store::Role, store::Origin, store::SubmissionStatus,
        cases::Referral, cases::AgencyRef, cases::SubmissionMeta, cases::Receipt,
        cases::CaseLine, cases::CaseView, cases::AgencyReturn, progress::LatestFindings,
        cases::AskAgencies, cases::AssignReviewer, tokens::NewToken, tokens::IssuedToken,
        store::Token, actions::ActionView,
    )),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

/// GET /openapi.json.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
