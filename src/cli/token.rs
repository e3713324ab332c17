//! `safeguarding-forms token create`: issues a bearer token and prints it once.

use std::process::ExitCode;

use safeguarding_forms::store::{self, Role};

use super::CliError;

/// Creates a token in the database and prints it; only its hash is kept.
pub fn create(database: &str, role: &str, agency: Option<&str>) -> Result<ExitCode, CliError> {
    let role: Role = role.parse()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Serve)?;
    runtime.block_on(async {
        let store = store::open(database).await?;
        let (token, bearer) = store.create_token(role, agency).await?;
        eprintln!(
            "Created a {} token (id {}{}). It is shown only this once: keep it safe.",
            token.role,
            token.id,
            token
                .agency
                .as_deref()
                .map(|a| format!(", agency {a}"))
                .unwrap_or_default()
        );
        println!("{bearer}");
        Ok(ExitCode::SUCCESS)
    })
}
