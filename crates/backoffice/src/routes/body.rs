//! Reading request bodies: size limits and content types answered as 400 with a clear message.

use crate::error::{ApiError, Format};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap};

/// The largest body any endpoint accepts.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// The raw body, or a 400 that says why it could not be read.
pub struct Body(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(req, state).await.map(Body).map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::bad_request(format!(
                    "The body is larger than the {MAX_BODY_BYTES} bytes this server accepts."
                ))
            } else {
                ApiError::bad_request(format!("The body could not be read: {e}."))
            }
        })
    }
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
