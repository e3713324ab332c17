//! The HTTP service: forms, cases, agency uploads and drafts on demand, with bearer-token roles,
//! an audit log of every case read and write, and errors as `application/problem+json`.

pub mod audit;
pub mod auth;
pub mod cases;
pub mod documents;
pub mod extract;
pub mod forms;
pub mod openapi;
pub mod params;
pub mod problem;
pub mod progress;
pub mod reports;
pub mod tokens;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
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
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 10 * 1024 * 1024,
            timeout: Duration::from_secs(30),
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
    /// The statutory calendar and deadline rules.
    pub calendar: Arc<Config>,
    /// What the validation rules read beyond a submission (the same calendar).
    pub rules: Arc<RuleContext>,
    /// The document templates, compiled once with the service's calendar.
    pub templates: Arc<Templates>,
    /// Heavy jobs (documents, Word files read, report checks) running at once: at most one per
    /// core, since more would only queue inside the blocking pool while each held its memory.
    pub heavy: Arc<tokio::sync::Semaphore>,
    /// Request limits.
    pub limits: Limits,
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
            registry,
            store,
            calendar,
            limits,
        })
    }

    /// Runs CPU-heavy work on the blocking pool once one of the heavy-job places is free (the
    /// wait is bounded by the request timeout).
    pub async fn heavy<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Problem> {
        let permit = self
            .heavy
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Problem::internal())?;
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
        .route_layer(middleware::from_fn_with_state(state.clone(), audit::record))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi::document))
        .merge(authenticated)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(RequestBodyLimitLayer::new(limits.body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.timeout,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("a request handler panicked");
            axum::response::IntoResponse::into_response(Problem::internal())
        }))
        .layer(middleware::from_fn(problem::ensure_problem))
        .layer(middleware::from_fn(audit::log))
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

async fn not_found() -> Problem {
    Problem::not_found(
        "There is nothing at this address. GET /openapi.json lists every address the service answers.",
    )
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "This address does not take that kind of request. GET /openapi.json lists the methods each address takes.",
    )
}

/// Serves until `shutdown` completes, then lets in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

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
