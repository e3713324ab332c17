//! The shared store: PostgreSQL, so several stateless service instances can use one database.

use std::str::FromStr;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use super::sql::sql_store;

/// The case store in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    key: Option<super::AuditKey>,
    pool: PgPool,
}

fn migrator() -> Migrator {
    super::sql::migrator([
        include_str!("../../migrations/postgres/0001_case_store.sql"),
        include_str!("../../migrations/postgres/0002_audit_tokens_reviewers.sql"),
        include_str!("../../migrations/postgres/0003_people_sessions_drafts.sql"),
        include_str!("../../migrations/postgres/0004_actions.sql"),
        include_str!("../../migrations/postgres/0005_submission_digest.sql"),
    ])
}

impl PostgresStore {
    /// The same store, sealing every audit entry it writes with `key`.
    pub fn sealed(mut self, key: Option<super::AuditKey>) -> Self {
        self.key = key;
        self
    }

    /// Connects to a `postgres://` URL and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Self, super::StoreError> {
        Self::connect(PgConnectOptions::from_str(url)?).await
    }

    /// Connects with every table in one PostgreSQL schema, created if missing: lets test runs,
    /// or several partnerships, share a database without sharing tables.
    pub async fn open_in_schema(url: &str, schema: &str) -> Result<Self, super::StoreError> {
        if schema.is_empty()
            || !schema
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(super::StoreError::Invalid(format!(
                "\"{schema}\" is not a usable schema name: use lower-case letters, digits and _."
            )));
        }
        let options = PgConnectOptions::from_str(url)?;
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE SCHEMA IF NOT EXISTS {schema}"
        )))
        .execute(&admin)
        .await?;
        admin.close().await;
        Self::connect(options.options([("search_path", schema)])).await
    }

    async fn connect(options: PgConnectOptions) -> Result<Self, super::StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        migrator().run(&pool).await?;
        Ok(PostgresStore { key: None, pool })
    }
}

/// Each case's agencies asked, as a JSON list (see `sql::overview_cases`).
const ASKED_JSON: &str = "(SELECT COALESCE(json_agg(json_build_array(a.agency_id, \
     a.agency_name, a.asked_at, a.asked_by)), '[]'::json)::text \
     FROM case_agencies a WHERE a.case_id = c.id)";

sql_store!(PostgresStore, "BEGIN");
