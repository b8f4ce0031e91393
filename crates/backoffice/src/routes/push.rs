//! The push endpoints: one generic handler for every kind of record.

use super::body::{require_json, Body};
use crate::auth::AuthTerminal;
use crate::error::ApiResult;
use crate::push::{process_batch, PushRecord};
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
    let response = auth.db.run(move |conn| process_batch::<R>(conn, &claims, &body)).await?;
    if !response.rejected.is_empty() {
        tracing::warn!(kind = ?R::KIND, rejected = response.rejected.len(), "records rejected");
    }
    Ok(Json(response))
}
