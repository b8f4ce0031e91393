//! The one error type of the terminal, shown to staff in their words.

use possum_contract::error::ErrorResponse;

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
    #[error("This tablet's storage is full. No new sale can be stored: free space (or ask the store owner) before selling on.")]
    StorageFull,
    #[error("Local storage failed: {0}")]
    Storage(String),
    /// A multi-page pull's staged pages were lost or unreadable: dropped, and pulled again.
    #[error("Local storage failed: {0}")]
    StagingLost(String),
    #[error("{0}")]
    Invalid(String),
    #[error("Pulling {module} failed: {error}")]
    Pull { module: &'static str, error: Box<AppError> },
}

impl AppError {
    /// Names the pull module a failure happened in (401 stays as it is: it means "sign in again").
    pub fn in_module(self, module: possum_contract::endpoints::PullModule) -> Self {
        match self {
            AppError::Unauthorized => AppError::Unauthorized,
            other => AppError::Pull { module: module.name(), error: Box::new(other) },
        }
    }

    pub fn is_unauthorized(&self) -> bool {
        matches!(self, AppError::Unauthorized)
    }
}
