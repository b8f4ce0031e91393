//! `POST /api/Sale`, in JSON or XML.

use super::body::{accept_format, content_format, Body};
use crate::auth::AuthTerminal;
use crate::error::{ApiError, ApiResult, Format};
use crate::sale;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use possum_contract::sale::SaleRequestModel;
use possum_contract::xml;

/// The longest `Idempotency-Key` accepted (a GUID is 36 characters).
const MAX_KEY_LENGTH: usize = 100;

pub async fn post_sale(auth: AuthTerminal, headers: HeaderMap, Body(body): Body) -> ApiResult<Response> {
    let format = content_format(&headers)?;
    let answer = accept_format(&headers, format);
    handle(auth, &headers, &body, format).await.map(|r| render(r, answer)).map_err(|e| e.in_format(answer))
}

async fn handle(
    auth: AuthTerminal,
    headers: &HeaderMap,
    body: &[u8],
    format: Format,
) -> ApiResult<possum_contract::sale::SaleResponseModel> {
    let request: SaleRequestModel = match format {
        Format::Json => serde_json::from_slice(body).map_err(|e| {
            ApiError::bad_request(format!("The sale is not valid JSON for SaleRequestModel: {e}."))
        })?,
        Format::Xml => {
            let text =
                std::str::from_utf8(body).map_err(|_| ApiError::bad_request("The XML body is not UTF-8."))?;
            xml::sale_request_from_xml(text).map_err(|e| {
                ApiError::bad_request(format!("The sale is not valid XML for SaleRequestModel: {e}."))
            })?
        }
    };
    let key = match headers.get("Idempotency-Key") {
        None => None,
        Some(v) => {
            let key = v.to_str().map(str::trim).unwrap_or_default();
            if key.is_empty() || key.len() > MAX_KEY_LENGTH {
                return Err(ApiError::bad_request(format!(
                    "Idempotency-Key must hold 1 to {MAX_KEY_LENGTH} visible characters."
                )));
            }
            Some(key.to_string())
        }
    };
    let caller = sale::Caller { terminal: auth.claims.terminal, client_number: auth.claims.client_number };
    auth.db.write(move |tx| sale::process(tx, &request, key.as_deref(), caller)).await
}

fn render(response: possum_contract::sale::SaleResponseModel, format: Format) -> Response {
    match format {
        Format::Json => axum::Json(response).into_response(),
        Format::Xml => (
            [(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"))],
            xml::sale_response_to_xml(&response),
        )
            .into_response(),
    }
}
