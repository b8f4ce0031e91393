//! `POST /Token`: the OAuth2 password grant of the seed (000, step 1).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `expires_in` of the seed sample: fourteen days less one second.
pub const TOKEN_LIFETIME_SECONDS: i64 = 1_209_599;

/// The form body of `POST /Token` (`application/x-www-form-urlencoded`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRequest {
    pub grant_type: String,
    pub username: String,
    pub password: String,
}

impl TokenRequest {
    pub fn password(username: &str, password: &str) -> Self {
        Self { grant_type: "password".into(), username: username.into(), password: password.into() }
    }
}

/// The JSON answer of a successful `POST /Token`, exactly as the seed shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
    #[serde(rename = ".issued")]
    pub issued: DateTime<Utc>,
    #[serde(rename = ".expires")]
    pub expires: DateTime<Utc>,
}

/// The OAuth2 error body (RFC 6749 §5.2) answered with HTTP 400 by `POST /Token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthError {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

/// The claims inside `access_token` (a JWT signed by the back office).
///
/// The terminal reads them without verifying the signature (it cannot: the key
/// is the server's) only to learn its own terminal id and cash desk; the back
/// office verifies them on every request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenClaims {
    /// The terminal login (`username` of the grant).
    pub sub: String,
    /// Tenant id: which tenant database the request belongs to.
    pub tenant: Uuid,
    /// The terminal this login belongs to; every `TerminalId` sent must equal it.
    pub terminal: Uuid,
    /// The terminal's cash desk, the `ClientNumber` of `api/Sale`.
    pub client_number: u8,
    /// Issued at, seconds since the Unix epoch.
    pub iat: i64,
    /// Expires at, seconds since the Unix epoch.
    pub exp: i64,
    /// The login's password generation when the token was issued: a password
    /// change moves it on, and the back office refuses tokens of an older one.
    /// (Tokens from before this claim existed read as generation 0.)
    #[serde(default)]
    pub pwd_gen: u32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ClaimsError {
    #[error("the access token is not a JWT (expected three dot-separated parts)")]
    NotAJwt,
    #[error("the access token's payload is not valid base64url")]
    Base64,
    #[error("the access token's claims are not readable: {0}")]
    Json(String),
}

impl TokenClaims {
    /// Reads the claims of a JWT without checking its signature.
    pub fn read_unverified(jwt: &str) -> Result<Self, ClaimsError> {
        use base64::Engine as _;
        let mut parts = jwt.split('.');
        let (Some(_), Some(payload), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ClaimsError::NotAJwt);
        };
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| ClaimsError::Base64)?;
        serde_json::from_slice(&bytes).map_err(|e| ClaimsError::Json(e.to_string()))
    }
}
