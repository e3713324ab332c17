//! `safeguarding-forms serve`: the HTTP service.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use safeguarding_forms::calendar::Config;
use safeguarding_forms::forms::Registry;
use safeguarding_forms::http::{self, AppState, Limits};
use safeguarding_forms::store;

use super::CliError;

/// Starts the service and runs until SIGTERM or ctrl-c, finishing requests in flight.
pub fn run(
    registry: Registry,
    addr: SocketAddr,
    database: &str,
    body_limit: usize,
) -> Result<ExitCode, CliError> {
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
        let store = store::open(database).await?;
        let limits = Limits {
            body_bytes: body_limit,
            ..Limits::default()
        };
        let state = AppState::new(Arc::new(registry), store, Config::embedded()?, limits)
            .map_err(|e| CliError::Templates(e.to_string()))?;
        let listener = tokio::net::TcpListener::bind(addr)
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
