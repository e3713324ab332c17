//! `safeguarding-forms calendar ...`: working-day arithmetic and bank holidays on the command
//! line, with the built-in calendar or a partnership's `--config FILE`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::NaiveDate;
use clap::Subcommand;

use super::CliError;
use safeguarding_forms::calendar::Config;
use safeguarding_forms::validate::rules::parse_date;

/// The calendar subcommands.
#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Print the date N working days after DATE (before it when N is negative). The day of
    /// DATE itself is day 0.
    AddWorkingDays {
        /// Start date, YYYY-MM-DD.
        #[arg(value_parser = date_arg)]
        date: NaiveDate,
        /// Number of working days (may be 0 or negative).
        #[arg(allow_negative_numbers = true)]
        n: i64,
    },
    /// Print the number of working days after FROM up to and including TO.
    WorkingDaysBetween {
        /// First date, YYYY-MM-DD.
        #[arg(value_parser = date_arg)]
        from: NaiveDate,
        /// Second date, YYYY-MM-DD.
        #[arg(value_parser = date_arg)]
        to: NaiveDate,
    },
    /// List the bank holidays (and the partnership's closure days) of YEAR.
    Holidays {
        /// The year, 2000 to 2100.
        #[arg(allow_negative_numbers = true)]
        year: i32,
    },
}

/// Parses a `YYYY-MM-DD` argument, with a message a person can act on.
pub fn date_arg(text: &str) -> Result<NaiveDate, String> {
    parse_date(text).ok_or_else(|| {
        "this is not a real date written YYYY-MM-DD (for example 2026-03-14)".to_owned()
    })
}

/// The configuration from `--config FILE`, or the built-in one.
pub fn load_config(path: Option<&Path>) -> Result<Arc<Config>, CliError> {
    Ok(match path {
        Some(path) => Arc::new(Config::load(path)?),
        None => Config::embedded()?,
    })
}

/// Runs one calendar subcommand.
pub fn run(command: CalendarCommand, config: Option<&PathBuf>) -> Result<ExitCode, CliError> {
    let config = load_config(config.map(PathBuf::as_path))?;
    let calendar = config.calendar();
    match command {
        CalendarCommand::AddWorkingDays { date, n } => {
            println!("{}", calendar.add_working_days(date, n)?);
        }
        CalendarCommand::WorkingDaysBetween { from, to } => {
            println!("{}", calendar.working_days_between(from, to)?);
        }
        CalendarCommand::Holidays { year } => {
            for day in calendar.holidays(year)? {
                println!("{}  {:<9}  {}", day.date, day.date.format("%A"), day.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
