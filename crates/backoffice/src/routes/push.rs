//! The push endpoints: one generic handler for every kind of record.

use super::body::{require_json, Body};
use crate::auth::AuthTerminal;
use crate::error::ApiResult;
use crate::push::{process_batch, read_batch, PushRecord};
use axum::http::HeaderMap;
use axum::Json;
use possum_contract::activity::PushResponse;

pub async fn push<R: PushRecord + 'static>(
    auth: AuthTerminal,
    headers: HeaderMap,
    Body(body): Body,
) -> ApiResult<Json<PushResponse>> {
    require_json(&headers)?;
    let claims = auth.claims.clone();
    let batch = read_batch(&body)?;
    let response = auth.db.write(move |tx| process_batch::<R>(tx, &claims, &batch)).await?;
    if !response.rejected.is_empty() {
        tracing::warn!(kind = ?R::KIND, rejected = response.rejected.len(), "records rejected");
    }
    Ok(Json(response))
}
