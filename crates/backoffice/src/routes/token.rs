//! `POST /Token`.

use super::body::Body;
use crate::error::{ApiError, ApiResult};
use crate::signin::{self, MAX_USERNAME_BYTES};
use crate::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::IntoResponse;
use axum::Json;
use std::collections::HashMap;
use std::net::SocketAddr;

pub async fn token(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Body(body): Body,
) -> ApiResult<impl IntoResponse> {
    answer(&state, client, &headers, &body).await.map_err(ApiError::for_token)
}

async fn answer(
    state: &AppState,
    client: SocketAddr,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<impl IntoResponse> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        return Err(ApiError::oauth(
            "invalid_request",
            "The body must be application/x-www-form-urlencoded.",
        ));
    }
    let form: HashMap<String, String> = serde_urlencoded::from_bytes(body)
        .map_err(|e| ApiError::oauth("invalid_request", format!("The form is not readable: {e}.")))?;
    let field = |name: &str| form.get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    match field("grant_type").as_deref() {
        Some("password") => {}
        Some(other) => {
            return Err(ApiError::oauth(
                "unsupported_grant_type",
                format!("grant_type {other} is not supported; use password."),
            ))
        }
        None => return Err(ApiError::oauth("invalid_request", "grant_type is missing.")),
    }
    let (Some(username), Some(password)) =
        (field("username"), form.get("password").cloned().filter(|p| !p.is_empty()))
    else {
        return Err(ApiError::oauth("invalid_request", "username and password are required."));
    };
    // Before any storage or log: a name of any length used to be kept forever.
    if username.len() > MAX_USERNAME_BYTES {
        return Err(ApiError::oauth(
            "invalid_request",
            format!("username is longer than {MAX_USERNAME_BYTES} bytes."),
        ));
    }
    let token = signin::password_grant(state, username, password, client.ip()).await?;
    // RFC 6749 §5.1: token answers are never cached.
    Ok(([(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))], Json(token)))
}
