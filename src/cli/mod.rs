//! Command-line commands. Each returns the process exit code; errors that stop a command
//! altogether come back as [`CliError`] and exit with 2.

mod actions;
mod audit;
mod calendar;
mod check_report;
mod render;
mod serve;
mod timetable;
mod token;
mod validate;
mod wordforms;
mod yearly;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use thiserror::Error;

use safeguarding_forms::forms::{FormError, Registry};
use safeguarding_forms::store::{DEFAULT_DATABASE_URL, StoreError};

/// Statutory child safeguarding practice review forms: validate, render and serve them.
#[derive(Debug, Parser)]
#[command(name = "safeguarding-forms", version, about)]
pub struct Cli {
    /// A folder of forms the partnership adds to the built-in ones: each a schema
    /// (`<id>.schema.json`, with the annotations of schemas/README.md) and a template
    /// (`<id>.md.hbs`) side by side.
    #[arg(long, global = true, value_name = "DIR")]
    forms: Option<std::path::PathBuf>,
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
    /// Write the blank Word form of a form: one content control per field, to fill in and
    /// read back with `ingest`.
    Blank {
        /// The form id, e.g. agency-summary (see `forms`).
        form: String,
        /// Where to write the .docx.
        #[arg(short, long)]
        output: std::path::PathBuf,
        /// A JSON file of values to write into the form (e.g. the case reference).
        #[arg(long, value_name = "JSON")]
        prefill: Option<std::path::PathBuf>,
        /// Entries offered for each list (recommendations, periods of involvement, ...).
        #[arg(long, default_value_t = 3)]
        rows: usize,
    },
    /// Read a filled Word form back into its JSON and validate it: exit 0 valid, 1 errors,
    /// 2 the file is not a readable form.
    Ingest {
        /// The filled .docx.
        file: std::path::PathBuf,
        /// Print the submission and its report as JSON.
        #[arg(long)]
        json: bool,
        /// Also write the submission's JSON to this file.
        #[arg(short, long)]
        output: Option<std::path::PathBuf>,
    },
    /// Check a draft final report (.docx or final-report JSON) for completeness and for details
    /// that could identify anyone: exit 0 when ready to publish, 1 when anything is missing,
    /// weak or identifying, 2 when a file cannot be read.
    CheckReport {
        /// The draft: a Word (.docx) file or a final-report JSON submission.
        file: std::path::PathBuf,
        /// The case's own forms (notification, agency summaries: JSON), searched for names,
        /// dates of birth, addresses and numbers.
        #[arg(long, num_args = 1..)]
        case: Vec<std::path::PathBuf>,
        /// Print the report as JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Also write the reviewer's checklist as docx or pdf (with -o).
        #[arg(long, requires = "output")]
        format: Option<safeguarding_forms::render::Format>,
        /// Where to write the checklist.
        #[arg(short, long, requires = "format")]
        output: Option<std::path::PathBuf>,
        /// A partnership's word lists for the check (TOML, like config/report-check.toml)
        /// instead of the built-in national ones.
        #[arg(long, value_name = "FILE")]
        config: Option<std::path::PathBuf>,
    },
    /// Working days and bank holidays: add-working-days, working-days-between, holidays.
    Calendar {
        #[command(subcommand)]
        command: calendar::CalendarCommand,
        /// A partnership's calendar configuration (TOML) instead of the built-in one.
        #[arg(long, global = true, value_name = "FILE")]
        config: Option<std::path::PathBuf>,
    },
    /// Print the statutory timetable of one case from its forms (notification, rapid review
    /// record, final report; other forms are accepted and not used): every step's due date,
    /// done date and status. Exit 2 when a file cannot be used.
    Timetable {
        /// The case's form files, in any order.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// Work statuses out as on this day (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = calendar::date_arg, value_name = "DATE")]
        today: Option<chrono::NaiveDate>,
        /// Print the timetable as JSON instead of text.
        #[arg(long)]
        json: bool,
        /// A partnership's calendar configuration (TOML) instead of the built-in one.
        #[arg(long, value_name = "FILE")]
        config: Option<std::path::PathBuf>,
    },
    /// Make Word or PDF documents from form submissions: each valid file becomes its form's
    /// document (a final report becomes the publishable report). Exit 2 when any file cannot
    /// be used.
    Render {
        /// Form submissions (JSON).
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// docx (Word, for editing) or pdf (accessible PDF, for publishing).
        #[arg(long)]
        format: safeguarding_forms::render::Format,
        /// Output file for one input, or folder for several (default: the current folder).
        #[arg(short, long)]
        output: Option<std::path::PathBuf>,
        /// The date printed on the documents, YYYY-MM-DD (default: today).
        #[arg(long, value_parser = calendar::date_arg, value_name = "DATE")]
        date: Option<chrono::NaiveDate>,
        /// For final reports: the improvements-only publication instead of the full report.
        #[arg(long)]
        improvements_only: bool,
        /// Protective marking in the header and footer: official-sensitive (default) or
        /// official (for a report as published).
        #[arg(long, default_value = "official-sensitive")]
        marking: safeguarding_forms::assemble::Marking,
    },
    /// Make the rapid review pack: the notification, every agency's return (agency summary or
    /// child death reporting form) and the rapid review record, given in any order.
    Pack {
        /// The notification, the agency returns and the rapid review record (JSON).
        #[arg(required = true, num_args = 2..)]
        files: Vec<std::path::PathBuf>,
        /// docx or pdf.
        #[arg(long)]
        format: safeguarding_forms::render::Format,
        /// The file to write.
        #[arg(short, long)]
        output: std::path::PathBuf,
        /// The date printed on the pack, YYYY-MM-DD (default: today).
        #[arg(long, value_parser = calendar::date_arg, value_name = "DATE")]
        date: Option<chrono::NaiveDate>,
        /// Agencies asked for a summary (codes or names, comma-separated); by default those
        /// the notification names and those the rapid review expects.
        #[arg(long, value_delimiter = ',')]
        asked: Vec<String>,
        /// Also write the covering letter to the Panel to this file.
        #[arg(long, value_name = "FILE")]
        letter: Option<std::path::PathBuf>,
    },
    /// Run the HTTP service. It checks the audit log first and will not start on a log that
    /// does not verify (unless told to, which it records).
    Serve {
        /// Address to listen on (port 0 lets the system choose).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        #[command(flatten)]
        db: Database,
        /// The largest request body accepted, in bytes.
        #[arg(long, default_value_t = 10 * 1024 * 1024)]
        body_limit: usize,
        /// Start even when the audit log does not verify: says so loudly and records it.
        #[arg(long)]
        allow_broken_audit: bool,
        /// The most connections open at once (also kept under the open-file limit).
        #[arg(long, default_value_t = safeguarding_forms::http::listen::DEFAULT_MAX_CONNECTIONS)]
        max_connections: usize,
        /// Seconds a connection may take to send a request's headers, or stay idle between
        /// requests, before it is closed.
        #[arg(long, default_value_t = 20)]
        header_timeout_secs: u64,
        /// Seconds a request may take before it is stopped with 408.
        #[arg(long, default_value_t = 30)]
        request_timeout_secs: u64,
        /// The partnership's name, heading every web page.
        #[arg(long, default_value = "Safeguarding Children Partnership")]
        partnership: String,
        /// Working days before its due date from which an open action shows amber.
        #[arg(long, default_value_t = safeguarding_forms::http::actions::DUE_SOON_DAYS)]
        actions_due_soon_days: u32,
    },
    /// Invite a person to the web pages: prints their one-time sign-in link (the first
    /// partnership user is invited this way; after that the partnership invites on the People
    /// page).
    Invite {
        /// Their full name.
        #[arg(long)]
        name: String,
        /// Their work email address.
        #[arg(long)]
        email: String,
        /// agency, partnership or reviewer.
        #[arg(long)]
        role: String,
        /// An agency user's agency: its id, e.g. kent-police.
        #[arg(long)]
        agency: Option<String>,
        /// An agency user's agency: its name, e.g. "Kent Police".
        #[arg(long)]
        agency_name: Option<String>,
        /// The address people open the service at, for the printed link.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        #[command(flatten)]
        db: Database,
    },
    /// Manage access tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Check the audit log, or export a checkpoint of it to keep elsewhere.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The action plan on the learning of reviews: list actions, update one.
    Actions {
        #[command(subcommand)]
        command: ActionsCommand,
    },
    /// The partnership's reports across every case.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
}

#[derive(Debug, Subcommand)]
enum ActionsCommand {
    /// List the actions (all, or one agency's) with their red, amber or green status today.
    List {
        /// Only the actions this agency owns, by its id (e.g. kent-police).
        #[arg(long)]
        agency: Option<String>,
        /// text (a table), json (as GET /actions gives it) or csv.
        #[arg(long, value_enum, default_value = "text")]
        format: actions::Output,
        /// Working days before its due date from which an open action shows amber.
        #[arg(long, default_value_t = safeguarding_forms::http::actions::DUE_SOON_DAYS)]
        due_soon_days: u32,
        #[command(flatten)]
        db: Database,
    },
    /// Replace an action with the one in a file, as the partnership (audited as `cli`): the
    /// action's JSON, or {"action": {...}, "version": N} as `actions list --format json` gives
    /// each. Refused when the action has changed since that version.
    Update {
        /// The action's JSON.
        #[arg(long, value_name = "ACTION.json")]
        file: std::path::PathBuf,
        /// The version the change was made from, when the file does not say.
        #[arg(long)]
        version: Option<i64>,
        #[command(flatten)]
        db: Database,
    },
}

#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// The timeliness and activity report for a period (default: the 12 months to today),
    /// beside the period before it.
    Timeliness {
        /// The first day, YYYY-MM-DD (default: 12 months before --to).
        #[arg(long)]
        from: Option<String>,
        /// The last day, YYYY-MM-DD (default: today).
        #[arg(long)]
        to: Option<String>,
        /// json, csv, docx or pdf.
        #[arg(long, value_enum, default_value = "json")]
        format: actions::ReportFormat,
        /// For csv: figures, late-steps or overdue-actions.
        #[arg(long, default_value = "figures")]
        table: String,
        /// For docx and pdf: the file to write.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<std::path::PathBuf>,
        #[command(flatten)]
        db: Database,
    },
    /// The safeguarding partners' yearly report (Working Together to Safeguard Children 2018,
    /// chapter 3, paragraphs 41 to 46) from their answers and the service's records: the
    /// written sections, the actions on review recommendations, the timeliness figures and the
    /// copies due. With --check, only the check of the answers: exit 0 when every section is
    /// written, 1 when any is missing or weak, 2 when the answers cannot be used.
    Yearly {
        /// The partnership's answers (JSON, schemas/records/yearly-report.schema.json).
        #[arg(long, value_name = "FILE.json")]
        answers: std::path::PathBuf,
        /// The first day, YYYY-MM-DD, when the answers give no period.
        #[arg(long)]
        from: Option<String>,
        /// The last day, YYYY-MM-DD, when the answers give no period.
        #[arg(long)]
        to: Option<String>,
        /// Only check the answers: each section written, weak or missing, the copies due.
        #[arg(long)]
        check: bool,
        /// json, docx or pdf (default: JSON for the report, text for --check).
        #[arg(long, value_enum)]
        format: Option<yearly::YearlyFormat>,
        /// The file to write (needed for docx and pdf; otherwise printed).
        #[arg(long, short = 'o', visible_alias = "output", value_name = "FILE")]
        out: Option<std::path::PathBuf>,
        /// For docx and pdf: official-sensitive (default), the partnership's own copy; or
        /// official, the copy for publication (no case references, no late steps' list with
        /// their reasons, no leads' names), refused while any section is missing.
        #[arg(long)]
        marking: Option<safeguarding_forms::assemble::Marking>,
        /// Working days before its due date from which an open action shows amber.
        #[arg(long, default_value_t = safeguarding_forms::http::actions::DUE_SOON_DAYS)]
        due_soon_days: u32,
        #[command(flatten)]
        db: Database,
    },
}

/// Which database, and the key its audit log is sealed with.
#[derive(Debug, clap::Args)]
pub struct Database {
    /// Database: a sqlite:// file (created on first start) or a postgres:// URL.
    #[arg(long, default_value = DEFAULT_DATABASE_URL)]
    pub database: String,
    /// The audit key file (64 hex digits; created when missing). Default: audit.key beside a
    /// SQLite database. Every instance sharing a PostgreSQL database needs the same file.
    #[arg(long, value_name = "FILE")]
    pub audit_key: Option<std::path::PathBuf>,
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
        /// Days until the token stops working (1 to 3650).
        #[arg(long, default_value_t = safeguarding_forms::http::tokens::DEFAULT_LIFETIME_DAYS)]
        expires_in_days: u32,
        #[command(flatten)]
        db: Database,
    },
    /// List the tokens: role, agency, who made them, expiry, revocation (never a secret).
    List {
        #[command(flatten)]
        db: Database,
    },
    /// Revoke a token by its id: it stops working at once.
    Revoke {
        /// The token's id (as `token list` shows it).
        id: String,
        #[command(flatten)]
        db: Database,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the whole audit log (hash chain and seals; with --checkpoint, that the log still
    /// holds that entry unchanged): exit 0 when it verifies, 1 when it does not, naming the
    /// first bad entry.
    Verify {
        #[command(flatten)]
        db: Database,
        /// A checkpoint exported earlier with `audit checkpoint`.
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<std::path::PathBuf>,
    },
    /// Write the log's last entry (number, hash, seal) to a file, to keep outside the database.
    Checkpoint {
        #[command(flatten)]
        db: Database,
        /// Where to write it.
        #[arg(short, long)]
        output: std::path::PathBuf,
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
    /// A calendar question could not be answered (the message says why).
    #[error(transparent)]
    Calendar(#[from] safeguarding_forms::calendar::CalendarError),
    /// Encoding a report failed.
    #[error("could not encode the report: {0}")]
    Encode(#[from] serde_json::Error),
    /// The case store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The service could not start or listen.
    #[error("the service could not start: {0}")]
    Serve(std::io::Error),
    /// The command was given something it cannot use (the message says what).
    #[error("{0}")]
    Usage(String),
    /// The built-in document templates failed to compile.
    #[error("the document templates could not be compiled: {0}")]
    Templates(String),
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    if !matches!(cli.command, Command::Serve { .. }) {
        quit_quietly_on_closed_pipe();
    }
    let registry = Registry::load_adding(cli.forms.as_deref())?;
    match cli.command {
        Command::Forms => {
            for form in registry.forms() {
                println!("{:<20} {:<6} {}", form.id(), form.version(), form.title());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { files, json } => validate::run(&registry, &files, json),
        Command::Blank {
            form,
            output,
            prefill,
            rows,
        } => wordforms::run_blank(&registry, &form, &output, prefill.as_deref(), rows),
        Command::Ingest { file, json, output } => {
            wordforms::run_ingest(&registry, &file, json, output.as_deref())
        }
        Command::CheckReport {
            file,
            case,
            json,
            format,
            output,
            config,
        } => check_report::run(&check_report::Options {
            file: &file,
            case: &case,
            json,
            format,
            output: output.as_deref(),
            config: config.as_deref(),
            registry: &registry,
        }),
        Command::Calendar { command, config } => calendar::run(command, config.as_ref()),
        Command::Timetable {
            files,
            today,
            json,
            config,
        } => {
            let options = timetable::Options {
                files: &files,
                today: today.unwrap_or_else(|| chrono::Local::now().date_naive()),
                json,
                config: config.as_ref(),
            };
            timetable::run(&registry, &options)
        }
        Command::Render {
            files,
            format,
            output,
            date,
            improvements_only,
            marking,
        } => Ok(render::run_render(
            &registry,
            &render::RenderOptions {
                files: &files,
                format,
                output: output.as_deref(),
                date: date.unwrap_or_else(today),
                improvements_only,
                marking,
            },
        )),
        Command::Pack {
            files,
            format,
            output,
            date,
            asked,
            letter,
        } => Ok(render::run_pack(
            &registry,
            &render::PackOptions {
                files: &files,
                format,
                output: &output,
                date: date.unwrap_or_else(today),
                asked: &asked,
                letter: letter.as_deref(),
            },
        )),
        Command::Serve {
            addr,
            db,
            body_limit,
            allow_broken_audit,
            max_connections,
            header_timeout_secs,
            request_timeout_secs,
            partnership,
            actions_due_soon_days,
        } => serve::run(
            registry,
            &serve::Options {
                addr,
                db: &db,
                limits: safeguarding_forms::http::Limits {
                    body_bytes: body_limit,
                    max_connections: safeguarding_forms::http::listen::connection_cap(
                        max_connections,
                    ),
                    header_timeout: std::time::Duration::from_secs(header_timeout_secs.max(1)),
                    timeout: std::time::Duration::from_secs(request_timeout_secs.max(1)),
                    ..safeguarding_forms::http::Limits::default()
                },
                allow_broken_audit,
                partnership,
                actions_due_soon_days,
            },
        ),
        Command::Invite {
            name,
            email,
            role,
            agency,
            agency_name,
            url,
            db,
        } => token::invite(
            &db,
            &token::Invite {
                name,
                email,
                role,
                agency: agency.map(|id| {
                    let name = agency_name.clone().unwrap_or_else(|| id.clone());
                    (id, name)
                }),
                url,
            },
        ),
        Command::Token { command } => match command {
            TokenCommand::Create {
                role,
                agency,
                expires_in_days,
                db,
            } => token::create(&db, &role, agency.as_deref(), expires_in_days),
            TokenCommand::List { db } => token::list(&db),
            TokenCommand::Revoke { id, db } => token::revoke(&db, &id),
        },
        Command::Actions { command } => match command {
            ActionsCommand::List {
                agency,
                format,
                due_soon_days,
                db,
            } => actions::list(&db, agency.as_deref(), format, due_soon_days),
            ActionsCommand::Update { file, version, db } => actions::update(&db, &file, version),
        },
        Command::Report { command } => match command {
            ReportCommand::Timeliness {
                from,
                to,
                format,
                table,
                output,
                db,
            } => actions::report(
                &db,
                &registry,
                &actions::ReportOptions {
                    from: from.as_deref(),
                    to: to.as_deref(),
                    format,
                    table: &table,
                    output: output.as_deref(),
                },
            ),
            ReportCommand::Yearly {
                answers,
                from,
                to,
                check,
                format,
                out,
                marking,
                due_soon_days,
                db,
            } => yearly::run(
                &db,
                &registry,
                &yearly::Options {
                    answers: &answers,
                    from: from.as_deref(),
                    to: to.as_deref(),
                    check,
                    format,
                    out: out.as_deref(),
                    marking,
                    due_soon: due_soon_days,
                },
            ),
        },
        Command::Audit { command } => match command {
            AuditCommand::Verify { db, checkpoint } => audit::verify(&db, checkpoint.as_deref()),
            AuditCommand::Checkpoint { db, output } => audit::checkpoint(&db, &output),
        },
    }
}

/// Today's date on this machine, for documents dated by default.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// A report piped into `head` or `less` that stops reading should end the command, not make
/// `println!` panic. Rust ignores SIGPIPE by default; a one-shot command restores the usual
/// Unix behaviour. The service keeps ignoring it, so a client hanging up cannot stop it.
fn quit_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called once, before any thread is started, with a valid signal and handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
