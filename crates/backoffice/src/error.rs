//! The one error type of the back office and its mapping to HTTP.
//!
//! Handlers return `Result<_, ApiError>`; this file alone decides status codes
//! and bodies, so every endpoint answers failures the same way.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use possum_contract::error::{ErrorResponse, HttpError};
use possum_contract::token::OAuthError;
use possum_contract::xml;

/// How the client wants its answer: the seed's sale endpoint speaks both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Json,
    Xml,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// An expected business error: HTTP 400 with `{Data, ApplicationErrorCode, ApplicationMessage}`.
    #[error("application error {}", .0.application_error_code)]
    Application(ErrorResponse, Format),
    /// Input that cannot be read or is out of bounds: HTTP 400 with `{Message}`.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// `POST /Token` failures: HTTP 400 with the OAuth2 error body.
    #[error("token request refused: {}", .0.error)]
    OAuth(OAuthError),
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    /// The client was too slow to send its request: HTTP 408 (the terminal retries).
    #[error("request timeout: {0}")]
    Timeout(String),
    /// The caller must come back later: 429 or 503 with `Retry-After` (see [`Wait`]).
    #[error("{}: {}", .0.status, .0.message)]
    Wait(Wait),
    /// A failure of the storage: 503 when it passes (the database is
    /// unreachable, restarting, or a lock was not granted in time), else 500.
    /// The detail is logged, never sent.
    #[error("storage: {0}")]
    Storage(crate::store::sql::Error),
    /// Anything unexpected. The detail is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn application(code: possum_contract::error::ApplicationErrorCode) -> Self {
        ApiError::Application(ErrorResponse::new(code), Format::Json)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::BadRequest(message.into())
    }

    pub fn oauth(error: &str, description: impl Into<String>) -> Self {
        ApiError::OAuth(OAuthError { error: error.into(), error_description: Some(description.into()) })
    }

    /// 503: the server has no room for this request now (a full queue, every hash thread busy).
    pub fn busy(message: impl Into<String>, retry_after_seconds: u64) -> Self {
        ApiError::Wait(Wait::new(StatusCode::SERVICE_UNAVAILABLE, message, retry_after_seconds))
    }

    /// 429: this client asked too often (failed sign-ins from its address).
    pub fn too_many(message: impl Into<String>, retry_after_seconds: u64) -> Self {
        ApiError::Wait(Wait::new(StatusCode::TOO_MANY_REQUESTS, message, retry_after_seconds))
    }

    /// The same error as `POST /Token` answers it: a wait with an OAuth2 body
    /// (`temporarily_unavailable`) rather than `{"Message"}`.
    pub fn for_token(self) -> Self {
        match self {
            ApiError::Wait(wait) => ApiError::Wait(Wait { oauth: true, ..wait }),
            ApiError::Storage(e) if e.is_transient() => {
                tracing::warn!(error = %e, "the database is unavailable");
                ApiError::Wait(Wait {
                    oauth: true,
                    ..Wait::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "The database is unavailable; try again shortly.",
                        2,
                    )
                })
            }
            other => other,
        }
    }

    /// The same error, answered in `format`.
    pub fn in_format(self, format: Format) -> Self {
        match self {
            ApiError::Application(body, _) => ApiError::Application(body, format),
            other => other,
        }
    }
}

impl From<crate::store::sql::Error> for ApiError {
    fn from(e: crate::store::sql::Error) -> Self {
        ApiError::Storage(e)
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::Storage(e.into())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Internal(format!("json: {e}"))
    }
}

/// A refusal that passes with time: the status (429 or 503), the seconds to
/// wait (`Retry-After`) and the body's style (`{"Message"}`, or OAuth2 on `/Token`).
#[derive(Debug)]
pub struct Wait {
    pub status: StatusCode,
    pub message: String,
    pub retry_after_seconds: u64,
    pub oauth: bool,
}

impl Wait {
    fn new(status: StatusCode, message: impl Into<String>, retry_after_seconds: u64) -> Self {
        // Retry-After of 0 invites a busy loop; a client waits at least a second.
        Self {
            status,
            message: message.into(),
            retry_after_seconds: retry_after_seconds.max(1),
            oauth: false,
        }
    }

    fn into_response(self) -> Response {
        let mut response = if self.oauth {
            let body =
                OAuthError { error: "temporarily_unavailable".into(), error_description: Some(self.message) };
            (self.status, axum::Json(body)).into_response()
        } else {
            message(self.status, self.message)
        };
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(self.retry_after_seconds));
        response
    }
}

fn message(status: StatusCode, message: String) -> Response {
    (status, axum::Json(HttpError { message })).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Application(body, Format::Json) => {
                (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
            }
            ApiError::Application(body, Format::Xml) => (
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"))],
                xml::error_to_xml(&body),
            )
                .into_response(),
            ApiError::BadRequest(m) => message(StatusCode::BAD_REQUEST, m),
            ApiError::OAuth(body) => (StatusCode::BAD_REQUEST, axum::Json(body)).into_response(),
            ApiError::Unauthorized(m) => {
                let mut response = message(StatusCode::UNAUTHORIZED, m);
                response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
            ApiError::Forbidden(m) => message(StatusCode::FORBIDDEN, m),
            ApiError::NotFound(m) => message(StatusCode::NOT_FOUND, m),
            ApiError::Conflict(m) => message(StatusCode::CONFLICT, m),
            ApiError::Timeout(m) => {
                let mut response = message(StatusCode::REQUEST_TIMEOUT, m);
                // The rest of a late body may still be on its way: start afresh on a new connection.
                response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
                response
            }
            ApiError::Wait(wait) => wait.into_response(),
            ApiError::Storage(e) if e.is_transient() => {
                tracing::warn!(error = %e, "the database is unavailable");
                Wait::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The database is unavailable; try again shortly.",
                    2,
                )
                .into_response()
            }
            ApiError::Storage(e) => {
                tracing::error!(detail = %e, "unexpected storage failure");
                message(StatusCode::INTERNAL_SERVER_ERROR, "An unexpected error occurred.".into())
            }
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "unexpected failure");
                message(StatusCode::INTERNAL_SERVER_ERROR, "An unexpected error occurred.".into())
            }
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_internal_error_answers_500_and_names_no_internals() {
        let response =
            ApiError::Internal("database: disk I/O error at /srv/data/tenant.sqlite".into()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], br#"{"Message":"An unexpected error occurred."}"#);
    }

    #[tokio::test]
    async fn a_wait_answers_retry_after_in_the_style_of_its_endpoint() {
        let response = ApiError::busy("Busy.", 0).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], br#"{"Message":"Busy."}"#);

        let response = ApiError::too_many("Slow down.", 30).for_token().into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "30");
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], br#"{"error":"temporarily_unavailable","error_description":"Slow down."}"#);
    }
}
