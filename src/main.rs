//! The `safeguarding-forms` command line: the same library functions the HTTP API calls.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("safeguarding-forms: {error}");
            ExitCode::from(2)
        }
    }
}
