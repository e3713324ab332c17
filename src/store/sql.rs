//! The SQL both databases agree on, and the one [`Store`](super::Store) implementation written
//! once as a macro over the pool type. SQLite accepts PostgreSQL's `$1` placeholders, so only
//! the migrations and the opening statement of a write transaction differ.

use serde_json::Value;

use super::{AuditEntry, StoreError};

pub(super) const PING: &str = "SELECT 1";

pub(super) const INSERT_CASE: &str = "INSERT INTO cases (id, origin, aware_date, created_at, created_by) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING";

pub(super) const CASE: &str =
    "SELECT id, origin, aware_date, created_at, created_by FROM cases WHERE id = $1";

pub(super) const LIST_CASES: &str = "SELECT c.id, c.origin, c.aware_date, c.created_at, c.created_by, \
       (SELECT COUNT(*) FROM case_agencies a WHERE a.case_id = c.id) AS agencies_asked, \
       (SELECT COUNT(*) FROM submissions s WHERE s.case_id = c.id AND ($1 = '' OR s.agency = $1)) \
         AS submissions \
     FROM cases c \
     WHERE $1 = '' OR EXISTS \
       (SELECT 1 FROM case_agencies a WHERE a.case_id = c.id AND a.agency_id = $1) \
     ORDER BY c.created_at, c.id";

/// The agencies asked on every case visible to an agency (`$1`, or every case for '').
pub(super) const AGENCIES_OF_CASES: &str = "SELECT case_id, agency_id, agency_name, asked_at, asked_by \
     FROM case_agencies \
     WHERE $1 = '' OR case_id IN (SELECT case_id FROM case_agencies WHERE agency_id = $1) \
     ORDER BY case_id, agency_id";

/// The latest version, and the latest valid version, of each form from each source on every
/// case visible to an agency (`$1`, or every case for '').
pub(super) const CURRENT_SUBMISSIONS: &str = "SELECT id, case_id, form, version, agency, status, report, body, \
       created_at, created_by FROM ( \
       SELECT s.*, \
         ROW_NUMBER() OVER (PARTITION BY case_id, form, agency ORDER BY version DESC) AS newest, \
         ROW_NUMBER() OVER (PARTITION BY case_id, form, agency, status ORDER BY version DESC) \
           AS newest_of_status \
       FROM submissions s \
       WHERE $1 = '' OR case_id IN (SELECT case_id FROM case_agencies WHERE agency_id = $1) \
     ) current \
     WHERE newest = 1 OR (status = 'valid' AND newest_of_status = 1) \
     ORDER BY id";

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

pub(super) const SUBMISSIONS: &str = "SELECT id, case_id, form, version, agency, status, report, body, created_at, created_by \
     FROM submissions WHERE case_id = $1 AND ($2 = '' OR agency = $2) ORDER BY id";

/// Takes the audit head's write lock, so the chain grows one entry at a time.
pub(super) const BUMP_AUDIT: &str =
    "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash";

pub(super) const SET_AUDIT_HASH: &str = "UPDATE audit_head SET hash = $1 WHERE id = 1";

pub(super) const INSERT_AUDIT: &str = "INSERT INTO audit \
       (seq, at, principal, role, agency, action, case_id, outcome, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

pub(super) const AUDIT_OF_CASE: &str = "SELECT seq, at, principal, role, agency, action, case_id, \
     outcome, prev_hash, hash FROM audit WHERE case_id = $1 ORDER BY seq";

pub(super) const AUDIT_ALL: &str = "SELECT seq, at, principal, role, agency, action, case_id, \
     outcome, prev_hash, hash FROM audit ORDER BY seq";

pub(super) const INSERT_TOKEN: &str =
    "INSERT INTO tokens (id, secret_sha256, role, agency, created_at) VALUES ($1, $2, $3, $4, $5)";

pub(super) const TOKEN: &str = "SELECT secret_sha256, role, agency FROM tokens WHERE id = $1";

/// The hash of an audit entry: SHA-256 over the previous hash and the entry's fields, encoded
/// as a JSON array so no field can run into the next.
pub(super) fn audit_hash(entry: &AuditEntry) -> String {
    let fields = [
        entry.prev_hash.as_str(),
        &entry.seq.to_string(),
        &entry.at,
        &entry.principal,
        &entry.role,
        &entry.agency,
        &entry.action,
        &entry.case,
        &entry.outcome,
    ];
    let encoded = serde_json::to_string(&fields).unwrap_or_default();
    super::token::sha256_hex(encoded.as_bytes())
}

/// Checks a run of audit entries chains from the start; returns how many were checked.
pub(super) fn verify_chain(entries: &[AuditEntry]) -> Result<i64, StoreError> {
    let mut prev = String::new();
    for entry in entries {
        if entry.prev_hash != prev || audit_hash(entry) != entry.hash {
            return Err(StoreError::Tampered { seq: entry.seq });
        }
        prev.clone_from(&entry.hash);
    }
    Ok(entries.len() as i64)
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

/// Implements [`Store`](super::Store) for a struct with a `pool` field, given the SQL that
/// opens a write transaction.
macro_rules! sql_store {
    ($store:ty, $begin:expr) => {
        use sqlx::Row as _;

        use $crate::store::sql::{self, date, json, non_empty, or_empty};
        use $crate::store::{
            AgencyAsked, AuditEntry, AuditEvent, Case, CaseOverview, CaseSummary, NewCase, NewSubmission, Origin,
            Role, Store, StoreError, Submission, SubmissionStatus, Token, now, token,
        };

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
                prev_hash: row.try_get("prev_hash")?,
                hash: row.try_get("hash")?,
            })
        }

        fn submission_from<R: sqlx::Row>(row: &R) -> Result<Submission, StoreError>
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
                report: json(&row.try_get::<String, _>("report")?)?,
                body: json(&row.try_get::<String, _>("body")?)?,
                created_at: row.try_get("created_at")?,
                created_by: row.try_get("created_by")?,
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

        #[async_trait::async_trait]
        impl Store for $store {
            async fn ping(&self) -> Result<(), StoreError> {
                sqlx::query(sql::PING).execute(&self.pool).await?;
                Ok(())
            }

            async fn create_case(&self, case: NewCase) -> Result<Case, StoreError> {
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

            async fn list_cases(
                &self,
                agency: Option<&str>,
            ) -> Result<Vec<CaseSummary>, StoreError> {
                let rows = sqlx::query(sql::LIST_CASES)
                    .bind(or_empty(agency))
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
                agency: Option<&str>,
            ) -> Result<Vec<CaseOverview>, StoreError> {
                let summaries = self.list_cases(agency).await?;
                let mut asked: std::collections::HashMap<String, Vec<AgencyAsked>> =
                    std::collections::HashMap::new();
                for row in sqlx::query(sql::AGENCIES_OF_CASES)
                    .bind(or_empty(agency))
                    .fetch_all(&self.pool)
                    .await?
                {
                    asked
                        .entry(row.try_get("case_id")?)
                        .or_default()
                        .push(agency_from(&row)?);
                }
                let mut submissions: std::collections::HashMap<String, Vec<Submission>> =
                    std::collections::HashMap::new();
                for row in sqlx::query(sql::CURRENT_SUBMISSIONS)
                    .bind(or_empty(agency))
                    .fetch_all(&self.pool)
                    .await?
                {
                    let submission = submission_from(&row)?;
                    submissions
                        .entry(submission.case.clone())
                        .or_default()
                        .push(submission);
                }
                Ok(summaries
                    .into_iter()
                    .map(|summary| CaseOverview {
                        asked: asked.remove(&summary.case.id).unwrap_or_default(),
                        submissions: submissions.remove(&summary.case.id).unwrap_or_default(),
                        summary,
                    })
                    .collect())
            }

            async fn ask_agencies(
                &self,
                case: &str,
                agencies: &[(String, String)],
                asked_by: &str,
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

            async fn add_submission(
                &self,
                new: NewSubmission,
            ) -> Result<Submission, StoreError> {
                let created_at = now();
                let agency = or_empty(new.agency.as_deref()).to_owned();
                let report = new.report.to_string();
                let body = new.body.to_string();
                let mut tx = self.pool.begin_with($begin).await?;
                let bumped = sqlx::query(sql::BUMP_CASE)
                    .bind(&new.case)
                    .execute(&mut *tx)
                    .await?;
                if bumped.rows_affected() == 0 {
                    return Err(StoreError::NoCase(new.case));
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
                tx.commit().await?;
                Ok(Submission {
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
                })
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

            async fn audit(&self, event: AuditEvent) -> Result<AuditEntry, StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let head = sqlx::query(sql::BUMP_AUDIT).fetch_one(&mut *tx).await?;
                let mut entry = AuditEntry {
                    seq: head.try_get("seq")?,
                    at: now(),
                    principal: event.principal,
                    role: event.role.as_str().to_owned(),
                    agency: event.agency.unwrap_or_default(),
                    action: event.action,
                    case: event.case,
                    outcome: event.outcome,
                    prev_hash: head.try_get("hash")?,
                    hash: String::new(),
                };
                entry.hash = sql::audit_hash(&entry);
                sqlx::query(sql::INSERT_AUDIT)
                    .bind(entry.seq)
                    .bind(&entry.at)
                    .bind(&entry.principal)
                    .bind(&entry.role)
                    .bind(&entry.agency)
                    .bind(&entry.action)
                    .bind(&entry.case)
                    .bind(&entry.outcome)
                    .bind(&entry.prev_hash)
                    .bind(&entry.hash)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(sql::SET_AUDIT_HASH)
                    .bind(&entry.hash)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(entry)
            }

            async fn audit_log(&self, case: &str) -> Result<Vec<AuditEntry>, StoreError> {
                let rows = sqlx::query(sql::AUDIT_OF_CASE)
                    .bind(case)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(audit_from).collect()
            }

            async fn verify_audit(&self) -> Result<i64, StoreError> {
                let rows = sqlx::query(sql::AUDIT_ALL).fetch_all(&self.pool).await?;
                let entries = rows.iter().map(audit_from).collect::<Result<Vec<_>, _>>()?;
                sql::verify_chain(&entries)
            }

            async fn create_token(
                &self,
                role: Role,
                agency: Option<&str>,
            ) -> Result<(Token, String), StoreError> {
                let agency = agency.map(str::trim).filter(|a| !a.is_empty());
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
                let mut tx = self.pool.begin_with($begin).await?;
                sqlx::query(sql::INSERT_TOKEN)
                    .bind(&minted.id)
                    .bind(&minted.secret_sha256)
                    .bind(role.as_str())
                    .bind(or_empty(agency))
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                let stored = Token {
                    id: minted.id,
                    role,
                    agency: agency.map(str::to_owned),
                };
                Ok((stored, minted.bearer))
            }

            async fn authenticate(&self, bearer: &str) -> Result<Option<Token>, StoreError> {
                let Some((id, secret)) = token::split(bearer) else {
                    return Ok(None);
                };
                let row = sqlx::query(sql::TOKEN)
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
                Ok(Some(Token {
                    id: id.to_owned(),
                    role: row.try_get::<String, _>("role")?.parse()?,
                    agency: non_empty(row.try_get("agency")?),
                }))
            }
        }
    };
}

pub(super) use sql_store;
