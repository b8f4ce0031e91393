//! `POST /api/Register/PostRegister`: a tablet becomes a register (see `registers.rs`).

use super::body::{require_json, Body};
use crate::auth::AuthTerminal;
use crate::error::{ApiError, ApiResult};
use crate::registers;
use crate::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use possum_contract::register::{Enrolment, Register};

pub async fn post_register(
    State(state): State<AppState>,
    auth: AuthTerminal,
    headers: HeaderMap,
    Body(body): Body,
) -> ApiResult<Json<Register>> {
    require_json(&headers)?;
    let enrolment: Enrolment = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("The body is not a valid Enrolment: {e}.")))?;
    if enrolment.public_key.len() > 1_000 {
        return Err(ApiError::bad_request(
            "PublicKey is an ECDSA P-256 key: at most 1,000 characters of base64.",
        ));
    }
    let tenant = state.store.tenant_name(auth.claims.tenant).await?;
    let terminal = auth.claims.terminal;
    let register = auth.db.write(move |tx| registers::enrol(tx, &tenant, terminal, &enrolment)).await?;
    Ok(Json(register))
}
