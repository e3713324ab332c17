//! The case store: cases, the agencies asked for summaries, every version of every submission,
//! an append-only hash-chained audit log and hashed access tokens.
//!
//! One [`Store`] trait with two implementations: SQLite, the embedded default, and PostgreSQL,
//! so several stateless service instances can share one database. [`open`] picks one by URL.

pub mod actions;
pub mod group_commit;
pub mod people;
mod postgres;
pub mod seal;
mod sql;
mod sqlite;
pub mod token;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

pub use actions::{Actions, StoredAction};
pub use people::{Draft, Invitation, NewInvitation, People, Person, Session, SessionLimits};
pub use postgres::PostgresStore;
pub use seal::AuditKey;
pub use sql::audit_hash;
pub use sqlite::SqliteStore;

/// The roles a token can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// One agency's single point of contact: submits and reads its own returns.
    Agency,
    /// The partnership team: everything on cases.
    Partnership,
    /// An independent reviewer: final reports and their checks.
    Reviewer,
    /// Administers tokens and configuration.
    Admin,
}

impl Role {
    /// Every role, for tables and tests.
    pub const ALL: [Role; 4] = [Role::Agency, Role::Partnership, Role::Reviewer, Role::Admin];

    /// The role's name as stored and typed.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agency => "agency",
            Role::Partnership => "partnership",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = StoreError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == name.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "\"{name}\" is not a role: use agency, partnership, reviewer or admin."
                ))
            })
    }
}

/// How a case came to the partnership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// A CSPRP serious incident notification from the local authority.
    Notification,
    /// An agency's referral of a case that need not be notified.
    Referral,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Notification => "notification",
            Origin::Referral => "referral",
        }
    }

    fn parse(name: &str) -> Result<Self, StoreError> {
        match name {
            "notification" => Ok(Origin::Notification),
            "referral" => Ok(Origin::Referral),
            other => Err(StoreError::Corrupt(format!(
                "unknown case origin {other:?}"
            ))),
        }
    }
}

/// Whether a stored submission passed validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SubmissionStatus {
    /// No errors: counts as received.
    Valid,
    /// Has errors: kept, with its report, until a corrected version arrives.
    Draft,
}

impl SubmissionStatus {
    /// The status's name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Valid => "valid",
            SubmissionStatus::Draft => "draft",
        }
    }

    fn parse(name: &str) -> Result<Self, StoreError> {
        match name {
            "valid" => Ok(SubmissionStatus::Valid),
            "draft" => Ok(SubmissionStatus::Draft),
            other => Err(StoreError::Corrupt(format!(
                "unknown submission status {other:?}"
            ))),
        }
    }
}

/// A case as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Case {
    /// The case reference, e.g. `KSCP-2026-014`.
    pub id: String,
    /// Notification or referral.
    pub origin: Origin,
    /// The day the local authority became aware of the incident, when known.
    pub aware_date: Option<chrono::NaiveDate>,
    /// When the case was opened (RFC 3339, UTC).
    pub created_at: String,
    /// The token id that opened it.
    pub created_by: String,
}

/// What is needed to open a case.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// The case reference.
    pub id: String,
    /// Notification or referral.
    pub origin: Origin,
    /// The day the local authority became aware, when known.
    pub aware_date: Option<chrono::NaiveDate>,
    /// The token id opening it.
    pub created_by: String,
}

/// An agency asked for a summary on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AgencyAsked {
    /// The agency id, e.g. `kent-police`.
    pub id: String,
    /// The agency's name.
    pub name: String,
    /// When it was asked (RFC 3339, UTC).
    pub asked_at: String,
    /// The token id that asked.
    pub asked_by: String,
}

/// One version of one submission, never changed once stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Submission {
    /// The store's id for this version.
    pub id: i64,
    /// The case reference.
    pub case: String,
    /// The form id.
    pub form: String,
    /// 1 for the first upload of this form by this agency on this case, then 2, 3...
    pub version: i64,
    /// The submitting agency, if the form belongs to one.
    pub agency: Option<String>,
    /// Valid or draft.
    pub status: SubmissionStatus,
    /// The validation report, as JSON.
    pub report: Value,
    /// The submission itself.
    pub body: Value,
    /// When it arrived (RFC 3339, UTC).
    pub created_at: String,
    /// The token id that uploaded it.
    pub created_by: String,
}

/// A submission to store; the store gives it its id and version.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    /// The case reference.
    pub case: String,
    /// The form id.
    pub form: String,
    /// The submitting agency, if the form belongs to one.
    pub agency: Option<String>,
    /// Valid or draft.
    pub status: SubmissionStatus,
    /// The validation report.
    pub report: Value,
    /// The submission.
    pub body: Value,
    /// The part of it its case's standing reads (`Annotations::digest`), which lists of cases
    /// read instead of the whole body; `None` lets them read the whole body.
    pub digest: Option<Value>,
    /// The token id uploading it.
    pub created_by: String,
    /// The client's `Idempotency-Key`: a retried upload with the same key (from the same
    /// principal) gets the first upload back instead of a new version.
    pub idempotency_key: Option<String>,
}

/// A stored submission, and whether it was stored by an earlier request with the same
/// idempotency key (nothing new was written).
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// The submission.
    pub submission: Submission,
    /// True when this is the first upload's receipt, returned again.
    pub replayed: bool,
}

/// Which cases a principal may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// Every case (the partnership).
    All,
    /// The cases an agency was asked about.
    Agency(&'a str),
    /// The cases a reviewer is assigned to.
    Reviewer(&'a str),
}

/// One line of a case list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaseSummary {
    /// The case.
    #[serde(flatten)]
    pub case: Case,
    /// Agencies asked for summaries.
    pub agencies_asked: i64,
    /// Submissions stored, all versions.
    pub submissions: i64,
}

/// A case as a list of cases needs it: the case, the agencies asked, and its current
/// submissions (the latest version and the latest valid version of each form from each source;
/// older versions are left in the store). Each submission's `body` is its digest: only the
/// answers that place it in its case (`Annotations::digest`), which read through the form's
/// annotations exactly as the whole answers would; its `report` is null and its
/// `created_at` and `created_by` empty. Read the case's submissions for those.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseOverview {
    /// The case and its counts.
    pub summary: CaseSummary,
    /// The agencies asked, by id.
    pub asked: Vec<AgencyAsked>,
    /// The current submissions, oldest first.
    pub submissions: Vec<Submission>,
}

/// What happened, for the audit log: never any form content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// The token id acting.
    pub principal: String,
    /// Its role.
    pub role: Role,
    /// Its agency, if any.
    pub agency: Option<String>,
    /// What it did, e.g. `case.read` or `submission.create`.
    pub action: String,
    /// The case concerned, empty when none.
    pub case: String,
    /// `ok`, `denied`, `not-found`, `invalid`...
    pub outcome: String,
    /// What was written, for a write: e.g. a submission's number and the SHA-256 of its body
    /// (never the content itself). The store fills it in for what it writes.
    pub detail: String,
}

/// One audit log entry, chained to the one before by its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Position in the log, from 1.
    pub seq: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The token id acting.
    pub principal: String,
    /// Its role.
    pub role: String,
    /// Its agency, empty when none.
    pub agency: String,
    /// The action.
    pub action: String,
    /// The case, empty when none.
    pub case: String,
    /// The outcome.
    pub outcome: String,
    /// What was written, for a write (never content): see [`AuditEvent::detail`].
    pub detail: String,
    /// The hash of the entry before (empty for the first).
    pub prev_hash: String,
    /// SHA-256 over the previous hash and this entry's fields.
    pub hash: String,
    /// HMAC-SHA256 of the hash under the audit key kept outside the database (empty for entries
    /// written before the log was sealed).
    pub seal: String,
}

/// What `audit verify` found: the whole chain checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditCheck {
    /// Entries checked.
    pub entries: i64,
    /// The first entry with a seal, if any: every entry from it on is sealed.
    pub sealed_from: Option<i64>,
    /// The last entry: its number, hash and seal, to keep elsewhere as a checkpoint.
    pub head: Option<Checkpoint>,
}

/// A point in the audit log an operator keeps outside the database: a later log must still hold
/// this entry, unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The entry's number.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// Its seal.
    pub seal: String,
}

/// A stored access token: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Token {
    /// The public part of the token, used in logs and the audit log.
    pub id: String,
    /// Its role.
    #[schema(value_type = String)]
    pub role: Role,
    /// Its agency (agency tokens only).
    pub agency: Option<String>,
    /// When it was made (RFC 3339, UTC).
    pub created_at: String,
    /// Who made it: a token id, or `command line` for `token create`.
    pub created_by: String,
    /// When it stops working (RFC 3339, UTC), if it does.
    pub expires_at: Option<String>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

impl Token {
    /// Whether the token works at `now` (RFC 3339, UTC): not revoked, not expired.
    pub fn usable_at(&self, now: &str) -> bool {
        self.revoked_at.is_none() && self.expires_at.as_deref().is_none_or(|end| now < end)
    }
}

/// A token to make.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// Its role.
    pub role: Role,
    /// Its agency (agency tokens only).
    pub agency: Option<String>,
    /// Who is making it.
    pub created_by: String,
    /// When it stops working (RFC 3339, UTC), if it does.
    pub expires_at: Option<String>,
}

/// Failures of the store, worded for the person who has to act on them.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database URL is not one the store understands.
    #[error(
        "\"{0}\" is not a database this service can use: give a sqlite:// path or a postgres:// URL."
    )]
    UnsupportedUrl(String),
    /// The database could not be reached or answered with an error.
    #[error("The case database is not available right now ({0}). Please try again shortly.")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("The case database could not be prepared: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Creating the database's folder failed.
    #[error("The folder for the case database could not be created: {0}")]
    Io(#[from] std::io::Error),
    /// A case with this reference exists already.
    #[error("A case with reference {0} already exists.")]
    CaseExists(String),
    /// No such case.
    #[error("There is no case {0}.")]
    NoCase(String),
    /// A value given to the store is not acceptable.
    #[error("{0}")]
    Invalid(String),
    /// Stored data cannot be read back: a defect or tampering.
    #[error("Stored data could not be read back: {0}")]
    Corrupt(String),
    /// The audit log's hash chain is broken.
    #[error("The audit log has been altered: entry {seq} does not match its hash.")]
    Tampered {
        /// The first entry that fails.
        seq: i64,
    },
    /// An entry's seal is missing or does not match: the chain was recomputed or edited by
    /// someone without the audit key, or the key is not the one the log was sealed with.
    #[error(
        "The audit log has been altered: entry {seq} is not sealed with the audit key. Either the log was changed and its hashes recomputed, or the service is using another key than the one the log was sealed with."
    )]
    Unsealed {
        /// The first entry that fails.
        seq: i64,
    },
    /// Entries a checkpoint vouches for are missing or different.
    #[error(
        "The audit log does not hold checkpoint entry {seq} as it was: {reason}. Entries have been removed or changed since the checkpoint was taken."
    )]
    Truncated {
        /// The checkpoint's entry.
        seq: i64,
        /// What is wrong.
        reason: &'static str,
    },
    /// No such token.
    #[error("There is no token {0}.")]
    NoToken(String),
    /// No such action.
    #[error("There is no action {0}.")]
    NoAction(String),
    /// An action was changed by someone else since the copy an update was made from.
    #[error(
        "Action {id} has changed since your copy of it (you sent version {sent}; it is now at version {held}). Please fetch it again, make your change to the latest version and send it with that version."
    )]
    StaleAction {
        /// The action.
        id: String,
        /// The version the update was made from.
        sent: i64,
        /// The version held.
        held: i64,
    },
    /// Audit entries written together could not be written (why, in words: the entries of
    /// one transaction share its failure).
    #[error("The audit log could not be written: {0}")]
    AuditNotWritten(String),
}

/// The case store. Every write runs in one transaction.
#[async_trait]
pub trait Store: People + Actions + Send + Sync {
    /// Checks the database answers.
    async fn ping(&self) -> Result<(), StoreError>;
    /// Opens a case, recording `audit` in the same transaction; fails with
    /// [`StoreError::CaseExists`] if the reference is taken.
    async fn create_case(&self, case: NewCase, audit: &AuditEvent) -> Result<Case, StoreError>;
    /// One case.
    async fn case(&self, id: &str) -> Result<Option<Case>, StoreError>;
    /// The cases in a scope: every case, an agency's, a reviewer's.
    async fn list_cases(&self, scope: Scope<'_>) -> Result<Vec<CaseSummary>, StoreError>;
    /// The cases in a scope with their agencies asked and current submissions, in three
    /// queries whatever the number of cases.
    async fn case_overviews(&self, scope: Scope<'_>) -> Result<Vec<CaseOverview>, StoreError>;
    /// Records agencies as asked for summaries, with `audit`, in one transaction; asking again
    /// keeps the first record.
    async fn ask_agencies(
        &self,
        case: &str,
        agencies: &[(String, String)],
        asked_by: &str,
        audit: &AuditEvent,
    ) -> Result<Vec<AgencyAsked>, StoreError>;
    /// Assigns a reviewer (a token id) to a case, with `audit`, in one transaction.
    async fn assign_reviewer(
        &self,
        case: &str,
        reviewer: &str,
        assigned_by: &str,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// The reviewers assigned to a case.
    async fn reviewers(&self, case: &str) -> Result<Vec<String>, StoreError>;
    /// The agencies asked on a case, by id.
    async fn agencies(&self, case: &str) -> Result<Vec<AgencyAsked>, StoreError>;
    /// Stores a new version of a submission with `audit` (its detail filled in with the
    /// submission's number and body hash) in one transaction; with an idempotency key already
    /// used by the same principal, returns the first upload and writes nothing.
    async fn add_submission(
        &self,
        submission: NewSubmission,
        audit: &AuditEvent,
    ) -> Result<Stored, StoreError>;
    /// Every version of every submission on a case, or only one agency's, oldest first.
    async fn submissions(
        &self,
        case: &str,
        agency: Option<&str>,
    ) -> Result<Vec<Submission>, StoreError>;
    /// Appends to the audit log.
    async fn audit(&self, event: AuditEvent) -> Result<AuditEntry, StoreError> {
        let mut entries = self.audit_all(std::slice::from_ref(&event)).await?;
        entries
            .pop()
            .ok_or_else(|| StoreError::Corrupt("an audit entry was not written".into()))
    }
    /// Appends several entries to the audit log in one transaction (one flush to disk), in
    /// order: all are written or none.
    async fn audit_all(&self, events: &[AuditEvent]) -> Result<Vec<AuditEntry>, StoreError>;
    /// The audit log of one case, oldest first.
    async fn audit_log(&self, case: &str) -> Result<Vec<AuditEntry>, StoreError>;
    /// Recomputes the whole hash chain; returns the number of entries checked.
    async fn verify_audit(&self) -> Result<i64, StoreError> {
        Ok(self.check_audit(None).await?.entries)
    }
    /// Recomputes the whole hash chain and the seals (with the store's audit key), and checks
    /// that the log still holds `checkpoint` as it was.
    async fn check_audit(&self, checkpoint: Option<&Checkpoint>) -> Result<AuditCheck, StoreError>;
    /// Creates a token, with `audit`, in one transaction, and returns it with its secret form,
    /// which is not stored.
    async fn create_token(
        &self,
        token: NewToken,
        audit: &AuditEvent,
    ) -> Result<(Token, String), StoreError>;
    /// Every token (never a secret), oldest first.
    async fn tokens(&self) -> Result<Vec<Token>, StoreError>;
    /// Revokes a token, with `audit`, in one transaction.
    async fn revoke_token(&self, id: &str, audit: &AuditEvent) -> Result<Token, StoreError>;
    /// The token a bearer secret belongs to, if any, revoked and expired ones included (the
    /// caller says why they do not work).
    async fn authenticate(&self, bearer: &str) -> Result<Option<Token>, StoreError>;
}

/// The default database: a SQLite file under `./data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/safeguarding-forms.db";

/// Opens the store a URL names (`sqlite://PATH` or `postgres://...`), applying migrations; the
/// audit log is not sealed.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    open_sealed(url, None).await
}

/// Opens the store a URL names, sealing every audit entry it writes with `key`.
pub async fn open_sealed(url: &str, key: Option<AuditKey>) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?.sealed(key)))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::open(url).await?.sealed(key)))
    } else {
        let shown: String = url
            .split('@')
            .next_back()
            .unwrap_or(url)
            .chars()
            .take(80)
            .collect();
        Err(StoreError::UnsupportedUrl(shown))
    }
}

/// Now, as the store writes times: RFC 3339 UTC with microseconds, sortable as text.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}
