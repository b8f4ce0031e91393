//! The one error type of the terminal, shown to staff in their words.
//!
//! Failures keep their kind up to the screen that shows them: a signal holds
//! the `AppError` itself, and a screen asks it what it means
//! ([`AppError::is_network`], [`AppError::stops_sales`]) rather than matching
//! its text. IndexedDB's and serde_json's errors convert with `?`.
//!
//! A screen shows [`AppError::text`] in the language on screen (the words
//! are `sync.error.*` in `locales/`); `Display` is the same words in English,
//! for device logs and tests. The words of the crates' refusals and typed
//! amounts are in [`words`].

pub mod words;

use crate::i18n::*;
use indexed_db_futures::error::{Error as DbError, OpenDbError, UnexpectedDataError};
use possum_contract::error::ErrorResponse;
use possum_register::outbox::{classify, Failure};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum AppError {
    /// The back office could not be reached.
    Network(String),
    /// The back office refused the sign-in, and why.
    SignInRefused(String),
    /// The sign-in (token) has expired.
    Unauthorized,
    /// The back office answered with an application error.
    Application(ErrorResponse),
    /// An answer the terminal cannot read.
    BadAnswer(String),
    /// The back office failed (its HTTP status).
    Server(u16),
    /// The back office refused the request (HTTP status and its message).
    Refused {
        status: u16,
        message: String,
    },
    /// IndexedDB failed, by kind.
    Storage(StorageError),
    /// A multi-page pull's staged pages were lost or unreadable: dropped, and pulled again.
    StagingLost(String),
    /// A record could not be written as JSON: a defect of the terminal, not
    /// of the tablet's storage (which is never blamed for it).
    Encoding(String),
    /// The browser refused something that is not storage (a download).
    Browser(String),
    Invalid(String),
    /// A step of a pull cycle failed: the module's program name, or the step's English name.
    Pull {
        module: &'static str,
        error: Box<AppError>,
    },
}

impl AppError {
    /// What staff read of this failure, in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        match self {
            AppError::Network(_) => td_string!(locale, sync.error.network).to_string(),
            AppError::SignInRefused(reason) => {
                td_string!(locale, sync.error.sign_in_refused, reason = reason)
            }
            AppError::Unauthorized => td_string!(locale, sync.error.unauthorized).to_string(),
            AppError::Application(e) => {
                td_string!(locale, sync.error.application, message = &e.application_message)
            }
            AppError::BadAnswer(why) => td_string!(locale, sync.error.bad_answer, why = why),
            AppError::Server(status) => td_string!(locale, sync.error.server, status = status),
            AppError::Refused { status, message } => {
                td_string!(locale, sync.error.refused, status = status, message = message)
            }
            AppError::Storage(e) => e.text(locale),
            AppError::StagingLost(why) => td_string!(locale, sync.error.storage_failed, why = why),
            AppError::Encoding(why) => td_string!(locale, sync.error.encoding, why = why),
            AppError::Browser(text) | AppError::Invalid(text) => text.clone(),
            AppError::Pull { module, error } => td_string!(
                locale,
                sync.error.pull,
                module = step_words(module, locale),
                error = error.text(locale)
            ),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Locale::en))
    }
}

impl std::error::Error for AppError {}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        AppError::Storage(e)
    }
}

/// A pull module or step (`AppError::Pull`'s `module`) in `locale`; English
/// says the program's name, as it always has.
pub fn step_words(module: &str, locale: Locale) -> String {
    let words = match module {
        "settings" => td_string!(locale, sync.step.settings),
        "users" => td_string!(locale, sync.step.users),
        "categories" => td_string!(locale, sync.step.categories),
        "products" => td_string!(locale, sync.step.products),
        "combinations" => td_string!(locale, sync.step.combinations),
        "customers" => td_string!(locale, sync.step.customers),
        "deposits" => td_string!(locale, sync.step.deposits),
        "discount_programs" => td_string!(locale, sync.step.discount_programs),
        "subscriptions" => td_string!(locale, sync.step.subscriptions),
        "the register" => td_string!(locale, sync.step.register),
        "the journal" => td_string!(locale, sync.step.journal),
        "the wash-token reserve" => td_string!(locale, sync.step.reserve),
        other => other,
    };
    words.to_string()
}

/// How IndexedDB failed, told apart by the browser's own error name (never
/// by message text).
#[derive(Debug, Clone, PartialEq)]
pub enum StorageError {
    /// The origin's quota is used up (`QuotaExceededError`).
    Full,
    /// The browser aborted a transaction and named no cause: nothing of it was stored.
    Aborted,
    /// The database on the tablet is newer than this version of the terminal (`VersionError`).
    Version(String),
    /// A stored record no longer reads.
    Unreadable(String),
    /// Any other failure of IndexedDB.
    Failed(String),
}

impl StorageError {
    /// What staff read of this failure, in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        match self {
            StorageError::Full => td_string!(locale, sync.error.storage_full).to_string(),
            StorageError::Aborted => td_string!(locale, sync.error.storage_aborted).to_string(),
            StorageError::Version(why) | StorageError::Unreadable(why) | StorageError::Failed(why) => {
                td_string!(locale, sync.error.storage_failed, why = why)
            }
        }
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Locale::en))
    }
}

impl std::error::Error for StorageError {}

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
