//! Typed path parameters that check themselves, and the one extractor that loads a case and
//! authorises the principal for it: a handler that takes an [`OpenCase`] can only run for a
//! case the principal may act on.

use std::collections::HashMap;
use std::marker::PhantomData;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use super::AppState;
use super::auth::{Action, Principal};
use super::problem::Problem;
use crate::assemble::DocumentKind;
use crate::store::{Case, Role};

/// The route's path parameters, by name.
async fn params(parts: &mut Parts, state: &AppState) -> Result<HashMap<String, String>, Problem> {
    let Path(values) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map_err(|_| {
            Problem::bad_request(
                "This address could not be read. Check the case reference or form id in it.",
            )
        })?;
    Ok(values)
}

/// Whether a case reference is one the service could have issued: letters, digits and hyphens,
/// at most 64. Anything else (slashes, dots, `..%2f`) is refused before it reaches the store.
pub fn is_case_reference(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !id.starts_with('-')
}

/// Whether an agency id has the shape the service uses: a case reference's characters, lower
/// case (`kent-police`).
pub fn is_agency_id(id: &str) -> bool {
    is_case_reference(id) && !id.bytes().any(|b| b.is_ascii_uppercase())
}

/// A case reference from the address (`/cases/{id}`), one the service could have issued;
/// anything else is "no such case".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRef(pub String);

impl FromRequestParts<AppState> for CaseRef {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let id = params(parts, state).await?.remove("id").unwrap_or_default();
        if is_case_reference(&id) {
            Ok(CaseRef(id))
        } else {
            Err(Problem::no_case(&id))
        }
    }
}

/// The id of a form the service knows, from the address (`/forms/{id}` or
/// `/cases/{id}/forms/{form}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormRef(pub String);

impl FromRequestParts<AppState> for FormRef {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let mut values = params(parts, state).await?;
        let id = values
            .remove("form")
            .or_else(|| values.remove("id"))
            .unwrap_or_default();
        let form = state
            .registry
            .require(&id)
            .map_err(|error| Problem::not_found(error.to_string()))?;
        Ok(FormRef(form.id().to_owned()))
    }
}

/// A document a case can produce, from the address (`/cases/{id}/documents/{kind}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentRef(pub DocumentKind);

impl FromRequestParts<AppState> for DocumentRef {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let slug = params(parts, state)
            .await?
            .remove("kind")
            .unwrap_or_default();
        DocumentKind::from_slug(&slug)
            .map(DocumentRef)
            .ok_or_else(|| {
                let kinds: Vec<&str> = DocumentKind::ALL.iter().map(|kind| kind.slug()).collect();
                Problem::not_found(format!(
                    "There is no such document: use {}.",
                    kinds.join(", ")
                ))
            })
    }
}

/// A submission's number, from the address (`/cases/{id}/submissions/{n}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubmissionId(pub i64);

impl FromRequestParts<AppState> for SubmissionId {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let text = params(parts, state).await?.remove("n").unwrap_or_default();
        text.parse().map(SubmissionId).map_err(|_| {
            let shown: String = text.chars().take(20).collect();
            Problem::not_found(format!(
                "There is no submission \"{shown}\" on this case: submissions are numbered 1, 2, 3 ..."
            ))
        })
    }
}

/// What a route does to a case, as a type, so that [`OpenCase`] checks it.
pub trait CaseAction: Send + Sync {
    /// The action in the policy table.
    const ACTION: Action;
}

macro_rules! case_actions {
    ($($(#[$doc:meta])* $name:ident => $action:ident;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug)]
            pub struct $name;
            impl CaseAction for $name {
                const ACTION: Action = Action::$action;
            }
        )*
    };
}

case_actions! {
    /// Read a case.
    ReadCase => ReadCase;
    /// Ask agencies for returns.
    AskAgencies => AskAgencies;
    /// Assign a reviewer.
    AssignReviewer => AssignReviewer;
    /// Send a form to a case (or fetch a blank one to fill in).
    Submit => Submit;
    /// Read a case's submissions.
    ReadSubmissions => ReadSubmissions;
    /// Produce a case's documents.
    ReadDocument => ReadDocument;
    /// Read a case's audit log.
    ReadAudit => ReadAudit;
    /// Check a draft report against a case.
    CheckReport => CheckReport;
}

/// A case the principal may take action `A` on, loaded. Agencies and reviewers are checked for
/// visibility before the role, so a case an agency was not asked about, or a reviewer not
/// assigned to, is 404 whatever the route: even its existence does not leak.
#[derive(Debug)]
pub struct OpenCase<A> {
    /// Who is asking.
    pub principal: Principal,
    /// The case.
    pub case: Case,
    action: PhantomData<A>,
}

impl<A: CaseAction> FromRequestParts<AppState> for OpenCase<A> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let principal = Principal::from_request_parts(parts, state).await?;
        let CaseRef(id) = CaseRef::from_request_parts(parts, state).await?;
        let case = open_case(state, &principal, &id, A::ACTION).await?;
        Ok(OpenCase {
            principal,
            case,
            action: PhantomData,
        })
    }
}

/// The case a principal asked for, if it exists and the principal may take `action` on it.
pub(crate) async fn open_case(
    state: &AppState,
    principal: &Principal,
    id: &str,
    action: Action,
) -> Result<Case, Problem> {
    let scoped = matches!(principal.role, Role::Agency | Role::Reviewer);
    if !scoped {
        principal.require(action)?;
    }
    if !is_case_reference(id) {
        return Err(Problem::no_case(id));
    }
    let case = state
        .store
        .case(id)
        .await?
        .ok_or_else(|| Problem::no_case(id))?;
    let visible = match principal.role {
        Role::Agency => state
            .store
            .agencies(id)
            .await?
            .iter()
            .any(|a| Some(&a.id) == principal.agency.as_ref()),
        Role::Reviewer => state.store.reviewers(id).await?.contains(&principal.id),
        _ => true,
    };
    if !visible {
        return Err(Problem::no_case(id));
    }
    if scoped {
        principal.require(action)?;
    }
    Ok(case)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_references_refuse_path_tricks() {
        assert!(is_case_reference("KSCP-2026-014"));
        for bad in ["", "../etc", "..%2f", "a/b", "-x", "a b", &"x".repeat(65)] {
            assert!(!is_case_reference(bad), "{bad}");
        }
    }
}
