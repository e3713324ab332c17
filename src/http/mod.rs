//! The HTTP service: forms, cases, agency uploads and drafts on demand, with bearer-token roles,
//! an audit log of every case read and write, and errors as `application/problem+json`.

pub mod actions;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod documents;
pub mod extract;
pub mod forms;
pub mod guard;
pub mod listen;
pub mod openapi;
pub mod params;
pub mod problem;
pub mod progress;
pub mod reports;
pub mod timeliness;
pub mod token_cache;
pub mod tokens;
pub mod yearly;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use serde_json::{Value, json};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::assemble::{AssembleError, Templates};
use crate::calendar::Config;
use crate::forms::Registry;
use crate::store::Store;
use crate::validate::RuleContext;
use problem::Problem;

/// Limits on each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body accepted, in bytes.
    pub body_bytes: usize,
    /// How long a request may take before it is stopped with 408.
    pub timeout: Duration,
    /// How long a connection may take to send a request's headers, and may stay open idle
    /// between requests.
    pub header_timeout: Duration,
    /// The most connections open at once; more are closed as they arrive.
    pub max_connections: usize,
    /// Heavy jobs (documents, Word files read, report checks) that may wait for a free place;
    /// past this a request gets 503 with Retry-After.
    pub heavy_queue: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 10 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(20),
            max_connections: listen::DEFAULT_MAX_CONNECTIONS,
            heavy_queue: 64,
        }
    }
}

/// What every route shares: everything here is built once, at start-up.
#[derive(Clone)]
pub struct AppState {
    /// The forms, compiled once.
    pub registry: Arc<Registry>,
    /// The case store.
    pub store: Arc<dyn Store>,
    /// The audit entries of reads, written to `store` in groups.
    pub audit: Arc<crate::store::group_commit::AuditQueue>,
    /// The statutory calendar and deadline rules.
    pub calendar: Arc<Config>,
    /// What the validation rules read beyond a submission (the same calendar).
    pub rules: Arc<RuleContext>,
    /// The document templates, compiled once with the service's calendar.
    pub templates: Arc<Templates>,
    /// Heavy jobs (documents, Word files read, report checks) running at once: at most one per
    /// core, since more would only queue inside the blocking pool while each held its memory.
    pub heavy: Arc<tokio::sync::Semaphore>,
    /// Large uploads being read at once (see [`guard::large_uploads`]).
    pub uploads: Arc<tokio::sync::Semaphore>,
    /// Requests waiting for a heavy-job or upload place.
    pub waiting: Arc<std::sync::atomic::AtomicUsize>,
    /// Tokens looked up in the last few seconds.
    pub tokens: Arc<token_cache::TokenCache>,
    /// Request limits.
    pub limits: Limits,
    /// Working days before its due date from which an open action shows amber.
    pub actions_due_soon: u32,
    /// What the web pages need from configuration.
    pub web: Arc<crate::web::Settings>,
}

impl AppState {
    /// The state of a service with these forms, store, calendar and limits; compiles the
    /// templates.
    pub fn new(
        registry: Arc<Registry>,
        store: Arc<dyn Store>,
        calendar: Arc<Config>,
        limits: Limits,
    ) -> Result<Self, AssembleError> {
        let mut templates = Templates::embedded(&registry)?;
        templates.set_calendar(calendar.clone());
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Ok(AppState {
            rules: Arc::new(RuleContext::with_calendar(calendar.clone())),
            templates: Arc::new(templates),
            heavy: Arc::new(tokio::sync::Semaphore::new(cores)),
            uploads: Arc::new(tokio::sync::Semaphore::new(cores)),
            waiting: Arc::default(),
            tokens: Arc::default(),
            audit: Arc::new(crate::store::group_commit::AuditQueue::new(store.clone())),
            registry,
            store,
            calendar,
            limits,
            actions_due_soon: actions::DUE_SOON_DAYS,
            web: Arc::default(),
        })
    }

    /// The same state with the web pages' settings.
    #[must_use]
    pub fn with_web(mut self, settings: crate::web::Settings) -> Self {
        self.web = Arc::new(settings);
        self
    }

    /// The same state with another window (in working days) for actions due soon.
    #[must_use]
    pub fn with_actions_due_soon(mut self, days: u32) -> Self {
        self.actions_due_soon = days;
        self
    }

    /// Runs CPU-heavy work on the blocking pool once one of the heavy-job places is free; when
    /// as many requests as `limits.heavy_queue` are already waiting, answers 503 with
    /// Retry-After at once (the wait is also bounded by the request timeout).
    pub async fn heavy<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Problem> {
        let permit = match self.heavy.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                let waiting = Waiting::join(&self.waiting, self.limits.heavy_queue)
                    .ok_or_else(|| Problem::busy(2))?;
                let permit = self
                    .heavy
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| Problem::internal())?;
                drop(waiting);
                permit
            }
        };
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|_| Problem::internal())
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// A place in the queue for heavy work, given back when dropped.
pub(crate) struct Waiting<'a>(&'a std::sync::atomic::AtomicUsize);

impl<'a> Waiting<'a> {
    /// Joins the queue unless `max` are waiting already.
    pub(crate) fn join(count: &'a std::sync::atomic::AtomicUsize, max: usize) -> Option<Self> {
        use std::sync::atomic::Ordering;
        count
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| Waiting(count))
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// Every route of the service, with its middleware.
pub fn router(state: AppState) -> Router {
    let limits = state.limits;
    let authenticated = Router::new()
        .route("/forms", get(forms::list))
        .route("/forms/{id}/schema", get(forms::schema))
        .route("/forms/{id}/validate", post(forms::validate))
        .route("/forms/{id}/render", post(documents::render_form))
        .route("/forms/{id}/blank.docx", get(reports::blank_form))
        .route("/reports/check", post(reports::check))
        .route("/cases", get(cases::list).post(cases::create))
        .route("/cases/{id}", get(cases::read))
        .route("/cases/{id}/agencies", post(cases::ask))
        .route("/cases/{id}/reviewers", post(cases::assign_reviewer))
        .route(
            "/cases/{id}/submissions",
            get(cases::submissions).post(cases::submit),
        )
        .route("/cases/{id}/submissions/{n}", get(cases::submission))
        .route("/cases/{id}/audit", get(cases::audit))
        .route(
            "/cases/{id}/documents/{kind}",
            get(documents::case_document),
        )
        .route("/cases/{id}/reports/check", post(reports::check_case))
        .route(
            "/cases/{id}/forms/{form}/blank.docx",
            get(reports::case_blank_form),
        )
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}", axum::routing::delete(tokens::revoke))
        .route("/audit/verify", get(tokens::verify_audit))
        .route("/actions", get(actions::list).post(actions::add))
        .route("/actions/{id}", get(actions::read).put(actions::update))
        .route("/reports/timeliness", get(timeliness::timeliness))
        .route("/reports/yearly", post(yearly::yearly))
        .route("/reports/yearly/check", post(yearly::check))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            guard::large_uploads,
        ))
        // Inside the audit: a request stopped for taking too long is recorded too.
        .route_layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.timeout,
        ))
        .route_layer(middleware::from_fn_with_state(state.clone(), audit::record))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ));
    let pages = crate::web::router(&state).route_layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        limits.timeout,
    ));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi::document))
        .merge(authenticated)
        .merge(pages)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(RequestBodyLimitLayer::new(limits.body_bytes))
        // A backstop for what the inner, audited time-out does not cover (reading the token).
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.timeout + Duration::from_secs(5),
        ))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("a request handler panicked");
            axum::response::IntoResponse::into_response(Problem::internal())
        }))
        .layer(middleware::from_fn(problem::ensure_problem))
        .layer(middleware::from_fn(audit::log))
        .layer(middleware::from_fn(guard::headers))
        .with_state(state)
}

/// Whether the service and its database answer.
#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "Up"),
        (status = 503, description = "The database does not answer", body = Problem)))]
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Value>, Problem> {
    state.store.ping().await?;
    Ok(Json(json!({"status": "ok"})))
}

/// An unknown address: a page for a browser (which asks for HTML first), a problem for a
/// machine.
async fn not_found(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let wants_page = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.trim_start().starts_with("text/html"));
    if wants_page {
        return crate::web::PageError::new(
            &state,
            StatusCode::NOT_FOUND,
            "There is nothing at this address. Check it for a mistake, or go back to your cases.",
        )
        .into_response();
    }
    Problem::not_found(
        "There is nothing at this address. GET /openapi.json lists every address the service answers.",
    )
    .into_response()
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "This address does not take that kind of request. GET /openapi.json lists the methods each address takes.",
    )
}

pub use listen::serve;

/// Completes on SIGTERM or ctrl-c.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
