//! `safeguarding-forms token create|list|revoke`: tokens made, listed and revoked from the
//! command line, each change audited like one made over HTTP (as the command line, role admin).

use std::process::ExitCode;
use std::sync::Arc;

use safeguarding_forms::http::tokens::expiry;
use safeguarding_forms::store::{self, AuditEvent, NewInvitation, NewToken, Role, Store};

use super::{CliError, Database};

/// Who the audit log names for changes made from the command line.
pub(super) const COMMAND_LINE: &str = "command line";

/// Runs `work` on a one-thread runtime against the store `db` names.
pub(super) fn with_store<T>(
    db: &Database,
    work: impl AsyncFnOnce(Arc<dyn Store>) -> Result<T, CliError>,
) -> Result<T, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Serve)?;
    runtime.block_on(async {
        let store = super::serve::open_store(db).await?;
        work(store).await
    })
}

fn event(action: &str) -> AuditEvent {
    AuditEvent {
        principal: COMMAND_LINE.to_owned(),
        role: Role::Admin,
        agency: None,
        action: action.to_owned(),
        case: String::new(),
        outcome: "ok".to_owned(),
        detail: String::new(),
    }
}

/// Creates a token in the database and prints it; only its hash is kept.
pub fn create(
    db: &Database,
    role: &str,
    agency: Option<&str>,
    days: u32,
) -> Result<ExitCode, CliError> {
    let role: Role = role.parse()?;
    let expires_at = expiry(days).map_err(|problem| CliError::Usage(problem.detail))?;
    with_store(db, async |store| {
        let new = NewToken {
            role,
            agency: agency.map(str::to_owned),
            created_by: COMMAND_LINE.to_owned(),
            expires_at: Some(expires_at),
        };
        let (token, bearer) = store.create_token(new, &event("token create")).await?;
        eprintln!(
            "Created a {} token (id {}{}), valid until {}. It is shown only this once: keep it safe.",
            token.role,
            token.id,
            token
                .agency
                .as_deref()
                .map(|a| format!(", agency {a}"))
                .unwrap_or_default(),
            token.expires_at.as_deref().unwrap_or("it is revoked"),
        );
        println!("{bearer}");
        Ok(ExitCode::SUCCESS)
    })
}

/// Prints every token, one a line.
pub fn list(db: &Database) -> Result<ExitCode, CliError> {
    with_store(db, async |store| {
        let now = store::now();
        println!(
            "{:<17} {:<12} {:<28} {:<14} {:<12} status",
            "id", "role", "agency", "made by", "expires"
        );
        for token in store.tokens().await? {
            let status = if token.revoked_at.is_some() {
                "revoked"
            } else if token.usable_at(&now) {
                "active"
            } else {
                "expired"
            };
            println!(
                "{:<17} {:<12} {:<28} {:<14} {:<12} {status}",
                token.id,
                token.role.as_str(),
                token.agency.as_deref().unwrap_or("-"),
                token.created_by.chars().take(14).collect::<String>(),
                token
                    .expires_at
                    .as_deref()
                    .map_or("never", |end| end.get(..10).unwrap_or(end)),
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Revokes a token.
pub fn revoke(db: &Database, id: &str) -> Result<ExitCode, CliError> {
    with_store(db, async |store| {
        let token = store.revoke_token(id, &event("token revoke")).await?;
        eprintln!("Revoked the {} token {}.", token.role, token.id);
        Ok(ExitCode::SUCCESS)
    })
}

/// A person to invite from the command line.
pub struct Invite {
    /// Their full name.
    pub name: String,
    /// Their work email address.
    pub email: String,
    /// Their role's name.
    pub role: String,
    /// An agency user's agency id and name.
    pub agency: Option<(String, String)>,
    /// The address people open the service at.
    pub url: String,
}

/// Invites a person and prints their one-time sign-in link.
pub fn invite(db: &Database, invite: &Invite) -> Result<ExitCode, CliError> {
    let role: Role = invite.role.parse()?;
    with_store(db, async |store| {
        let new = NewInvitation {
            name: invite.name.clone(),
            email: invite.email.clone(),
            role,
            agency: invite.agency.clone(),
            created_by: COMMAND_LINE.to_owned(),
        };
        let (invitation, code) = store.create_invitation(new, &event("invite")).await?;
        eprintln!(
            "Invited {} ({role}). Pass on this sign-in link; it works once, until {}:",
            invitation.person.name, invitation.expires_at
        );
        println!("{}/sign-in/{code}", invite.url.trim_end_matches('/'));
        Ok(ExitCode::SUCCESS)
    })
}
