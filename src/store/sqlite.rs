//! The embedded store: one SQLite file, in WAL mode with full sync, foreign keys on.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::sql::sql_store;

/// The case store in a SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    key: Option<super::AuditKey>,
    pool: SqlitePool,
}

fn migrator() -> Migrator {
    super::sql::migrator([
        include_str!("../../migrations/sqlite/0001_case_store.sql"),
        include_str!("../../migrations/sqlite/0002_audit_tokens_reviewers.sql"),
        include_str!("../../migrations/sqlite/0003_people_sessions_drafts.sql"),
        include_str!("../../migrations/sqlite/0004_actions.sql"),
        include_str!("../../migrations/sqlite/0005_submission_digest.sql"),
    ])
}

impl SqliteStore {
    /// The same store, sealing every audit entry it writes with `key`.
    pub fn sealed(mut self, key: Option<super::AuditKey>) -> Self {
        self.key = key;
        self
    }

    /// Opens (creating if need be) the file a `sqlite://PATH` URL names, and its folder, and
    /// brings its schema up to date.
    pub async fn open(url: &str) -> Result<Self, super::StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if let Some(folder) = options.get_filename().parent()
            && !folder.as_os_str().is_empty()
        {
            std::fs::create_dir_all(folder)?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        migrator().run(&pool).await?;
        Ok(SqliteStore { key: None, pool })
    }
}

/// Each case's agencies asked, as a JSON list (see `sql::overview_cases`).
const ASKED_JSON: &str = "(SELECT json_group_array(json_array(a.agency_id, a.agency_name, \
     a.asked_at, a.asked_by)) FROM case_agencies a WHERE a.case_id = c.id)";

// BEGIN IMMEDIATE takes the write lock at once, so two writers never deadlock upgrading a read.
sql_store!(SqliteStore, "BEGIN IMMEDIATE");
