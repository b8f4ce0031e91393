//! The pull endpoints: one generic handler for every synced table.

use crate::auth::AuthTerminal;
use crate::error::{ApiError, ApiResult};
use crate::store::entity::{self, Entity};
use axum::extract::RawQuery;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use possum_contract::endpoints::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use possum_contract::sync::SyncWindow;

pub async fn pull<E: Entity + 'static>(auth: AuthTerminal, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let (window, page_size) = window(&auth, query)?;
    let json = auth.db.read(move |tx| Ok(entity::pull_page(tx, E::TABLE, &window, page_size, None)?)).await?;
    Ok(page(json))
}

/// A pull page's JSON as the answer.
pub fn page(json: String) -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"))], json)
        .into_response()
}

/// The query of a pull, checked: the window and the page size.
pub fn window(auth: &AuthTerminal, query: Option<String>) -> ApiResult<(SyncWindow, u32)> {
    let window: SyncWindow = serde_urlencoded::from_str(&query.unwrap_or_default()).map_err(|e| {
        ApiError::bad_request(format!(
            "The query is not a valid sync window ({e}); expected LastExecutedDate, CurrentDate and TerminalId."
        ))
    })?;
    auth.check_terminal_id(window.terminal_id)?;
    let page_size = window.page_size.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE);
    Ok((window, page_size))
}
