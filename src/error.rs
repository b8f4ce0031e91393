//! The one error type of the terminal, shown to staff in their words.
//!
//! Failures keep their kind up to the screen that shows them: a signal holds
//! the `AppError` itself, and a screen asks it what it means
//! ([`AppError::is_network`], [`AppError::stops_sales`]) rather than matching
//! its text. IndexedDB's and serde_json's errors convert with `?`.

use indexed_db_futures::error::{Error as DbError, OpenDbError, UnexpectedDataError};
use possum_contract::error::ErrorResponse;
use possum_register::outbox::{classify, Failure};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AppError {
    #[error("The back office could not be reached. Check the network and the back-office address.")]
    Network(String),
    #[error("The back office refused the sign-in: {0}")]
    SignInRefused(String),
    #[error("The sign-in has expired. Sign the terminal in again.")]
    Unauthorized,
    #[error("The back office said no: {}", .0.application_message)]
    Application(ErrorResponse),
    #[error("The back office answered something the terminal cannot read: {0}")]
    BadAnswer(String),
    #[error("The back office failed (HTTP {0}). Nothing was lost; try again.")]
    Server(u16),
    #[error("The back office refused the request (HTTP {status}): {message}")]
    Refused { status: u16, message: String },
    /// IndexedDB failed, by kind.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A multi-page pull's staged pages were lost or unreadable: dropped, and pulled again.
    #[error("Local storage failed: {0}")]
    StagingLost(String),
    /// A record could not be written as JSON: a defect of the terminal, not
    /// of the tablet's storage (which is never blamed for it).
    #[error("The terminal could not write a record as JSON: {0}")]
    Encoding(String),
    /// The browser refused something that is not storage (a download).
    #[error("{0}")]
    Browser(String),
    #[error("{0}")]
    Invalid(String),
    #[error("Pulling {module} failed: {error}")]
    Pull { module: &'static str, error: Box<AppError> },
}

/// How IndexedDB failed, told apart by the browser's own error name (never
/// by message text).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StorageError {
    /// The origin's quota is used up (`QuotaExceededError`).
    #[error(
        "This tablet's storage is full. No new sale can be stored: free space (or ask the store owner) before selling on."
    )]
    Full,
    /// The browser aborted a transaction and named no cause: nothing of it was stored.
    #[error("Local storage failed: the browser aborted the change; nothing of it was kept.")]
    Aborted,
    /// The database on the tablet is newer than this version of the terminal (`VersionError`).
    #[error("Local storage failed: {0}")]
    Version(String),
    /// A stored record no longer reads.
    #[error("Local storage failed: {0}")]
    Unreadable(String),
    /// Any other failure of IndexedDB.
    #[error("Local storage failed: {0}")]
    Failed(String),
}

impl StorageError {
    /// The failure a DOMException of IndexedDB names.
    pub fn of_exception(name: &str, text: String) -> Self {
        match name {
            "QuotaExceededError" => StorageError::Full,
            "VersionError" => StorageError::Version(text),
            _ => StorageError::Failed(text),
        }
    }

    /// A commit that ended in an abort: `cause` is the transaction's own
    /// error, the only place Chromium names a full disk (the commit itself
    /// only says "aborted"). Without one, it is an abort and no more.
    pub fn aborted(cause: Option<web_sys::DomException>) -> Self {
        match cause {
            Some(cause) => {
                Self::of_exception(&cause.name(), format!("{}: {}", cause.name(), cause.message()))
            }
            None => StorageError::Aborted,
        }
    }
}

impl From<DbError> for StorageError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::DomException(ref exception) => {
                let raw = web_sys::DomException::from(exception.clone());
                Self::of_exception(&raw.name(), e.to_string())
            }
            DbError::MissingData(UnexpectedDataError::TransactionAborted) => StorageError::Aborted,
            other => StorageError::Failed(other.to_string()),
        }
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        AppError::Storage(e.into())
    }
}

impl From<OpenDbError> for AppError {
    fn from(e: OpenDbError) -> Self {
        match e {
            OpenDbError::Base(e) => e.into(),
            other => AppError::Storage(StorageError::Failed(other.to_string())),
        }
    }
}

/// `?` on `serde_json::to_string`: the terminal's own record did not encode.
/// (Reading stored JSON back names what was unreadable instead, with
/// [`AppError::unreadable`].)
impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        AppError::Encoding(e.to_string())
    }
}

impl AppError {
    /// A stored record that no longer reads, in words that say which.
    pub fn unreadable(what: impl Into<String>) -> Self {
        AppError::Storage(StorageError::Unreadable(what.into()))
    }

    /// Names the pull module a failure happened in (401 stays as it is: it means "sign in again").
    pub fn in_module(self, module: possum_contract::endpoints::PullModule) -> Self {
        self.in_step(module.name())
    }

    /// Names the step of a pull cycle a failure happened in (401 stays as it is).
    pub fn in_step(self, module: &'static str) -> Self {
        match self {
            AppError::Unauthorized => AppError::Unauthorized,
            other => AppError::Pull { module, error: Box::new(other) },
        }
    }

    pub fn is_unauthorized(&self) -> bool {
        matches!(self, AppError::Unauthorized)
    }

    /// The back office could not be reached (in a pull step too).
    pub fn is_network(&self) -> bool {
        match self {
            AppError::Network(_) => true,
            AppError::Pull { error, .. } => error.is_network(),
            _ => false,
        }
    }

    /// The tablet could not store what it must: no sale may go on until
    /// staff have looked (a full disk, an aborted or failed write, a record
    /// that no longer reads). A JSON encoding defect is not the tablet's.
    pub fn stops_sales(&self) -> bool {
        matches!(self, AppError::Storage(_))
    }

    /// How a failed request counts for the outbox's rules.
    pub fn failure(&self) -> Failure {
        match self {
            AppError::Unauthorized => Failure::Unauthorized,
            AppError::Network(_) | AppError::BadAnswer(_) => Failure::Transient,
            AppError::Server(status) | AppError::Refused { status, .. } => classify(Some(*status)),
            AppError::Application(_) | AppError::Invalid(_) => Failure::Permanent,
            _ => Failure::Transient,
        }
    }

    /// Whether a failed `api/Sale` call means "sell offline" rather than
    /// "the back office said no": it was not reached, failed, was too busy,
    /// or the token ran out (a sale must not wait for a re-login).
    pub fn sells_offline(&self) -> bool {
        match self {
            AppError::Network(_) | AppError::Server(_) | AppError::BadAnswer(_) | AppError::Unauthorized => {
                true
            }
            AppError::Refused { .. } => self.failure() == Failure::Transient,
            _ => false,
        }
    }
}
