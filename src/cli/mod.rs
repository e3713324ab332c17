//! Command-line commands. Each returns the process exit code; errors that stop a command
//! altogether come back as [`CliError`] and exit with 2.

mod serve;
mod token;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use thiserror::Error;

use safeguarding_forms::forms::{FormError, Registry};
use safeguarding_forms::store::{DEFAULT_DATABASE_URL, StoreError};

/// Statutory child safeguarding practice review forms: validate, render and serve them.
#[derive(Debug, Parser)]
#[command(name = "safeguarding-forms", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the forms with their titles and versions.
    Forms,
    /// Validate submissions: exit 0 when all are valid, 1 when any has an error, 2 when a file
    /// cannot be read or names no known form.
    Validate {
        /// JSON files to validate.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// Print the reports as JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Run the HTTP service.
    Serve {
        /// Address to listen on (port 0 lets the system choose).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Database: a sqlite:// file (created on first start) or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DATABASE_URL)]
        database: String,
        /// The largest request body accepted, in bytes.
        #[arg(long, default_value_t = 10 * 1024 * 1024)]
        body_limit: usize,
    },
    /// Manage access tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a token and print it once; only its hash is stored.
    Create {
        /// agency, partnership, reviewer or admin.
        #[arg(long)]
        role: String,
        /// The agency an agency token belongs to, e.g. kent-police.
        #[arg(long)]
        agency: Option<String>,
        /// Database: a sqlite:// file or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DATABASE_URL)]
        database: String,
    },
}

/// A failure that stops a command.
#[derive(Debug, Error)]
pub enum CliError {
    /// The built-in forms failed to load.
    #[error(transparent)]
    Forms(#[from] FormError),
    /// Writing output failed.
    #[error("could not write the output: {0}")]
    Output(#[from] std::io::Error),
    /// Encoding a report failed.
    #[error("could not encode the report: {0}")]
    Encode(#[from] serde_json::Error),
    /// The case store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The service could not start or listen.
    #[error("the service could not start: {0}")]
    Serve(std::io::Error),
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    let registry = Registry::load()?;
    match cli.command {
        Command::Forms => {
            for form in registry.forms() {
                println!("{:<20} {:<6} {}", form.id(), form.version(), form.title());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { files, json } => validate::run(&registry, &files, json),
        Command::Serve {
            addr,
            database,
            body_limit,
        } => serve::run(registry, addr, &database, body_limit),
        Command::Token {
            command:
                TokenCommand::Create {
                    role,
                    agency,
                    database,
                },
        } => token::create(&database, &role, agency.as_deref()),
    }
}
