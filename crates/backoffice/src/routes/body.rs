//! Reading request bodies: size limits and content types answered as 400 with a clear message.

use crate::error::{ApiError, Format};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap};

/// The largest body any endpoint accepts.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// The raw body, or a 400 that says why it could not be read, or a 408 when
/// the client took longer than `limits.body_timeout` to send it all (or
/// paused longer than `limits.body_idle_timeout`, the router's layer).
pub struct Body(pub Bytes);

impl FromRequest<AppState> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let deadline = state.config.limits.body_timeout;
        let slow = || ApiError::Timeout("The request body was not sent in time.".into());
        let read =
            tokio::time::timeout(deadline, Bytes::from_request(req, state)).await.map_err(|_| slow())?;
        read.map(Body).map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::bad_request(format!(
                    "The body is larger than the {MAX_BODY_BYTES} bytes this server accepts."
                ))
            } else if caused_by_timeout(&e) {
                slow()
            } else {
                ApiError::bad_request(format!("The body could not be read: {e}."))
            }
        })
    }
}

/// Whether the body stopped for tower-http's idle timeout, somewhere down the error's sources.
fn caused_by_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(error) = next {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        next = error.source();
    }
    false
}

fn media_type(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(|v| v.to_ascii_lowercase())
}

/// The format of the body, from `Content-Type`.
pub fn content_format(headers: &HeaderMap) -> Result<Format, ApiError> {
    let content_type = media_type(headers, header::CONTENT_TYPE).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    match essence {
        "application/json" | "text/json" => Ok(Format::Json),
        "application/xml" | "text/xml" => Ok(Format::Xml),
        "" => {
            Err(ApiError::bad_request("Content-Type is missing: send application/json or application/xml."))
        }
        other => Err(ApiError::bad_request(format!(
            "Content-Type {other} is not supported: send application/json or application/xml."
        ))),
    }
}

/// Demands a JSON body.
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    match content_format(headers)? {
        Format::Json => Ok(()),
        Format::Xml => Err(ApiError::bad_request("This endpoint reads application/json only.")),
    }
}

/// The format of the answer: what `Accept` asks for, else the request's own.
pub fn accept_format(headers: &HeaderMap, fallback: Format) -> Format {
    let accept = media_type(headers, header::ACCEPT).unwrap_or_default();
    let xml = accept.contains("/xml");
    let json = accept.contains("/json");
    match (json, xml) {
        (true, false) => Format::Json,
        (false, true) => Format::Xml,
        _ => fallback,
    }
}
