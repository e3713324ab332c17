//! `safeguarding-forms serve`: the HTTP service.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use safeguarding_forms::calendar::Config;
use safeguarding_forms::forms::Registry;
use safeguarding_forms::http::{self, AppState, Limits};
use safeguarding_forms::store::{self, AuditEvent, AuditKey, Role, Store};

use super::{CliError, Database};

/// What `serve` was given.
pub struct Options<'a> {
    /// Where to listen.
    pub addr: SocketAddr,
    /// The database and audit key.
    pub db: &'a Database,
    /// The request and connection limits.
    pub limits: Limits,
    /// Start on an audit log that does not verify.
    pub allow_broken_audit: bool,
    /// The partnership's name, for the web pages.
    pub partnership: String,
    /// Working days before its due date from which an open action shows amber.
    pub actions_due_soon_days: u32,
}

/// Opens the store with its audit key: the file given, else `audit.key` beside a SQLite
/// database (created when missing, sealing every entry from then on); unsealed for PostgreSQL
/// without a file, said loudly.
pub async fn open_store(db: &Database) -> Result<Arc<dyn Store>, CliError> {
    let Some(path) = key_path(db) else {
        tracing::warn!(
            "no --audit-key given: the audit log is hash-chained but not sealed, so a recomputed chain would not be detected"
        );
        return Ok(store::open(&db.database).await?);
    };
    let head = if path.exists() {
        0
    } else {
        // A new key seals what comes next; what is there already keeps its hash chain only.
        let plain = store::open(&db.database).await?;
        plain
            .check_audit(None)
            .await?
            .head
            .map_or(0, |head| head.seq)
    };
    let key = AuditKey::load_or_create(&path, head)?;
    Ok(store::open_sealed(&db.database, Some(key)).await?)
}

/// Where the audit key is: the file given, else beside a SQLite database.
fn key_path(db: &Database) -> Option<PathBuf> {
    match &db.audit_key {
        Some(path) => Some(path.clone()),
        None => db
            .database
            .strip_prefix("sqlite://")
            .or_else(|| db.database.strip_prefix("sqlite:"))
            .map(|file| {
                let file = PathBuf::from(file.split('?').next().unwrap_or(file));
                file.parent()
                    .map(|folder| folder.join("audit.key"))
                    .unwrap_or_else(|| PathBuf::from("audit.key"))
            }),
    }
}

/// Checks the audit log before serving: a log that does not verify stops the start, unless
/// `allow` is set, when it is said loudly and recorded in the log itself.
async fn check_audit_at_start(store: &Arc<dyn Store>, allow: bool) -> Result<(), CliError> {
    let Err(error) = store.check_audit(None).await else {
        return Ok(());
    };
    if !matches!(
        error,
        store::StoreError::Tampered { .. }
            | store::StoreError::Unsealed { .. }
            | store::StoreError::Truncated { .. }
    ) {
        return Err(error.into());
    }
    if !allow {
        return Err(CliError::Usage(format!(
            "{error} The service will not start on an audit log that does not verify: find out what happened (`safeguarding-forms audit verify`), or start with --allow-broken-audit to serve anyway, which is recorded."
        )));
    }
    tracing::error!(error = %error, "STARTING ON AN AUDIT LOG THAT DOES NOT VERIFY (--allow-broken-audit)");
    store
        .audit(AuditEvent {
            principal: "command line".to_owned(),
            role: Role::Admin,
            agency: None,
            action: "serve --allow-broken-audit".to_owned(),
            case: String::new(),
            outcome: "audit-log-broken".to_owned(),
            detail: error.to_string(),
        })
        .await?;
    Ok(())
}

/// The web pages' settings. The session cookie is `Secure` (HTTPS only) unless the service
/// listens on the loopback address alone, where a browser on the same machine reaches it over
/// plain HTTP; anywhere else the service must sit behind HTTPS.
fn web_settings(options: &Options<'_>) -> safeguarding_forms::web::Settings {
    let secure_cookies = !options.addr.ip().is_loopback();
    if !secure_cookies {
        tracing::info!(
            "listening on the loopback address: the session cookie is sent over plain HTTP (it is marked Secure on any other address)"
        );
    }
    safeguarding_forms::web::Settings {
        partnership: options.partnership.clone(),
        secure_cookies,
        ..safeguarding_forms::web::Settings::default()
    }
}

/// Starts the service and runs until SIGTERM or ctrl-c, finishing requests in flight.
pub fn run(registry: Registry, options: &Options<'_>) -> Result<ExitCode, CliError> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::Serve)?;
    runtime.block_on(async {
        let store = open_store(options.db).await?;
        check_audit_at_start(&store, options.allow_broken_audit).await?;
        let state = AppState::new(
            Arc::new(registry),
            store,
            Config::embedded()?,
            options.limits,
        )
        .map_err(|e| CliError::Templates(e.to_string()))?
        .with_web(web_settings(options))
        .with_actions_due_soon(options.actions_due_soon_days);
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .map_err(CliError::Serve)?;
        let bound = listener.local_addr().map_err(CliError::Serve)?;
        // Printed on stdout so scripts (and the durability test) can find a port chosen by the OS.
        println!("safeguarding-forms listening on http://{bound}");
        http::serve(listener, state, http::shutdown_signal())
            .await
            .map_err(CliError::Serve)?;
        Ok(ExitCode::SUCCESS)
    })
}
