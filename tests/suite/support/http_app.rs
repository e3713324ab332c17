//! The service on a real socket in the test process, with a token for every role.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Arc;

use reqwest::{Client, Method, Response};
use serde_json::Value;

use safeguarding_forms::forms::Registry;
use safeguarding_forms::http::{self, AppState, Limits};
use safeguarding_forms::store::{AuditEvent, NewToken, Role};

use super::http_db::{Backend, TestDb};

/// The agencies of the sample case KSCP-2026-014, as its samples name them.
pub const AGENCIES: [(&str, &str); 5] = [
    (
        "kcc-childrens-social-care",
        "Kent County Council Children's Social Care",
    ),
    ("kent-police", "Kent Police"),
    (
        "kent-community-health-nhs-ft",
        "Kent Community Health NHS Foundation Trust",
    ),
    ("gp-nhs-england", "GP practice (NHS England primary care)"),
    (
        "east-kent-hospitals",
        "East Kent Hospitals University NHS Foundation Trust",
    ),
];

/// A running service and its tokens.
pub struct App {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The client.
    pub client: Client,
    /// The database behind it.
    pub db: TestDb,
    /// Bearer tokens by name: `partnership`, `reviewer` (assigned to the cases `open_case`
    /// opens), `reviewer:unassigned`, `admin`, `agency:<id>`, and `expired` and `revoked`
    /// partnership tokens, and `throwaway` (a reviewer token to revoke).
    pub tokens: HashMap<String, String>,
    /// The tokens' public ids, by the same names.
    pub ids: HashMap<String, String>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl App {
    /// Starts the service on a free port against a fresh database.
    pub async fn start(backend: Backend) -> App {
        Self::start_with(backend, Limits::default()).await
    }

    /// Starts the service with given limits.
    pub async fn start_with(backend: Backend, limits: Limits) -> App {
        let db = TestDb::new(backend).await;
        let registry = Registry::load().expect("the built-in forms load");
        let state = AppState::new(
            Arc::new(registry),
            db.store.clone(),
            safeguarding_forms::calendar::Config::embedded().expect("the calendar loads"),
            limits,
        )
        .expect("the templates compile");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = http::serve(listener, state, async {
                let _ = rx.await;
            })
            .await;
        });
        let mut tokens = HashMap::new();
        let mut ids = HashMap::new();
        let mint = |role: Role, agency: Option<&str>| NewToken {
            role,
            agency: agency.map(str::to_owned),
            created_by: "test".to_owned(),
            expires_at: None,
        };
        let audit = AuditEvent {
            principal: "test".to_owned(),
            role: Role::Admin,
            agency: None,
            action: "POST /tokens".to_owned(),
            case: String::new(),
            outcome: "ok".to_owned(),
            detail: String::new(),
        };
        let others = [
            ("reviewer:unassigned", Role::Reviewer),
            ("expired", Role::Partnership),
            ("revoked", Role::Partnership),
            ("throwaway", Role::Reviewer),
        ];
        let roles =
            [Role::Partnership, Role::Reviewer, Role::Admin].map(|role| (role.as_str(), role));
        for (name, role) in roles.into_iter().chain(others) {
            let mut new = mint(role, None);
            if name == "expired" {
                new.expires_at = Some("2000-01-01T00:00:00.000000Z".to_owned());
            }
            let (token, bearer) = db.store.create_token(new, &audit).await.expect("mints");
            if name == "revoked" {
                db.store
                    .revoke_token(&token.id, &audit)
                    .await
                    .expect("revokes");
            }
            tokens.insert(name.to_owned(), bearer);
            ids.insert(name.to_owned(), token.id);
        }
        for (agency, _) in AGENCIES.iter().chain([("stranger-agency", "")].iter()) {
            let (token, bearer) = db
                .store
                .create_token(mint(Role::Agency, Some(agency)), &audit)
                .await
                .expect("mints");
            tokens.insert(format!("agency:{agency}"), bearer);
            ids.insert(format!("agency:{agency}"), token.id);
        }
        App {
            base,
            client: Client::new(),
            db,
            tokens,
            ids,
            shutdown: Some(tx),
        }
    }

    /// The public id of a named token.
    pub fn token_id(&self, who: &str) -> &str {
        self.ids
            .get(who)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no token called {who}"))
    }

    /// Assigns the test reviewer to a case, as the partnership would.
    pub async fn assign_reviewer(&self, case: &str) {
        let (status, body) = self
            .post(
                &format!("/cases/{case}/reviewers"),
                "partnership",
                &serde_json::json!({"reviewer": self.token_id("reviewer")}),
            )
            .await;
        assert_eq!(status, 200, "assigns the reviewer: {body}");
    }

    /// The bearer token of a name.
    pub fn token(&self, who: &str) -> &str {
        self.tokens
            .get(who)
            .map(String::as_str)
            .unwrap_or("missing")
    }

    /// Sends a request as `who` (None: no token), with an optional JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        who: Option<&str>,
        body: Option<&Value>,
    ) -> Response {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(who) = who {
            request = request.bearer_auth(self.token(who));
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("the service answers")
    }

    /// POSTs raw bytes with a content type as `who`.
    pub async fn post_bytes(
        &self,
        path: &str,
        who: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Response {
        self.client
            .post(format!("{}{path}", self.base))
            .bearer_auth(self.token(who))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("the service answers")
    }

    /// GET as `who`, returning the status and the body's bytes.
    pub async fn get_bytes(&self, path: &str, who: &str) -> (u16, Vec<u8>) {
        let response = self.send(Method::GET, path, Some(who), None).await;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.expect("a body");
        (status, bytes.to_vec())
    }

    /// GET as `who`, returning status and JSON.
    pub async fn get(&self, path: &str, who: &str) -> (u16, Value) {
        let response = self.send(Method::GET, path, Some(who), None).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// POST JSON as `who`, returning status and JSON.
    pub async fn post(&self, path: &str, who: &str, body: &Value) -> (u16, Value) {
        let response = self.send(Method::POST, path, Some(who), Some(body)).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A sample submission from `samples/`.
pub fn sample(path: &str) -> Value {
    let full = format!("{}/samples/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// Asserts a response is a problem with this status, and returns its detail.
pub async fn assert_problem(response: Response, status: u16, what: &str) -> String {
    assert_eq!(response.status().as_u16(), status, "{what}: status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        content_type, "application/problem+json",
        "{what}: content type"
    );
    let body: Value = response.json().await.expect("a JSON problem");
    assert_eq!(body["status"], status, "{what}: body status");
    let detail = body["detail"].as_str().unwrap_or_default().to_owned();
    assert!(
        detail.len() > 20,
        "{what}: a plain-English detail, got {detail:?}"
    );
    detail
}
