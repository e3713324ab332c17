//! Fresh databases for tests: a SQLite file in a temporary folder, or a PostgreSQL schema of
//! its own (from `SF_TEST_POSTGRES_URL`, default the machine's `test` database). PostgreSQL
//! tests fail, never skip, when the server cannot be reached.

#![allow(dead_code)]

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use safeguarding_forms::store::{PostgresStore, SqliteStore, Store};

/// The PostgreSQL server the tests use.
pub fn postgres_url() -> String {
    std::env::var("SF_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL schema.
    Postgres,
}

/// A fresh, empty store and the means to reach its tables directly.
pub struct TestDb {
    /// The store.
    pub store: Arc<dyn Store>,
    /// A URL the service can open to reach the same tables.
    pub url: String,
    backend: Backend,
    schema: String,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    /// A fresh database of the given kind.
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let url = format!("sqlite://{}/nested/cases.db", dir.path().display());
                let store = SqliteStore::open(&url)
                    .await
                    .expect("the SQLite store opens in a temporary folder");
                TestDb {
                    store: Arc::new(store),
                    url,
                    backend,
                    schema: String::new(),
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default();
                let schema = format!(
                    "sf_test_{}_{}_{}",
                    std::process::id(),
                    nanos % 1_000_000_000,
                    COUNTER.fetch_add(1, Ordering::Relaxed)
                );
                let url = postgres_url();
                let store = PostgresStore::open_in_schema(&url, &schema)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("PostgreSQL at {url} is needed for this test and failed: {e}")
                    });
                let separator = if url.contains('?') { '&' } else { '?' };
                let schema_url = format!("{url}{separator}options=-c%20search_path%3D{schema}");
                TestDb {
                    store: Arc::new(store),
                    url: schema_url,
                    backend,
                    schema,
                    _dir: None,
                }
            }
        }
    }

    /// Runs one statement straight on the tables, bypassing the store.
    pub async fn raw(&self, sql: &str) -> Result<u64, sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self.backend {
            Backend::Sqlite => {
                let options = sqlx::sqlite::SqliteConnectOptions::from_str(&self.url)?;
                let pool = sqlx::SqlitePool::connect_with(options).await?;
                let done = sqlx::query(sql).execute(&pool).await;
                pool.close().await;
                Ok(done?.rows_affected())
            }
            Backend::Postgres => {
                let options = sqlx::postgres::PgConnectOptions::from_str(&postgres_url())?
                    .options([("search_path", self.schema.as_str())]);
                let pool = sqlx::PgPool::connect_with(options).await?;
                let done = sqlx::query(sql).execute(&pool).await;
                pool.close().await;
                Ok(done?.rows_affected())
            }
        }
    }
}
