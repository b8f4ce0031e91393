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

    /// The same error, answered in `format`.
    pub fn in_format(self, format: Format) -> Self {
        match self {
            ApiError::Application(body, _) => ApiError::Application(body, format),
            other => other,
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::Internal(format!("database: {e}"))
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Internal(format!("json: {e}"))
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
}
