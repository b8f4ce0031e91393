//! Everything the terminal says to the back office goes through here.

use crate::error::AppError;
use gloo_net::http::{Request, Response};
use crate::session::Session;
use possum_contract::endpoints::{PullModule, TOKEN};
use possum_contract::sync::{SyncPage, SyncWindow};
use possum_contract::error::ErrorResponse;
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
    let text = response.text().await.map_err(|e| AppError::Network(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| AppError::BadAnswer(e.to_string()))
}

/// Maps a failed answer to the error staff see.
async fn classify(status: u16, response: &Response) -> AppError {
    match status {
        401 => AppError::Unauthorized,
        400 => match read_json::<ErrorResponse>(response).await {
            Ok(error) => AppError::Application(error),
            Err(e) => e,
        },
        _ => AppError::Server(status),
    }
}

/// One page of a pull. A page that does not parse is refused whole, before anything is stored.
pub async fn pull_page<T: serde::de::DeserializeOwned>(session: &Session, module: PullModule, window: &SyncWindow) -> Result<SyncPage<T>, AppError> {
    let query = serde_urlencoded::to_string(window).map_err(|e| AppError::Invalid(e.to_string()))?;
    let response = Request::get(&format!("{}{}?{query}", session.base_url, module.path()))
        .header("Authorization", &format!("Bearer {}", session.access_token))
        .send()
        .await
        .map_err(|e| AppError::Network(e.to_string()))?;
    match response.status() {
        200 => read_json(&response).await,
        status => Err(classify(status, &response).await),
    }
}
