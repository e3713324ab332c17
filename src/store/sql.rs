//! The SQL both databases agree on, and the one [`Store`](super::Store) implementation written
//! once as a macro over the pool type. SQLite accepts PostgreSQL's `$1` placeholders, so only
//! the migrations and the opening statement of a write transaction differ.

use serde_json::Value;

use super::{AuditCheck, AuditEntry, AuditKey, Checkpoint, StoreError};

pub(super) const PING: &str = "SELECT 1";

pub(super) const INSERT_CASE: &str = "INSERT INTO cases (id, origin, aware_date, created_at, created_by) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING";

pub(super) const CASE: &str =
    "SELECT id, origin, aware_date, created_at, created_by FROM cases WHERE id = $1";

/// The cases visible to an agency (`$1`) and a reviewer (`$2`); '' means no such limit.
const VISIBLE: &str = "($1 = '' OR EXISTS \
       (SELECT 1 FROM case_agencies a WHERE a.case_id = c.id AND a.agency_id = $1)) \
     AND ($2 = '' OR EXISTS \
       (SELECT 1 FROM case_reviewers r WHERE r.case_id = c.id AND r.reviewer = $2))";

pub(super) fn list_cases() -> String {
    format!(
        "SELECT c.id, c.origin, c.aware_date, c.created_at, c.created_by, \
           (SELECT COUNT(*) FROM case_agencies a WHERE a.case_id = c.id) AS agencies_asked, \
           (SELECT COUNT(*) FROM submissions s WHERE s.case_id = c.id AND ($1 = '' OR s.agency = $1)) \
             AS submissions \
         FROM cases c WHERE {VISIBLE} ORDER BY c.created_at, c.id"
    )
}

/// [`list_cases`] with each case's agencies asked as a JSON list of `[id, name, asked_at,
/// asked_by]` in a column `asked`; `asked_json` is the dialect's aggregate of them (a scalar
/// subquery on `c.id`): one row a case rather than one an agency.
pub(super) fn overview_cases(asked_json: &str) -> String {
    format!(
        "SELECT c.id, c.origin, c.aware_date, c.created_at, c.created_by, \
           (SELECT COUNT(*) FROM case_agencies a WHERE a.case_id = c.id) AS agencies_asked, \
           (SELECT COUNT(*) FROM submissions s WHERE s.case_id = c.id AND ($1 = '' OR s.agency = $1)) \
             AS submissions, \
           {asked_json} AS asked \
         FROM cases c WHERE {VISIBLE} ORDER BY c.created_at, c.id"
    )
}

/// The agencies asked, as [`overview_cases`] lists them, by id.
pub(super) fn asked_from_json(text: &str) -> Result<Vec<super::AgencyAsked>, StoreError> {
    let rows: Vec<(String, String, String, String)> =
        serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut asked: Vec<super::AgencyAsked> = rows
        .into_iter()
        .map(|(id, name, asked_at, asked_by)| super::AgencyAsked {
            id,
            name,
            asked_at,
            asked_by,
        })
        .collect();
    asked.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(asked)
}

/// The latest version, and the latest valid version, of each form from each source on every
/// visible case (see [`list_cases`]), each with its digest for a body (its whole body when it
/// has none) and nothing of its report or its author: `current_from` reads these rows.
pub(super) fn current_submissions() -> String {
    // Each version is kept or not on the (case, form, agency, version) index alone, and no
    // column stored after a body is read: SQLite reaches those only through the body's pages.
    format!(
        "SELECT s.id, s.case_id, s.form, s.version, s.agency, s.status, \
           COALESCE(d.digest, (SELECT w.body FROM submissions w WHERE w.id = s.id)) AS body \
         FROM submissions s LEFT JOIN submission_digests d ON d.submission_id = s.id \
         WHERE s.case_id IN (SELECT c.id FROM cases c WHERE {VISIBLE}) \
           AND (s.version = (SELECT MAX(t.version) FROM submissions t \
                  WHERE t.case_id = s.case_id AND t.form = s.form AND t.agency = s.agency) \
             OR (s.status = 'valid' AND s.version = (SELECT MAX(t.version) FROM submissions t \
                  WHERE t.case_id = s.case_id AND t.form = s.form AND t.agency = s.agency \
                    AND t.status = 'valid'))) \
         ORDER BY s.id"
    )
}

pub(super) const ASSIGN_REVIEWER: &str = "INSERT INTO case_reviewers (case_id, reviewer, assigned_at, assigned_by) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (case_id, reviewer) DO NOTHING";

pub(super) const REVIEWERS: &str =
    "SELECT reviewer FROM case_reviewers WHERE case_id = $1 ORDER BY assigned_at, reviewer";

pub(super) const IDEMPOTENT: &str =
    "SELECT submission_id FROM idempotency WHERE principal = $1 AND key = $2";

pub(super) const REMEMBER_IDEMPOTENT: &str = "INSERT INTO idempotency (principal, key, submission_id, created_at) \
     VALUES ($1, $2, $3, $4)";

pub(super) const SUBMISSION_BY_ID: &str = "SELECT id, case_id, form, version, agency, status, report, body, created_at, created_by \
     FROM submissions WHERE id = $1";

pub(super) const ASK_AGENCY: &str = "INSERT INTO case_agencies (case_id, agency_id, agency_name, asked_at, asked_by) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id, agency_id) DO NOTHING";

pub(super) const AGENCIES: &str = "SELECT agency_id, agency_name, asked_at, asked_by FROM case_agencies \
     WHERE case_id = $1 ORDER BY agency_id";

/// Takes the case row's write lock (PostgreSQL) so versions are numbered one at a time.
pub(super) const BUMP_CASE: &str =
    "UPDATE cases SET submission_count = submission_count + 1 WHERE id = $1";

pub(super) const NEXT_VERSION: &str = "SELECT COALESCE(MAX(version), 0) + 1 AS next FROM submissions \
     WHERE case_id = $1 AND form = $2 AND agency = $3";

pub(super) const INSERT_SUBMISSION: &str = "INSERT INTO submissions \
       (case_id, form, version, agency, status, report, body, created_at, created_by) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";

pub(super) const INSERT_DIGEST: &str =
    "INSERT INTO submission_digests (submission_id, digest) VALUES ($1, $2)";

pub(super) const SUBMISSIONS: &str = "SELECT id, case_id, form, version, agency, status, report, body, created_at, created_by \
     FROM submissions WHERE case_id = $1 AND ($2 = '' OR agency = $2) ORDER BY id";

/// Takes the audit head's write lock, so the chain grows one entry at a time.
pub(super) const BUMP_AUDIT: &str =
    "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash";

pub(super) const SET_AUDIT_HASH: &str = "UPDATE audit_head SET hash = $1 WHERE id = 1";

pub(super) const INSERT_AUDIT: &str = "INSERT INTO audit \
       (seq, at, principal, role, agency, action, case_id, outcome, detail, prev_hash, hash, mac) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

pub(super) const AUDIT_OF_CASE: &str = "SELECT seq, at, principal, role, agency, action, case_id, \
     outcome, detail, prev_hash, hash, mac FROM audit WHERE case_id = $1 ORDER BY seq";

pub(super) const AUDIT_ALL: &str = "SELECT seq, at, principal, role, agency, action, case_id, \
     outcome, detail, prev_hash, hash, mac FROM audit ORDER BY seq";

pub(super) const INSERT_TOKEN: &str = "INSERT INTO tokens \
       (id, secret_sha256, role, agency, created_at, created_by, expires_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

const TOKEN_COLUMNS: &str =
    "id, secret_sha256, role, agency, created_at, created_by, expires_at, revoked_at";

pub(super) fn token_by_id() -> String {
    format!("SELECT {TOKEN_COLUMNS} FROM tokens WHERE id = $1")
}

pub(super) fn all_tokens() -> String {
    format!("SELECT {TOKEN_COLUMNS} FROM tokens ORDER BY created_at, id")
}

pub(super) const REVOKE_TOKEN: &str =
    "UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";

/// The hash of an audit entry: SHA-256 over the previous hash and the entry's fields, encoded
/// as a JSON array so no field can run into the next.
pub fn audit_hash(entry: &AuditEntry) -> String {
    let seq = entry.seq.to_string();
    let mut fields = vec![
        entry.prev_hash.as_str(),
        &seq,
        &entry.at,
        &entry.principal,
        &entry.role,
        &entry.agency,
        &entry.action,
        &entry.case,
        &entry.outcome,
    ];
    // Entries written before details were recorded hash as they always did.
    if !entry.detail.is_empty() {
        fields.push(&entry.detail);
    }
    let encoded = serde_json::to_string(&fields).unwrap_or_default();
    super::token::sha256_hex(encoded.as_bytes())
}

/// Checks the whole audit log: the hash chain from the start, the seals under `key` (every
/// entry after the key was made must be sealed; an earlier one may be), and that `checkpoint`
/// is still there unchanged.
pub(super) fn verify_chain(
    entries: &[AuditEntry],
    key: Option<&AuditKey>,
    checkpoint: Option<&Checkpoint>,
) -> Result<AuditCheck, StoreError> {
    let mut prev = String::new();
    let mut sealed_from = None;
    for entry in entries {
        if entry.prev_hash != prev || audit_hash(entry) != entry.hash {
            return Err(StoreError::Tampered { seq: entry.seq });
        }
        if !entry.seal.is_empty() && sealed_from.is_none() {
            sealed_from = Some(entry.seq);
        }
        if let Some(key) = key {
            let must = entry.seq > key.sealed_after() || !entry.seal.is_empty();
            if must && entry.seal != key.seal(&entry.hash) {
                return Err(StoreError::Unsealed { seq: entry.seq });
            }
        }
        prev.clone_from(&entry.hash);
    }
    if let Some(checkpoint) = checkpoint {
        let held = entries.iter().find(|entry| entry.seq == checkpoint.seq);
        let reason = match held {
            None => Some("it is missing"),
            Some(entry) if entry.hash != checkpoint.hash || entry.seal != checkpoint.seal => {
                Some("its hash or seal differs")
            }
            Some(_) => None,
        };
        if let Some(reason) = reason {
            return Err(StoreError::Truncated {
                seq: checkpoint.seq,
                reason,
            });
        }
    }
    Ok(AuditCheck {
        entries: entries.len() as i64,
        sealed_from,
        head: entries.last().map(|entry| Checkpoint {
            seq: entry.seq,
            hash: entry.hash.clone(),
            seal: entry.seal.clone(),
        }),
    })
}

/// The migrations of one dialect, in order: the case store, then audit details and seals,
/// token lifetimes, reviewers and idempotency keys, then people, then actions, then each
/// submission's digest.
pub(super) fn migrator(sql: [&'static str; 5]) -> sqlx::migrate::Migrator {
    use sqlx::migrate::{Migration, MigrationType};
    const DESCRIPTIONS: [&str; 5] = [
        "case store",
        "audit detail and seal, token lifetimes, reviewers, idempotency",
        "people, sessions and drafts",
        "actions",
        "submission digests",
    ];
    let migrations = sql
        .into_iter()
        .zip(DESCRIPTIONS)
        .zip(1i64..)
        .map(|((sql, description), version)| {
            Migration::new(
                version,
                description.into(),
                MigrationType::Simple,
                sqlx::SqlStr::from_static(sql),
                false,
            )
        })
        .collect();
    sqlx::migrate::Migrator::with_migrations(migrations)
}

/// Reads back JSON the store wrote.
pub(super) fn json(text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Reads back a date the store wrote.
pub(super) fn date(text: Option<String>) -> Result<Option<chrono::NaiveDate>, StoreError> {
    text.map(|t| {
        t.parse()
            .map_err(|e: chrono::ParseError| StoreError::Corrupt(e.to_string()))
    })
    .transpose()
}

/// An empty string for "none", as the schema stores it.
pub(super) fn or_empty(value: Option<&str>) -> &str {
    value.unwrap_or_default()
}

/// "None" for an empty string.
pub(super) fn non_empty(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

/// Implements [`Store`](super::Store) for a struct with `pool` and `key` fields, given the SQL
/// that opens a write transaction.
macro_rules! sql_store {
    ($store:ty, $begin:expr) => {
        use sqlx::Row as _;

        use $crate::store::sql::{self, date, json, non_empty, or_empty};
        use $crate::store::{
            AgencyAsked, AuditCheck, AuditEntry, AuditEvent, Case, CaseOverview, CaseSummary,
            Checkpoint, NewCase, NewSubmission, NewToken, Origin, Role, Scope, Store, StoreError,
            Stored, Submission, SubmissionStatus, Token, now, token,
        };
        use $crate::store::people::{
            self, Draft, Invitation, NewInvitation, People, Person, Session, SessionLimits,
        };

        $crate::store::people::people_rows!();
        $crate::store::people::people_methods!($store, $begin);
        $crate::store::actions::actions_methods!($store, $begin);

        /// The agency and reviewer limits of a scope, '' for none.
        fn limits(scope: Scope<'_>) -> (&str, &str) {
            match scope {
                Scope::All => ("", ""),
                Scope::Agency(agency) => (agency, ""),
                Scope::Reviewer(reviewer) => ("", reviewer),
            }
        }

        fn case_from<R: sqlx::Row>(row: &R) -> Result<Case, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(Case {
                id: row.try_get("id")?,
                origin: Origin::parse(&row.try_get::<String, _>("origin")?)?,
                aware_date: date(row.try_get("aware_date")?)?,
                created_at: row.try_get("created_at")?,
                created_by: row.try_get("created_by")?,
            })
        }

        fn audit_from<R: sqlx::Row>(row: &R) -> Result<AuditEntry, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(AuditEntry {
                seq: row.try_get("seq")?,
                at: row.try_get("at")?,
                principal: row.try_get("principal")?,
                role: row.try_get("role")?,
                agency: row.try_get("agency")?,
                action: row.try_get("action")?,
                case: row.try_get("case_id")?,
                outcome: row.try_get("outcome")?,
                detail: row.try_get("detail")?,
                prev_hash: row.try_get("prev_hash")?,
                hash: row.try_get("hash")?,
                seal: row.try_get("mac")?,
            })
        }

        fn submission_from<R: sqlx::Row>(row: &R) -> Result<Submission, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(Submission {
                report: json(&row.try_get::<String, _>("report")?)?,
                created_at: row.try_get("created_at")?,
                created_by: row.try_get("created_by")?,
                ..current_from(row)?
            })
        }

        /// A row of `current_submissions`: its digest for a body, no report, no author.
        fn current_from<R: sqlx::Row>(row: &R) -> Result<Submission, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(Submission {
                id: row.try_get("id")?,
                case: row.try_get("case_id")?,
                form: row.try_get("form")?,
                version: row.try_get("version")?,
                agency: non_empty(row.try_get("agency")?),
                status: SubmissionStatus::parse(&row.try_get::<String, _>("status")?)?,
                report: serde_json::Value::Null,
                body: json(&row.try_get::<String, _>("body")?)?,
                created_at: String::new(),
                created_by: String::new(),
            })
        }

        fn agency_from<R: sqlx::Row>(row: &R) -> Result<AgencyAsked, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(AgencyAsked {
                id: row.try_get("agency_id")?,
                name: row.try_get("agency_name")?,
                asked_at: row.try_get("asked_at")?,
                asked_by: row.try_get("asked_by")?,
            })
        }

        fn token_from<R: sqlx::Row>(row: &R) -> Result<Token, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            Ok(Token {
                id: row.try_get("id")?,
                role: row.try_get::<String, _>("role")?.parse()?,
                agency: non_empty(row.try_get("agency")?),
                created_at: row.try_get("created_at")?,
                created_by: row.try_get("created_by")?,
                expires_at: row.try_get("expires_at")?,
                revoked_at: row.try_get("revoked_at")?,
            })
        }

        impl $store {
            /// Appends an audit entry inside a write transaction: the head row's lock makes the
            /// chain grow one entry at a time.
            async fn append_audit(
                &self,
                tx: &mut sqlx::Transaction<'_, <$store as sql::HasDatabase>::Database>,
                event: &AuditEvent,
            ) -> Result<AuditEntry, StoreError> {
                let head = sqlx::query(sql::BUMP_AUDIT).fetch_one(&mut **tx).await?;
                let mut entry = AuditEntry {
                    seq: head.try_get("seq")?,
                    at: now(),
                    principal: event.principal.clone(),
                    role: event.role.as_str().to_owned(),
                    agency: event.agency.clone().unwrap_or_default(),
                    action: event.action.clone(),
                    case: event.case.clone(),
                    outcome: event.outcome.clone(),
                    detail: event.detail.clone(),
                    prev_hash: head.try_get("hash")?,
                    hash: String::new(),
                    seal: String::new(),
                };
                entry.hash = sql::audit_hash(&entry);
                if let Some(key) = &self.key {
                    entry.seal = key.seal(&entry.hash);
                }
                sqlx::query(sql::INSERT_AUDIT)
                    .bind(entry.seq)
                    .bind(&entry.at)
                    .bind(&entry.principal)
                    .bind(&entry.role)
                    .bind(&entry.agency)
                    .bind(&entry.action)
                    .bind(&entry.case)
                    .bind(&entry.outcome)
                    .bind(&entry.detail)
                    .bind(&entry.prev_hash)
                    .bind(&entry.hash)
                    .bind(&entry.seal)
                    .execute(&mut **tx)
                    .await?;
                sqlx::query(sql::SET_AUDIT_HASH)
                    .bind(&entry.hash)
                    .execute(&mut **tx)
                    .await?;
                Ok(entry)
            }

            /// Stores a submission with its audit entry and adds the `actions` it gives rise to
            /// that are not held yet, in one transaction (see `Actions::insert_actions`).
            async fn store_submission(
                &self,
                new: NewSubmission,
                actions: &[$crate::actions::Action],
                audit: &AuditEvent,
            ) -> Result<(Stored, usize), StoreError> {
                let created_at = now();
                let agency = or_empty(new.agency.as_deref()).to_owned();
                let report = new.report.to_string();
                let body = new.body.to_string();
                let digest = new.digest.as_ref().map(serde_json::Value::to_string);
                let mut tx = self.pool.begin_with($begin).await?;
                let bumped = sqlx::query(sql::BUMP_CASE)
                    .bind(&new.case)
                    .execute(&mut *tx)
                    .await?;
                if bumped.rows_affected() == 0 {
                    return Err(StoreError::NoCase(new.case));
                }
                // Read under the case row's lock, so a retry racing its first try waits for it.
                if let Some(key) = &new.idempotency_key {
                    let first = sqlx::query(sql::IDEMPOTENT)
                        .bind(&new.created_by)
                        .bind(key)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if let Some(first) = first {
                        let id: i64 = first.try_get("submission_id")?;
                        let row = sqlx::query(sql::SUBMISSION_BY_ID)
                            .bind(id)
                            .fetch_one(&mut *tx)
                            .await?;
                        let submission = submission_from(&row)?;
                        tx.rollback().await?;
                        return Ok((
                            Stored {
                                submission,
                                replayed: true,
                            },
                            0,
                        ));
                    }
                }
                let version: i64 = sqlx::query(sql::NEXT_VERSION)
                    .bind(&new.case)
                    .bind(&new.form)
                    .bind(&agency)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("next")?;
                let id: i64 = sqlx::query(sql::INSERT_SUBMISSION)
                    .bind(&new.case)
                    .bind(&new.form)
                    .bind(version)
                    .bind(&agency)
                    .bind(new.status.as_str())
                    .bind(&report)
                    .bind(&body)
                    .bind(&created_at)
                    .bind(&new.created_by)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("id")?;
                if let Some(digest) = &digest {
                    sqlx::query(sql::INSERT_DIGEST)
                        .bind(id)
                        .bind(digest)
                        .execute(&mut *tx)
                        .await?;
                }
                if let Some(key) = &new.idempotency_key {
                    sqlx::query(sql::REMEMBER_IDEMPOTENT)
                        .bind(&new.created_by)
                        .bind(key)
                        .bind(id)
                        .bind(&created_at)
                        .execute(&mut *tx)
                        .await?;
                }
                let mut event = audit.clone();
                event.case.clone_from(&new.case);
                event.detail = format!(
                    "submission {id}: {} version {version}, body sha256 {}",
                    new.form,
                    token::sha256_hex(body.as_bytes())
                );
                self.append_audit(&mut tx, &event).await?;
                let mut actions_event = audit.clone();
                actions_event.case.clone_from(&new.case);
                let added = self
                    .insert_actions(&mut tx, actions, &new.created_by, &actions_event)
                    .await?;
                tx.commit().await?;
                let stored = Stored {
                    submission: Submission {
                        id,
                        case: new.case,
                        form: new.form,
                        version,
                        agency: non_empty(agency),
                        status: new.status,
                        report: new.report,
                        body: new.body,
                        created_at,
                        created_by: new.created_by,
                    },
                    replayed: false,
                };
                Ok((stored, added))
            }
        }

        #[async_trait::async_trait]
        impl Store for $store {
            async fn ping(&self) -> Result<(), StoreError> {
                sqlx::query(sql::PING).execute(&self.pool).await?;
                Ok(())
            }

            async fn create_case(
                &self,
                case: NewCase,
                audit: &AuditEvent,
            ) -> Result<Case, StoreError> {
                let created_at = now();
                let aware = case.aware_date.map(|d| d.to_string());
                let mut tx = self.pool.begin_with($begin).await?;
                let done = sqlx::query(sql::INSERT_CASE)
                    .bind(&case.id)
                    .bind(case.origin.as_str())
                    .bind(&aware)
                    .bind(&created_at)
                    .bind(&case.created_by)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::CaseExists(case.id));
                }
                let mut event = audit.clone();
                event.case.clone_from(&case.id);
                self.append_audit(&mut tx, &event).await?;
                tx.commit().await?;
                Ok(Case {
                    id: case.id,
                    origin: case.origin,
                    aware_date: case.aware_date,
                    created_at,
                    created_by: case.created_by,
                })
            }

            async fn case(&self, id: &str) -> Result<Option<Case>, StoreError> {
                let row = sqlx::query(sql::CASE)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(case_from).transpose()
            }

            async fn list_cases(&self, scope: Scope<'_>) -> Result<Vec<CaseSummary>, StoreError> {
                let (agency, reviewer) = limits(scope);
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql::list_cases()))
                    .bind(agency)
                    .bind(reviewer)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|row| {
                        Ok(CaseSummary {
                            case: case_from(row)?,
                            agencies_asked: row.try_get("agencies_asked")?,
                            submissions: row.try_get("submissions")?,
                        })
                    })
                    .collect()
            }

            async fn case_overviews(
                &self,
                scope: Scope<'_>,
            ) -> Result<Vec<CaseOverview>, StoreError> {
                let (agency, reviewer) = limits(scope);
                let cases_sql = sql::overview_cases(ASKED_JSON);
                let current_sql = sql::current_submissions();
                // The two reads are independent: each runs on its own connection, so the
                // cases' rows are decoded while their forms are still being read.
                let (case_rows, current_rows) = tokio::try_join!(
                    async {
                        sqlx::query(sqlx::AssertSqlSafe(cases_sql.as_str()))
                            .bind(agency)
                            .bind(reviewer)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(StoreError::from)
                    },
                    async {
                        sqlx::query(sqlx::AssertSqlSafe(current_sql.as_str()))
                            .bind(agency)
                            .bind(reviewer)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(StoreError::from)
                    },
                )?;
                let mut submissions: std::collections::HashMap<String, Vec<Submission>> =
                    std::collections::HashMap::new();
                for row in current_rows {
                    let submission = current_from(&row)?;
                    submissions
                        .entry(submission.case.clone())
                        .or_default()
                        .push(submission);
                }
                case_rows
                    .iter()
                    .map(|row| {
                        let summary = CaseSummary {
                            case: case_from(row)?,
                            agencies_asked: row.try_get("agencies_asked")?,
                            submissions: row.try_get("submissions")?,
                        };
                        Ok(CaseOverview {
                            asked: sql::asked_from_json(&row.try_get::<String, _>("asked")?)?,
                            submissions: submissions
                                .remove(&summary.case.id)
                                .unwrap_or_default(),
                            summary,
                        })
                    })
                    .collect()
            }

            async fn ask_agencies(
                &self,
                case: &str,
                agencies: &[(String, String)],
                asked_by: &str,
                audit: &AuditEvent,
            ) -> Result<Vec<AgencyAsked>, StoreError> {
                let asked_at = now();
                let mut tx = self.pool.begin_with($begin).await?;
                let exists = sqlx::query(sql::CASE)
                    .bind(case)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_none() {
                    return Err(StoreError::NoCase(case.to_owned()));
                }
                for (id, name) in agencies {
                    sqlx::query(sql::ASK_AGENCY)
                        .bind(case)
                        .bind(id)
                        .bind(name)
                        .bind(&asked_at)
                        .bind(asked_by)
                        .execute(&mut *tx)
                        .await?;
                }
                let mut event = audit.clone();
                let ids: Vec<&str> = agencies.iter().map(|(id, _)| id.as_str()).collect();
                event.detail = format!("agencies {}", ids.join(", "));
                self.append_audit(&mut tx, &event).await?;
                tx.commit().await?;
                self.agencies(case).await
            }

            async fn agencies(&self, case: &str) -> Result<Vec<AgencyAsked>, StoreError> {
                let rows = sqlx::query(sql::AGENCIES)
                    .bind(case)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(agency_from).collect()
            }

            async fn assign_reviewer(
                &self,
                case: &str,
                reviewer: &str,
                assigned_by: &str,
                audit: &AuditEvent,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let exists = sqlx::query(sql::CASE)
                    .bind(case)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_none() {
                    return Err(StoreError::NoCase(case.to_owned()));
                }
                // A reviewer is a token (`token list`) or a person invited to the web pages
                // (`person:<id>`), with the reviewer role either way.
                let is_reviewer = if let Some(person) = reviewer.strip_prefix("person:") {
                    let row = sqlx::query(people::INVITATION_BY_ID)
                        .bind(person)
                        .fetch_optional(&mut *tx)
                        .await?;
                    row.as_ref()
                        .map(invitation_from)
                        .transpose()?
                        .is_some_and(|i| i.person.role == Role::Reviewer)
                } else {
                    let token = sqlx::query(sqlx::AssertSqlSafe(sql::token_by_id()))
                        .bind(reviewer)
                        .fetch_optional(&mut *tx)
                        .await?;
                    token
                        .as_ref()
                        .map(token_from)
                        .transpose()?
                        .is_some_and(|t| t.role == Role::Reviewer)
                };
                if !is_reviewer {
                    return Err(StoreError::NoToken(reviewer.chars().take(40).collect()));
                }
                sqlx::query(sql::ASSIGN_REVIEWER)
                    .bind(case)
                    .bind(reviewer)
                    .bind(now())
                    .bind(assigned_by)
                    .execute(&mut *tx)
                    .await?;
                let mut event = audit.clone();
                event.detail = format!("reviewer {reviewer}");
                self.append_audit(&mut tx, &event).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn reviewers(&self, case: &str) -> Result<Vec<String>, StoreError> {
                let rows = sqlx::query(sql::REVIEWERS)
                    .bind(case)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|row| Ok(row.try_get("reviewer")?))
                    .collect()
            }

            async fn add_submission(
                &self,
                new: NewSubmission,
                audit: &AuditEvent,
            ) -> Result<Stored, StoreError> {
                Ok(self.store_submission(new, &[], audit).await?.0)
            }

            async fn submissions(
                &self,
                case: &str,
                agency: Option<&str>,
            ) -> Result<Vec<Submission>, StoreError> {
                let rows = sqlx::query(sql::SUBMISSIONS)
                    .bind(case)
                    .bind(or_empty(agency))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(submission_from).collect()
            }

            async fn audit_all(
                &self,
                events: &[AuditEvent],
            ) -> Result<Vec<AuditEntry>, StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let mut entries = Vec::with_capacity(events.len());
                for event in events {
                    entries.push(self.append_audit(&mut tx, event).await?);
                }
                tx.commit().await?;
                Ok(entries)
            }

            async fn audit_log(&self, case: &str) -> Result<Vec<AuditEntry>, StoreError> {
                let rows = sqlx::query(sql::AUDIT_OF_CASE)
                    .bind(case)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(audit_from).collect()
            }

            async fn check_audit(
                &self,
                checkpoint: Option<&Checkpoint>,
            ) -> Result<AuditCheck, StoreError> {
                let rows = sqlx::query(sql::AUDIT_ALL).fetch_all(&self.pool).await?;
                let entries = rows.iter().map(audit_from).collect::<Result<Vec<_>, _>>()?;
                sql::verify_chain(&entries, self.key.as_ref(), checkpoint)
            }

            async fn create_token(
                &self,
                new: NewToken,
                audit: &AuditEvent,
            ) -> Result<(Token, String), StoreError> {
                let agency = new.agency.as_deref().map(str::trim).filter(|a| !a.is_empty());
                let role = new.role;
                match (role, agency) {
                    (Role::Agency, None) => {
                        return Err(StoreError::Invalid(
                            "An agency token needs the agency it belongs to (--agency ID).".into(),
                        ));
                    }
                    (Role::Agency, Some(_)) | (_, None) => {}
                    (_, Some(_)) => {
                        return Err(StoreError::Invalid(format!(
                            "Only agency tokens belong to an agency; a {role} token does not take --agency."
                        )));
                    }
                }
                let minted = token::mint()?;
                let created_at = now();
                let mut tx = self.pool.begin_with($begin).await?;
                sqlx::query(sql::INSERT_TOKEN)
                    .bind(&minted.id)
                    .bind(&minted.secret_sha256)
                    .bind(role.as_str())
                    .bind(or_empty(agency))
                    .bind(&created_at)
                    .bind(&new.created_by)
                    .bind(&new.expires_at)
                    .execute(&mut *tx)
                    .await?;
                let mut event = audit.clone();
                event.detail = format!(
                    "token {} ({role}{}{})",
                    minted.id,
                    agency.map(|a| format!(", {a}")).unwrap_or_default(),
                    new.expires_at
                        .as_deref()
                        .map(|end| format!(", expires {end}"))
                        .unwrap_or_default()
                );
                self.append_audit(&mut tx, &event).await?;
                tx.commit().await?;
                let stored = Token {
                    id: minted.id,
                    role,
                    agency: agency.map(str::to_owned),
                    created_at,
                    created_by: new.created_by,
                    expires_at: new.expires_at,
                    revoked_at: None,
                };
                Ok((stored, minted.bearer))
            }

            async fn tokens(&self) -> Result<Vec<Token>, StoreError> {
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql::all_tokens()))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(token_from).collect()
            }

            async fn revoke_token(
                &self,
                id: &str,
                audit: &AuditEvent,
            ) -> Result<Token, StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                sqlx::query(sql::REVOKE_TOKEN)
                    .bind(id)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                let row = sqlx::query(sqlx::AssertSqlSafe(sql::token_by_id()))
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(token) = row.as_ref().map(token_from).transpose()? else {
                    return Err(StoreError::NoToken(id.chars().take(40).collect()));
                };
                let mut event = audit.clone();
                event.detail = format!("token {id} revoked");
                self.append_audit(&mut tx, &event).await?;
                tx.commit().await?;
                Ok(token)
            }

            async fn authenticate(&self, bearer: &str) -> Result<Option<Token>, StoreError> {
                let Some((id, secret)) = token::split(bearer) else {
                    return Ok(None);
                };
                let row = sqlx::query(sqlx::AssertSqlSafe(sql::token_by_id()))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let stored: String = row.try_get("secret_sha256")?;
                if !token::same(&stored, &token::sha256_hex(secret.as_bytes())) {
                    return Ok(None);
                }
                Ok(Some(token_from(&row)?))
            }
        }
    };
}

/// The database type behind a store's pool, for the macro's transaction type.
pub(super) trait HasDatabase {
    /// The database.
    type Database: sqlx::Database;
}

impl HasDatabase for super::SqliteStore {
    type Database = sqlx::Sqlite;
}

impl HasDatabase for super::PostgresStore {
    type Database = sqlx::Postgres;
}

pub(super) use sql_store;
