//! People who sign in through the web pages: invitations with one-time sign-in links, sessions,
//! and the drafts they keep. Codes and cookie secrets are random from the operating system and
//! stored only as SHA-256 hashes, like access tokens.

use serde::Serialize;
use serde_json::Value;

use super::token::{hex, sha256_hex};
use super::{AuditEvent, Role, StoreError};

/// The store's part for people: invitations, sessions and drafts (a supertrait of
/// [`Store`](super::Store), so every store has it).
#[async_trait::async_trait]
pub trait People: Send + Sync {
    /// Invites a person; returns the invitation and the one-time code of its sign-in link
    /// (shown once; only its hash is kept). Audited in the same transaction.
    async fn create_invitation(
        &self,
        new: NewInvitation,
        audit: &AuditEvent,
    ) -> Result<(Invitation, String), StoreError>;
    /// The invitation a sign-in code belongs to, used or not.
    async fn invitation(&self, code: &str) -> Result<Option<Invitation>, StoreError>;
    /// Every invitation, oldest first.
    async fn invitations(&self) -> Result<Vec<Invitation>, StoreError>;
    /// Uses a sign-in code: starts a new session and returns it with the cookie value, or
    /// `None` when the code is unknown, used or expired. Only one request can use a code.
    async fn redeem_invitation(
        &self,
        code: &str,
        limits: SessionLimits,
        audit: &AuditEvent,
    ) -> Result<Option<(Session, String)>, StoreError>;
    /// The session a cookie value belongs to, whether or not it still works.
    async fn session(&self, cookie: &str) -> Result<Option<Session>, StoreError>;
    /// Sessions that still work.
    async fn sessions(&self) -> Result<Vec<Session>, StoreError>;
    /// Moves a session's idle end.
    async fn touch_session(&self, id: &str, idle_until: &str) -> Result<(), StoreError>;
    /// Ends a session (sign-out or revocation); whether it was running. Audited.
    async fn end_session(&self, id: &str, audit: &AuditEvent) -> Result<bool, StoreError>;
    /// Revokes a person: ends every session of theirs and voids their sign-in link if it is
    /// unused, with `audit`, in one transaction. Returns the number of sessions ended.
    async fn revoke_person(&self, person: &str, audit: &AuditEvent) -> Result<u64, StoreError>;
    /// Saves a draft, replacing the last one of its case, form and owner. Audited (without its
    /// content: the hash of it).
    async fn save_draft(&self, draft: &Draft, audit: &AuditEvent) -> Result<(), StoreError>;
    /// Saves a draft only over the one its writer started from: the draft saved at `since`,
    /// or none (`None`). Whether it was saved: `false` when another was saved in between
    /// (checked and written in one statement, so two writers cannot both pass). Audited when
    /// saved.
    async fn save_draft_over(
        &self,
        draft: &Draft,
        since: Option<&str>,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError>;
    /// The draft of a case, form and owner.
    async fn draft(&self, case: &str, form: &str, owner: &str)
    -> Result<Option<Draft>, StoreError>;
    /// Every draft of a case.
    async fn drafts(&self, case: &str) -> Result<Vec<Draft>, StoreError>;
    /// Removes a draft once it has been sent.
    async fn delete_draft(&self, case: &str, form: &str, owner: &str) -> Result<(), StoreError>;
}

/// How long an unused sign-in link works.
pub const INVITATION_DAYS: i64 = 7;

/// A person invited to sign in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// The invitation's id: the person's id in the audit log (`person:<id>`).
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their work email address.
    pub email: String,
    /// Their role.
    pub role: Role,
    /// Their agency's id (agency users only).
    pub agency: Option<String>,
    /// Their agency's name (agency users only).
    pub agency_name: Option<String>,
}

/// An invitation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitation {
    /// Who is invited.
    pub person: Person,
    /// When (RFC 3339, UTC).
    pub created_at: String,
    /// By whom (a principal id).
    pub created_by: String,
    /// When the link stops working.
    pub expires_at: String,
    /// When it was used, if it was.
    pub used_at: Option<String>,
}

/// An invitation to make.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    /// Their name.
    pub name: String,
    /// Their work email address.
    pub email: String,
    /// Their role.
    pub role: Role,
    /// Their agency's id and name (agency users only).
    pub agency: Option<(String, String)>,
    /// Who is inviting (a principal id).
    pub created_by: String,
}

/// How long sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// Ended after this long without a request.
    pub idle: chrono::Duration,
    /// Ended this long after sign-in, however busy.
    pub absolute: chrono::Duration,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            idle: chrono::Duration::minutes(30),
            absolute: chrono::Duration::hours(12),
        }
    }
}

/// A signed-in person's session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The session's public id.
    pub id: String,
    /// Who.
    pub person: Person,
    /// When it started.
    pub created_at: String,
    /// When it ends unless used again.
    pub idle_until: String,
    /// When it ends whatever happens.
    pub expires_at: String,
    /// When it was ended (sign-out or revoked), if it was.
    pub ended_at: Option<String>,
}

impl Session {
    /// Whether the session works at `now` (RFC 3339, UTC).
    pub fn usable_at(&self, now: &str) -> bool {
        self.ended_at.is_none() && now < self.idle_until.as_str() && now < self.expires_at.as_str()
    }
}

/// A form half filled in on the pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The case reference, or '' for a draft of no case (the yearly report's answers).
    pub case: String,
    /// The form id.
    pub form: String,
    /// The agency whose draft it is, or '' for the partnership's and reviewers' forms.
    pub owner: String,
    /// The answers so far, as the submission's JSON.
    pub body: Value,
    /// When it was last saved.
    pub updated_at: String,
    /// By whom (a principal id).
    pub updated_by: String,
}

/// A new random secret and its public id: `<id>.<secret>` is what the person holds.
#[derive(Debug)]
pub struct Secret {
    /// The public id.
    pub id: String,
    /// What the person holds: `<id>.<secret>`.
    pub whole: String,
    /// SHA-256 of the secret part, hex.
    pub sha256: String,
}

/// Makes a new random id and secret.
pub fn secret() -> Result<Secret, StoreError> {
    let mut id = [0u8; 8];
    let mut secret = [0u8; 32];
    getrandom::fill(&mut id)
        .and_then(|()| getrandom::fill(&mut secret))
        .map_err(|e| StoreError::Invalid(format!("No randomness available: {e}")))?;
    let id = hex(&id);
    let secret = hex(&secret);
    Ok(Secret {
        whole: format!("{id}.{secret}"),
        sha256: sha256_hex(secret.as_bytes()),
        id,
    })
}

/// Splits what a person holds into its id and secret, if it has the right shape.
pub fn split(whole: &str) -> Option<(&str, &str)> {
    let (id, secret) = whole.split_once('.')?;
    let hexish = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hexish(id, 16) && hexish(secret, 64)).then_some((id, secret))
}

/// RFC 3339 (UTC) of a moment, as the store writes times.
pub fn at(moment: chrono::DateTime<chrono::Utc>) -> String {
    moment.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub(super) const INSERT_INVITATION: &str = "INSERT INTO invitations \
       (id, code_sha256, name, email, role, agency, agency_name, created_at, created_by, expires_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

pub(super) const INVITATION_BY_ID: &str = "SELECT id, code_sha256, name, email, role, agency, \
     agency_name, created_at, created_by, expires_at, used_at FROM invitations WHERE id = $1";

pub(super) const ALL_INVITATIONS: &str = "SELECT id, code_sha256, name, email, role, agency, \
     agency_name, created_at, created_by, expires_at, used_at FROM invitations ORDER BY created_at";

/// Uses an invitation: only one request can, and only before it expires.
pub(super) const USE_INVITATION: &str =
    "UPDATE invitations SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2";

pub(super) const INSERT_SESSION: &str = "INSERT INTO sessions \
       (id, secret_sha256, invitation, created_at, idle_until, expires_at) \
     VALUES ($1, $2, $3, $4, $5, $6)";

pub(super) const SESSION_BY_ID: &str = "SELECT s.id, s.secret_sha256, s.created_at, s.idle_until, \
       s.expires_at, s.ended_at, i.id AS person_id, i.name, i.email, i.role, i.agency, i.agency_name \
     FROM sessions s JOIN invitations i ON i.id = s.invitation WHERE s.id = $1";

pub(super) const ACTIVE_SESSIONS: &str = "SELECT s.id, s.secret_sha256, s.created_at, s.idle_until, \
       s.expires_at, s.ended_at, i.id AS person_id, i.name, i.email, i.role, i.agency, i.agency_name \
     FROM sessions s JOIN invitations i ON i.id = s.invitation \
     WHERE s.ended_at IS NULL AND s.idle_until > $1 AND s.expires_at > $1 ORDER BY s.created_at";

pub(super) const TOUCH_SESSION: &str =
    "UPDATE sessions SET idle_until = $2 WHERE id = $1 AND ended_at IS NULL";

pub(super) const END_SESSION: &str =
    "UPDATE sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL";

pub(super) const END_SESSIONS_OF: &str =
    "UPDATE sessions SET ended_at = $2 WHERE invitation = $1 AND ended_at IS NULL";

pub(super) const VOID_INVITATION: &str =
    "UPDATE invitations SET expires_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2";

pub(super) const UPSERT_DRAFT: &str = "INSERT INTO drafts \
       (case_id, form, owner, body, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT (case_id, form, owner) DO UPDATE SET body = excluded.body, \
       updated_at = excluded.updated_at, updated_by = excluded.updated_by";

pub(super) const INSERT_NEW_DRAFT: &str = "INSERT INTO drafts \
       (case_id, form, owner, body, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT (case_id, form, owner) DO NOTHING";

pub(super) const UPDATE_DRAFT_SAVED_AT: &str = "UPDATE drafts \
     SET body = $4, updated_at = $5, updated_by = $6 \
     WHERE case_id = $1 AND form = $2 AND owner = $3 AND updated_at = $7";

pub(super) const DRAFT: &str = "SELECT case_id, form, owner, body, updated_at, updated_by \
     FROM drafts WHERE case_id = $1 AND form = $2 AND owner = $3";

pub(super) const DRAFTS_OF_CASE: &str = "SELECT case_id, form, owner, body, updated_at, updated_by \
     FROM drafts WHERE case_id = $1";

pub(super) const DELETE_DRAFT: &str =
    "DELETE FROM drafts WHERE case_id = $1 AND form = $2 AND owner = $3";

/// The audit entry of a draft saved: `audit` with what was written (its form, its owner and the
/// SHA-256 of its answers, never the answers).
pub(super) fn draft_saved(draft: &Draft, body: &str, audit: &AuditEvent) -> AuditEvent {
    let mut event = audit.clone();
    event.detail = format!(
        "draft of {}{} saved, sha256 {}",
        draft.form,
        if draft.owner.is_empty() {
            String::new()
        } else {
            format!(" for {}", draft.owner)
        },
        sha256_hex(body.as_bytes())
    );
    event
}

/// The `Store` methods for people, sessions and drafts, for `sql_store!`: written once for
/// both databases (the SQL above is the same in both dialects).
macro_rules! people_methods {
    ($store:ty, $begin:expr) => {
        #[async_trait::async_trait]
        impl People for $store {
            async fn create_invitation(
                &self,
                new: NewInvitation,
                audit: &AuditEvent,
            ) -> Result<(Invitation, String), StoreError> {
                let name = new.name.trim().to_owned();
                let email = new.email.trim().to_owned();
                if name.is_empty() || email.is_empty() {
                    return Err(StoreError::Invalid(
                        "An invitation needs the person's name and email address.".into(),
                    ));
                }
                let agency = new
                    .agency
                    .as_ref()
                    .map(|(id, name)| (id.trim().to_owned(), name.trim().to_owned()))
                    .filter(|(id, _)| !id.is_empty());
                match (new.role, &agency) {
                    (Role::Agency, None) => {
                        return Err(StoreError::Invalid(
                            "An agency user needs the agency they work for.".into(),
                        ));
                    }
                    (Role::Agency, Some(_)) | (_, None) => {}
                    (role, Some(_)) => {
                        return Err(StoreError::Invalid(format!(
                            "Only agency users belong to an agency; a {role} user does not."
                        )));
                    }
                }
                let code = people::secret()?;
                let created = chrono::Utc::now();
                let expires_at =
                    people::at(created + chrono::Duration::days(people::INVITATION_DAYS));
                let mut tx = self.pool.begin_with($begin).await?;
                sqlx::query(people::INSERT_INVITATION)
                    .bind(&code.id)
                    .bind(&code.sha256)
                    .bind(&name)
                    .bind(&email)
                    .bind(new.role.as_str())
                    .bind(agency.as_ref().map(|a| a.0.as_str()).unwrap_or_default())
                    .bind(agency.as_ref().map(|a| a.1.as_str()).unwrap_or_default())
                    .bind(people::at(created))
                    .bind(&new.created_by)
                    .bind(&expires_at)
                    .execute(&mut *tx)
                    .await?;
                let mut event = audit.clone();
                event.detail = format!(
                    "invitation {} ({}{})",
                    code.id,
                    new.role,
                    agency
                        .as_ref()
                        .map(|a| format!(", {}", a.0))
                        .unwrap_or_default()
                );
                self.append_audit(&mut tx, &event).await?;
                tx.commit().await?;
                let invitation = Invitation {
                    person: Person {
                        id: code.id,
                        name,
                        email,
                        role: new.role,
                        agency: agency.as_ref().map(|a| a.0.clone()),
                        agency_name: agency.map(|a| a.1),
                    },
                    created_at: people::at(created),
                    created_by: new.created_by,
                    expires_at,
                    used_at: None,
                };
                Ok((invitation, code.whole))
            }

            async fn invitation(&self, code: &str) -> Result<Option<Invitation>, StoreError> {
                let Some((id, secret)) = people::split(code) else {
                    return Ok(None);
                };
                let row = sqlx::query(people::INVITATION_BY_ID)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(row) = row else { return Ok(None) };
                let stored: String = row.try_get("code_sha256")?;
                if !token::same(&stored, &token::sha256_hex(secret.as_bytes())) {
                    return Ok(None);
                }
                Ok(Some(invitation_from(&row)?))
            }

            async fn invitations(&self) -> Result<Vec<Invitation>, StoreError> {
                let rows = sqlx::query(people::ALL_INVITATIONS)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(invitation_from).collect()
            }

            async fn redeem_invitation(
                &self,
                code: &str,
                limits: SessionLimits,
                audit: &AuditEvent,
            ) -> Result<Option<(Session, String)>, StoreError> {
                let Some(invitation) = self.invitation(code).await? else {
                    return Ok(None);
                };
                let started = chrono::Utc::now();
                let secret = people::secret()?;
                let mut tx = self.pool.begin_with($begin).await?;
                let used = sqlx::query(people::USE_INVITATION)
                    .bind(&invitation.person.id)
                    .bind(people::at(started))
                    .execute(&mut *tx)
                    .await?;
                if used.rows_affected() != 1 {
                    return Ok(None);
                }
                let session = Session {
                    id: secret.id.clone(),
                    person: invitation.person,
                    created_at: people::at(started),
                    idle_until: people::at(started + limits.idle),
                    expires_at: people::at(started + limits.absolute),
                    ended_at: None,
                };
                sqlx::query(people::INSERT_SESSION)
                    .bind(&session.id)
                    .bind(&secret.sha256)
                    .bind(&session.person.id)
                    .bind(&session.created_at)
                    .bind(&session.idle_until)
                    .bind(&session.expires_at)
                    .execute(&mut *tx)
                    .await?;
                let mut event = audit.clone();
                event.principal = format!("person:{}", session.person.id);
                event.role = session.person.role;
                event.agency.clone_from(&session.person.agency);
                event.detail = format!("signed in, session {}", session.id);
                self.append_audit(&mut tx, &event).await?;
                tx.commit().await?;
                Ok(Some((session, secret.whole)))
            }

            async fn session(&self, cookie: &str) -> Result<Option<Session>, StoreError> {
                let Some((id, secret)) = people::split(cookie) else {
                    return Ok(None);
                };
                let row = sqlx::query(people::SESSION_BY_ID)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(row) = row else { return Ok(None) };
                let stored: String = row.try_get("secret_sha256")?;
                if !token::same(&stored, &token::sha256_hex(secret.as_bytes())) {
                    return Ok(None);
                }
                Ok(Some(session_from(&row)?))
            }

            async fn sessions(&self) -> Result<Vec<Session>, StoreError> {
                let rows = sqlx::query(people::ACTIVE_SESSIONS)
                    .bind(now())
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(session_from).collect()
            }

            async fn touch_session(&self, id: &str, idle_until: &str) -> Result<(), StoreError> {
                sqlx::query(people::TOUCH_SESSION)
                    .bind(id)
                    .bind(idle_until)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn end_session(&self, id: &str, audit: &AuditEvent) -> Result<bool, StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let ended = sqlx::query(people::END_SESSION)
                    .bind(id)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                let mut event = audit.clone();
                event.detail = format!("session {} ended", id.chars().take(16).collect::<String>());
                self.append_audit(&mut tx, &event).await?;
                tx.commit().await?;
                Ok(ended.rows_affected() == 1)
            }

            async fn revoke_person(
                &self,
                person: &str,
                audit: &AuditEvent,
            ) -> Result<u64, StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let at = now();
                let ended = sqlx::query(people::END_SESSIONS_OF)
                    .bind(person)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                let voided = sqlx::query(people::VOID_INVITATION)
                    .bind(person)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                let mut event = audit.clone();
                event.detail = format!(
                    "person {} revoked: {ended} session(s) ended{}",
                    person.chars().take(32).collect::<String>(),
                    if voided == 1 {
                        ", sign-in link voided"
                    } else {
                        ""
                    }
                );
                self.append_audit(&mut tx, &event).await?;
                tx.commit().await?;
                Ok(ended)
            }

            async fn save_draft(
                &self,
                draft: &Draft,
                audit: &AuditEvent,
            ) -> Result<(), StoreError> {
                let body = serde_json::to_string(&draft.body)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                let mut tx = self.pool.begin_with($begin).await?;
                sqlx::query(people::UPSERT_DRAFT)
                    .bind(&draft.case)
                    .bind(&draft.form)
                    .bind(&draft.owner)
                    .bind(&body)
                    .bind(&draft.updated_at)
                    .bind(&draft.updated_by)
                    .execute(&mut *tx)
                    .await?;
                self.append_audit(&mut tx, &people::draft_saved(draft, &body, audit))
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn save_draft_over(
                &self,
                draft: &Draft,
                since: Option<&str>,
                audit: &AuditEvent,
            ) -> Result<bool, StoreError> {
                let body = serde_json::to_string(&draft.body)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                let mut tx = self.pool.begin_with($begin).await?;
                let query = match since {
                    None => sqlx::query(people::INSERT_NEW_DRAFT),
                    Some(_) => sqlx::query(people::UPDATE_DRAFT_SAVED_AT),
                };
                let mut query = query
                    .bind(&draft.case)
                    .bind(&draft.form)
                    .bind(&draft.owner)
                    .bind(&body)
                    .bind(&draft.updated_at)
                    .bind(&draft.updated_by);
                if let Some(since) = since {
                    query = query.bind(since);
                }
                if query.execute(&mut *tx).await?.rows_affected() == 0 {
                    return Ok(false);
                }
                self.append_audit(&mut tx, &people::draft_saved(draft, &body, audit))
                    .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn draft(
                &self,
                case: &str,
                form: &str,
                owner: &str,
            ) -> Result<Option<Draft>, StoreError> {
                let row = sqlx::query(people::DRAFT)
                    .bind(case)
                    .bind(form)
                    .bind(owner)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(draft_from).transpose()
            }

            async fn drafts(&self, case: &str) -> Result<Vec<Draft>, StoreError> {
                let rows = sqlx::query(people::DRAFTS_OF_CASE)
                    .bind(case)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(draft_from).collect()
            }

            async fn delete_draft(
                &self,
                case: &str,
                form: &str,
                owner: &str,
            ) -> Result<(), StoreError> {
                sqlx::query(people::DELETE_DRAFT)
                    .bind(case)
                    .bind(form)
                    .bind(owner)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    };
}

/// Row readers for `people_methods!`.
macro_rules! people_rows {
    () => {
        fn person_from<R: sqlx::Row>(row: &R, id: &str) -> Result<Person, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(Person {
                id: row.try_get(id)?,
                name: row.try_get("name")?,
                email: row.try_get("email")?,
                role: row.try_get::<String, _>("role")?.parse()?,
                agency: non_empty(row.try_get("agency")?),
                agency_name: non_empty(row.try_get("agency_name")?),
            })
        }

        fn invitation_from<R: sqlx::Row>(row: &R) -> Result<Invitation, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(Invitation {
                person: person_from(row, "id")?,
                created_at: row.try_get("created_at")?,
                created_by: row.try_get("created_by")?,
                expires_at: row.try_get("expires_at")?,
                used_at: row.try_get("used_at")?,
            })
        }

        fn session_from<R: sqlx::Row>(row: &R) -> Result<Session, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(Session {
                id: row.try_get("id")?,
                person: person_from(row, "person_id")?,
                created_at: row.try_get("created_at")?,
                idle_until: row.try_get("idle_until")?,
                expires_at: row.try_get("expires_at")?,
                ended_at: row.try_get("ended_at")?,
            })
        }

        fn draft_from<R: sqlx::Row>(row: &R) -> Result<Draft, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(Draft {
                case: row.try_get("case_id")?,
                form: row.try_get("form")?,
                owner: row.try_get("owner")?,
                body: json(&row.try_get::<String, _>("body")?)?,
                updated_at: row.try_get("updated_at")?,
                updated_by: row.try_get("updated_by")?,
            })
        }
    };
}

pub(super) use {people_methods, people_rows};
