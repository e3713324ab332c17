//! Actions in the store: the partnership's plan on the learning of its reviews, one row per
//! action with its JSON, a version counting its changes and who changed it last. Every write
//! carries its audit entry in the same transaction; an update names the version it was made
//! from, so a change made from a stale copy is refused instead of overwriting another.

use serde::Serialize;

use super::{AuditEvent, NewSubmission, StoreError, Stored};
use crate::actions::Action;

/// The store's part for actions (a supertrait of [`Store`](super::Store), so every store has
/// it).
#[async_trait::async_trait]
pub trait Actions: Send + Sync {
    /// Every action, or only those one agency owns, by id.
    async fn actions(&self, agency: Option<&str>) -> Result<Vec<StoredAction>, StoreError>;
    /// One action.
    async fn action(&self, id: &str) -> Result<Option<StoredAction>, StoreError>;
    /// Adds the actions not already held (by id), each at version 1, with `audit` (naming those
    /// added) in one transaction; returns how many were added. Nothing is written, audit
    /// included, when every one is held already.
    async fn add_actions(
        &self,
        actions: &[Action],
        by: &str,
        audit: &AuditEvent,
    ) -> Result<usize, StoreError>;
    /// Replaces an action with `action`, if it is still at `version`: the new version is one
    /// more. Fails with [`StoreError::NoAction`] when there is none, and
    /// [`StoreError::StaleAction`] when it has changed since `version`. Audited in the same
    /// transaction.
    async fn update_action(
        &self,
        action: &Action,
        version: i64,
        by: &str,
        audit: &AuditEvent,
    ) -> Result<StoredAction, StoreError>;
    /// Stores a submission as [`Store::add_submission`](super::Store::add_submission) does and,
    /// in the same transaction, adds the actions it gives rise to that are not held already
    /// (with a second audit entry naming them). Returns the submission and how many actions
    /// were added; a replayed upload adds none.
    async fn add_submission_with_actions(
        &self,
        submission: NewSubmission,
        actions: &[Action],
        audit: &AuditEvent,
    ) -> Result<(Stored, usize), StoreError>;
}

/// An action as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAction {
    /// The action.
    pub action: Action,
    /// 1 when added, one more at each change.
    pub version: i64,
    /// When it was last written (RFC 3339, UTC).
    pub updated_at: String,
    /// Who wrote it last (a principal id).
    pub updated_by: String,
}

pub(super) const ALL_ACTIONS: &str = "SELECT id, body, version, updated_at, updated_by \
     FROM actions WHERE ($1 = '' OR agency_id = $1) ORDER BY id";

pub(super) const ACTION: &str =
    "SELECT id, body, version, updated_at, updated_by FROM actions WHERE id = $1";

pub(super) const INSERT_ACTION: &str = "INSERT INTO actions \
       (id, case_id, agency_id, body, version, updated_at, updated_by) \
     VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT (id) DO NOTHING";

pub(super) const UPDATE_ACTION: &str = "UPDATE actions SET case_id = $3, agency_id = $4, body = $5, \
       version = version + 1, updated_at = $6, updated_by = $7 \
     WHERE id = $1 AND version = $2";

/// The action's JSON as stored.
pub(super) fn body(action: &Action) -> Result<String, StoreError> {
    serde_json::to_string(action).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// The `Actions` methods for `sql_store!`: written once for both databases.
macro_rules! actions_methods {
    ($store:ty, $begin:expr) => {
        fn stored_action_from<R: sqlx::Row>(
            row: &R,
        ) -> Result<$crate::store::actions::StoredAction, StoreError>
        where
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
        {
            let body = json(&row.try_get::<String, _>("body")?)?;
            let action: $crate::actions::Action = serde_json::from_value(body)
                .map_err(|e| StoreError::Corrupt(format!("action: {e}")))?;
            Ok($crate::store::actions::StoredAction {
                action,
                version: row.try_get("version")?,
                updated_at: row.try_get("updated_at")?,
                updated_by: row.try_get("updated_by")?,
            })
        }

        impl $store {
            /// Adds the actions not held yet inside a write transaction, with an audit entry
            /// naming them when there are any; returns how many were added.
            async fn insert_actions(
                &self,
                tx: &mut sqlx::Transaction<'_, <$store as sql::HasDatabase>::Database>,
                actions: &[$crate::actions::Action],
                by: &str,
                audit: &AuditEvent,
            ) -> Result<usize, StoreError> {
                let at = now();
                let mut added = Vec::new();
                for action in actions {
                    let done = sqlx::query($crate::store::actions::INSERT_ACTION)
                        .bind(&action.id)
                        .bind(action.source.case_reference.as_deref())
                        .bind(&action.agency.id)
                        .bind($crate::store::actions::body(action)?)
                        .bind(&at)
                        .bind(by)
                        .execute(&mut **tx)
                        .await?;
                    if done.rows_affected() == 1 {
                        added.push(action.id.as_str());
                    }
                }
                if !added.is_empty() {
                    let mut event = audit.clone();
                    event.detail = format!("actions added: {}", added.join(", "));
                    self.append_audit(tx, &event).await?;
                }
                Ok(added.len())
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::actions::Actions for $store {
            async fn actions(
                &self,
                agency: Option<&str>,
            ) -> Result<Vec<$crate::store::actions::StoredAction>, StoreError> {
                let rows = sqlx::query($crate::store::actions::ALL_ACTIONS)
                    .bind(or_empty(agency))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(stored_action_from).collect()
            }

            async fn action(
                &self,
                id: &str,
            ) -> Result<Option<$crate::store::actions::StoredAction>, StoreError> {
                let row = sqlx::query($crate::store::actions::ACTION)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(stored_action_from).transpose()
            }

            async fn add_actions(
                &self,
                actions: &[$crate::actions::Action],
                by: &str,
                audit: &AuditEvent,
            ) -> Result<usize, StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let added = self.insert_actions(&mut tx, actions, by, audit).await?;
                tx.commit().await?;
                Ok(added)
            }

            async fn update_action(
                &self,
                action: &$crate::actions::Action,
                version: i64,
                by: &str,
                audit: &AuditEvent,
            ) -> Result<$crate::store::actions::StoredAction, StoreError> {
                let at = now();
                let body = $crate::store::actions::body(action)?;
                let mut tx = self.pool.begin_with($begin).await?;
                let done = sqlx::query($crate::store::actions::UPDATE_ACTION)
                    .bind(&action.id)
                    .bind(version)
                    .bind(action.source.case_reference.as_deref())
                    .bind(&action.agency.id)
                    .bind(&body)
                    .bind(&at)
                    .bind(by)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    let held = sqlx::query($crate::store::actions::ACTION)
                        .bind(&action.id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    tx.rollback().await?;
                    return Err(match held.as_ref().map(stored_action_from).transpose()? {
                        None => StoreError::NoAction(action.id.clone()),
                        Some(held) => StoreError::StaleAction {
                            id: action.id.clone(),
                            sent: version,
                            held: held.version,
                        },
                    });
                }
                let mut event = audit.clone();
                event.detail = format!(
                    "action {} version {}, status {}, body sha256 {}",
                    action.id,
                    version + 1,
                    action.status.code(),
                    token::sha256_hex(body.as_bytes())
                );
                self.append_audit(&mut tx, &event).await?;
                tx.commit().await?;
                Ok($crate::store::actions::StoredAction {
                    action: action.clone(),
                    version: version + 1,
                    updated_at: at,
                    updated_by: by.to_owned(),
                })
            }

            async fn add_submission_with_actions(
                &self,
                submission: NewSubmission,
                actions: &[$crate::actions::Action],
                audit: &AuditEvent,
            ) -> Result<(Stored, usize), StoreError> {
                self.store_submission(submission, actions, audit).await
            }
        }
    };
}

pub(super) use actions_methods;
