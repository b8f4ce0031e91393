//! `GET /api/Setting/GetInvoiceCounter`: where a terminal's invoice numbers
//! stand, so a tablet that lost its storage resumes after them.

use crate::auth::AuthTerminal;
use crate::error::{ApiError, ApiResult};
use axum::extract::RawQuery;
use axum::Json;
use possum_contract::activity::{IssuedInvoices, TerminalQuery};

pub async fn get(auth: AuthTerminal, RawQuery(query): RawQuery) -> ApiResult<Json<IssuedInvoices>> {
    let query: TerminalQuery = serde_urlencoded::from_str(&query.unwrap_or_default())
        .map_err(|e| ApiError::bad_request(format!("The query is not valid ({e}); expected TerminalId.")))?;
    auth.check_terminal_id(query.terminal_id)?;
    let terminal_id = query.terminal_id;
    let last_invoice_number =
        auth.db.read(move |tx| Ok(crate::push::issued_invoices(tx, terminal_id)?)).await?;
    Ok(Json(IssuedInvoices { terminal_id, last_invoice_number }))
}
