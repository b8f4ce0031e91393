//! `GET /api/WashToken/GetWashTokens` (the terminal's reserve, topped up on
//! each pull) and `POST /api/WashToken/PostValidation` (the wash bay's
//! question, answered once per token). See `wash_tokens.rs`.

use super::body::{require_json, Body};
use super::pull::{page, window};
use crate::auth::AuthTerminal;
use crate::error::{ApiError, ApiResult};
use crate::store::entity;
use crate::{tenant_settings, wash_tokens};
use axum::extract::RawQuery;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use possum_contract::wash_token::{TokenValidation, TokenValidationRequest};

pub async fn pull_reserve(auth: AuthTerminal, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let (window, page_size) = window(&auth, query)?;
    let terminal = auth.claims.terminal;
    // Topped up in a write, then read as a pull in a snapshot of its own.
    auth.db.write(move |tx| Ok(wash_tokens::top_up(tx, terminal)?)).await?;
    let json = auth
        .db
        .read(move |tx| {
            Ok(entity::pull_page(tx, wash_tokens::RESERVE_TABLE, &window, page_size, Some(terminal))?)
        })
        .await?;
    Ok(page(json))
}

pub async fn post_validation(
    auth: AuthTerminal,
    headers: HeaderMap,
    Body(body): Body,
) -> ApiResult<Json<TokenValidation>> {
    require_json(&headers)?;
    let request: TokenValidationRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!("The body is not a valid TokenValidationRequest: {e}."))
    })?;
    if request.token.len() > 32 {
        return Err(ApiError::bad_request("Token holds 13 digits."));
    }
    let answer = auth
        .db
        .write(move |tx| {
            let settings = tenant_settings(tx)?;
            Ok(wash_tokens::validate(tx, &request.token, &settings)?)
        })
        .await?;
    Ok(Json(answer))
}
