//! Everything the terminal says to the back office goes through here.

use crate::error::AppError;
use crate::session::Session;
use crate::storage::cache::{Codec, StoredRow};
use gloo_net::http::{Request, RequestBuilder, Response};
use possum_contract::activity::{IssuedInvoices, PushResponse, TerminalQuery};
use possum_contract::approval::{ApprovalRequest, ApprovalResponse};
use possum_contract::endpoints::{PushKind, APPROVAL, INVOICE_COUNTER, SALE, TOKEN};
use possum_contract::error::{ErrorResponse, HttpError};
use possum_contract::sale::{SaleRequestModel, SaleResponseModel};
use possum_contract::sync::{SyncPage, SyncWindow};
use possum_contract::token::{OAuthError, TokenRequest, TokenResponse};

/// `POST /Token` with the password grant of the seed.
pub async fn sign_in(base_url: &str, username: &str, password: &str) -> Result<TokenResponse, AppError> {
    let form = serde_urlencoded::to_string(TokenRequest::password(username, password))
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    let response = Request::post(&format!("{}{TOKEN}", base_url.trim_end_matches('/')))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form)
        .map_err(|e| AppError::Invalid(e.to_string()))?
        .send()
        .await
        .map_err(|e| AppError::Network(e.to_string()))?;
    match response.status() {
        200 => read_json(&response).await,
        400 => {
            let error: OAuthError = read_json(&response).await?;
            Err(AppError::SignInRefused(error.error_description.unwrap_or(error.error)))
        }
        status => Err(classify(status, &response).await),
    }
}

async fn read_json<T: serde::de::DeserializeOwned>(response: &Response) -> Result<T, AppError> {
    serde_json::from_str(&read_text(response).await?).map_err(|e| AppError::BadAnswer(e.to_string()))
}

async fn read_text(response: &Response) -> Result<String, AppError> {
    response.text().await.map_err(|e| AppError::Network(e.to_string()))
}

/// Maps a failed answer to the error staff see: 400 with the application
/// error body, another 4xx with the `{Message}` body, or the bare status.
async fn classify(status: u16, response: &Response) -> AppError {
    if status == 401 {
        return AppError::Unauthorized;
    }
    if !(400..500).contains(&status) {
        return AppError::Server(status);
    }
    let text = response.text().await.unwrap_or_default();
    if let Ok(error) = serde_json::from_str::<ErrorResponse>(&text) {
        return AppError::Application(error);
    }
    let message = serde_json::from_str::<HttpError>(&text)
        .map(|e| e.message)
        .unwrap_or_else(|_| text.chars().take(200).collect());
    AppError::Refused { status, message }
}

/// No request may hang forever: a silent server counts as unreachable.
fn deadline(seconds: u32) -> web_sys::AbortSignal {
    web_sys::AbortSignal::timeout_with_u32(seconds * 1000)
}

fn bearer(session: &Session) -> String {
    format!("Bearer {}", session.access_token)
}

/// Sends the request `builder` and `finish` (the body) make, with a deadline,
/// and reads a 200 answer as `T`; anything else is classified.
async fn send<T: serde::de::DeserializeOwned>(
    builder: RequestBuilder,
    finish: impl FnOnce(RequestBuilder) -> Result<Request, gloo_net::Error>,
    seconds: u32,
) -> Result<T, AppError> {
    serde_json::from_str(&send_text(builder, finish, seconds).await?)
        .map_err(|e| AppError::BadAnswer(e.to_string()))
}

/// [`send`], answering the 200's body as text.
async fn send_text(
    builder: RequestBuilder,
    finish: impl FnOnce(RequestBuilder) -> Result<Request, gloo_net::Error>,
    seconds: u32,
) -> Result<String, AppError> {
    let signal = deadline(seconds);
    let request =
        finish(builder.abort_signal(Some(&signal))).map_err(|e| AppError::Invalid(e.to_string()))?;
    let response = request.send().await.map_err(|e| AppError::Network(e.to_string()))?;
    match response.status() {
        200 => read_text(&response).await,
        status => Err(classify(status, &response).await),
    }
}

/// `POST /api/Sale` with the order id as `Idempotency-Key`, so a retry charges once.
pub async fn sale(
    session: &Session,
    request: &SaleRequestModel,
    order_id: uuid::Uuid,
) -> Result<SaleResponseModel, AppError> {
    let builder = Request::post(&format!("{}{SALE}", session.base_url))
        .header("Authorization", &bearer(session))
        .header("Idempotency-Key", &order_id.to_string());
    send(builder, |b| b.json(request), 15).await
}

/// `POST /api/Admin/PostApproval`: the back office checks the manager's PIN
/// and records the approval against the order id. A wrong PIN answers 400,
/// a user who may not approve 403, a lock 429 (each with its message).
pub async fn approve(session: &Session, request: &ApprovalRequest) -> Result<ApprovalResponse, AppError> {
    let builder =
        Request::post(&format!("{}{APPROVAL}", session.base_url)).header("Authorization", &bearer(session));
    send(builder, |b| b.json(request), 15).await
}

/// Posts a batch of queued records (each already contract JSON) to their endpoint.
pub async fn push(session: &Session, kind: PushKind, records: &[&str]) -> Result<PushResponse, AppError> {
    let builder = Request::post(&format!("{}{}", session.base_url, kind.path()))
        .header("Authorization", &bearer(session))
        .header("Content-Type", "application/json");
    send(builder, |b| b.body(format!("[{}]", records.join(","))), 30).await
}

/// One page of a pull, every row checked as its module's type. A page that
/// does not parse is refused whole, before anything is stored.
pub async fn pull_page(
    session: &Session,
    codec: Codec,
    window: &SyncWindow,
) -> Result<SyncPage<StoredRow>, AppError> {
    let query = serde_urlencoded::to_string(window).map_err(|e| AppError::Invalid(e.to_string()))?;
    let builder = Request::get(&format!("{}{}?{query}", session.base_url, codec.module.path()))
        .header("Authorization", &bearer(session));
    (codec.page)(&send_text(builder, RequestBuilder::build, 60).await?).map_err(AppError::BadAnswer)
}

/// The highest invoice number the back office has seen from this terminal;
/// `None` from a back office that does not offer it (404).
pub async fn issued_invoices(session: &Session) -> Result<Option<IssuedInvoices>, AppError> {
    let query = serde_urlencoded::to_string(TerminalQuery { terminal_id: session.terminal_id })
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    let builder = Request::get(&format!("{}{INVOICE_COUNTER}?{query}", session.base_url))
        .header("Authorization", &bearer(session));
    match send::<IssuedInvoices>(builder, RequestBuilder::build, 15).await {
        Ok(answer) if answer.terminal_id != session.terminal_id => {
            Err(AppError::BadAnswer("the invoice counter of another terminal".into()))
        }
        Ok(answer) => Ok(Some(answer)),
        Err(AppError::Refused { status: 404, .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// One page of the wash-token reserve (`GET /api/WashToken/GetWashTokens`),
/// a delta pull like the modules'; a page that does not parse is refused whole.
pub async fn pull_reserve(
    session: &Session,
    window: &SyncWindow,
) -> Result<SyncPage<possum_contract::wash_token::ReservedToken>, AppError> {
    let query = serde_urlencoded::to_string(window).map_err(|e| AppError::Invalid(e.to_string()))?;
    let path = possum_contract::wash_token::WASH_TOKENS;
    let builder = Request::get(&format!("{}{path}?{query}", session.base_url))
        .header("Authorization", &bearer(session));
    send(builder, RequestBuilder::build, 60).await
}

/// `POST /api/Register/PostRegister`: this tablet becomes (or is found again
/// as) a register; the answer is the register the back office issued.
pub async fn enrol(
    session: &Session,
    enrolment: &possum_contract::register::Enrolment,
) -> Result<possum_contract::register::Register, AppError> {
    let path = possum_contract::register::REGISTER;
    let builder =
        Request::post(&format!("{}{path}", session.base_url)).header("Authorization", &bearer(session));
    send(builder, |b| b.json(enrolment), 15).await
}
