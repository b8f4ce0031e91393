//! The terminal's sign-in: what a successful `POST /Token` leaves behind.

use chrono::{DateTime, Utc};
use possum_contract::token::{ClaimsError, TokenClaims, TokenResponse};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Kept in IndexedDB. The password is never part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub base_url: String,
    pub username: String,
    pub access_token: String,
    pub expires: DateTime<Utc>,
    pub terminal_id: Uuid,
    pub client_number: u8,
}

impl Session {
    pub fn from_token(base_url: &str, username: &str, token: &TokenResponse) -> Result<Self, ClaimsError> {
        let claims = TokenClaims::read_unverified(&token.access_token)?;
        Ok(Self {
            base_url: base_url.trim_end_matches('/').to_string(),
            username: username.to_string(),
            access_token: token.access_token.clone(),
            expires: token.expires,
            terminal_id: claims.terminal,
            client_number: claims.client_number,
        })
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires
    }
}
