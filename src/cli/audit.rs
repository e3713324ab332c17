//! `safeguarding-forms audit verify|checkpoint`: the audit log checked whole, and its head
//! exported to keep outside the database.

use std::path::Path;
use std::process::ExitCode;

use safeguarding_forms::store::{Checkpoint, StoreError};

use super::token::with_store;
use super::{CliError, Database};

/// Checks the log; exit 0 when it verifies, 1 naming the first bad entry when it does not.
pub fn verify(db: &Database, checkpoint: Option<&Path>) -> Result<ExitCode, CliError> {
    let checkpoint: Option<Checkpoint> = match checkpoint {
        Some(path) => {
            let text = std::fs::read_to_string(path)?;
            Some(serde_json::from_str(&text).map_err(|e| {
                CliError::Usage(format!(
                    "{} is not a checkpoint written by `audit checkpoint`: {e}",
                    path.display()
                ))
            })?)
        }
        None => None,
    };
    with_store(db, async |store| {
        match store.check_audit(checkpoint.as_ref()).await {
            Ok(check) => {
                println!(
                    "The audit log verifies: {} entries{}{}.",
                    check.entries,
                    check
                        .sealed_from
                        .map(|seq| format!(", sealed from entry {seq}"))
                        .unwrap_or_else(|| ", none sealed".to_owned()),
                    checkpoint
                        .map(|c| format!(", and it still holds checkpoint entry {}", c.seq))
                        .unwrap_or_default()
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(
                error @ (StoreError::Tampered { .. }
                | StoreError::Unsealed { .. }
                | StoreError::Truncated { .. }),
            ) => {
                println!("{error}");
                Ok(ExitCode::from(1))
            }
            Err(error) => Err(error.into()),
        }
    })
}

/// Writes the log's last entry to a file.
pub fn checkpoint(db: &Database, output: &Path) -> Result<ExitCode, CliError> {
    with_store(db, async |store| {
        let check = store.check_audit(None).await?;
        let Some(head) = check.head else {
            return Err(CliError::Usage(
                "The audit log is empty: there is nothing to checkpoint yet.".to_owned(),
            ));
        };
        std::fs::write(output, serde_json::to_string_pretty(&head)? + "\n")?;
        println!(
            "Checkpoint of entry {} written to {}: keep it somewhere the database's administrators cannot change.",
            head.seq,
            output.display()
        );
        Ok(ExitCode::SUCCESS)
    })
}
