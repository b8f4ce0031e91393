//! Terminal logins, the bearer token, and the extractor that guards `/api`.

use crate::error::{ApiError, ApiResult};
use crate::params;
use crate::store::OptionalExtension;
use crate::store::{Db, Entry, Store};
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use possum_contract::token::{TokenClaims, TokenResponse};
use std::path::Path;
use std::sync::Arc;
use uuid::Uuid;

pub use crate::hashing::{hash_secret, verify_secret};

/// The signing keys: on SQLite from `<data dir>/jwt-secret`, on PostgreSQL
/// from the master tables, so every instance signs and verifies alike
/// (created on first start either way).
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Keys {
    pub fn load_or_create(dir: &Path) -> Result<Self, String> {
        let path = dir.join("jwt-secret");
        let secret = match std::fs::read(&path) {
            Ok(bytes) if bytes.len() >= 32 => bytes,
            _ => {
                let bytes = new_secret();
                write_private(&path, &bytes).map_err(|e| format!("write {}: {e}", path.display()))?;
                bytes
            }
        };
        Ok(Self::from_secret(&secret))
    }

    /// The key kept in the master tables: the first instance to start makes
    /// it, every other reads the same.
    pub fn shared(store: &Store) -> Result<Self, String> {
        let offered = hex::encode(new_secret());
        let secret = store
            .master
            .write_blocking(|tx| {
                tx.execute(
                    "INSERT INTO signing_key (id, secret) VALUES (1, ?1) ON CONFLICT (id) DO NOTHING",
                    params![offered],
                )?;
                Ok(tx.query_row("SELECT secret FROM signing_key WHERE id = 1", params![], |r| {
                    r.get::<String>(0)
                })?)
            })
            .map_err(|e| format!("read the signing key: {e}"))?;
        let secret = hex::decode(secret).map_err(|_| "the stored signing key is not hex".to_string())?;
        Ok(Self::from_secret(&secret))
    }

    fn from_secret(secret: &[u8]) -> Self {
        Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret) }
    }
}

fn new_secret() -> Vec<u8> {
    use rand::RngCore;
    let mut bytes = vec![0u8; 64];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

/// A terminal login as the sign-in reads it from `master.sqlite`.
pub(crate) struct TerminalLogin {
    pub id: Uuid,
    pub tenant: Uuid,
    pub password_hash: String,
    pub client_number: u8,
    pub password_generation: u32,
}

pub(crate) fn issue_token(
    state: &AppState,
    username: &str,
    login: &TerminalLogin,
) -> ApiResult<TokenResponse> {
    // Whole seconds, as in the seed sample (".issued": "2023-09-01T12:00:00Z").
    let issued = DateTime::from_timestamp(Utc::now().timestamp(), 0).expect("now is a valid time");
    let expires = issued + chrono::Duration::seconds(state.config.token_lifetime_seconds);
    let claims = TokenClaims {
        sub: username.to_string(),
        tenant: login.tenant,
        terminal: login.id,
        client_number: login.client_number,
        iat: issued.timestamp(),
        exp: expires.timestamp(),
        pwd_gen: login.password_generation,
    };
    let access_token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &state.keys.encoding)
        .map_err(|e| ApiError::Internal(format!("sign token: {e}")))?;
    Ok(TokenResponse {
        access_token,
        token_type: "bearer".into(),
        expires_in: state.config.token_lifetime_seconds,
        issued,
        expires,
    })
}

/// A request carrying a valid, unexpired token of an active terminal.
pub struct AuthTerminal {
    pub claims: TokenClaims,
    pub db: Arc<Db>,
    /// This request's place among its tenant's requests in flight, held until it is answered.
    _entry: Entry,
}

impl AuthTerminal {
    /// A `TerminalId` sent by the client must be the token's own.
    pub fn check_terminal_id(&self, terminal_id: Uuid) -> ApiResult<()> {
        if terminal_id == self.claims.terminal {
            Ok(())
        } else {
            Err(ApiError::Forbidden("TerminalId does not match the terminal of the access token.".into()))
        }
    }
}

impl FromRequestParts<AppState> for AuthTerminal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header =
            parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or_else(
                || ApiError::Unauthorized("Authorization has been denied for this request.".into()),
            )?;
        let token = header
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .ok_or_else(|| ApiError::Unauthorized("Authorization must be a bearer token.".into()))?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let claims = jsonwebtoken::decode::<TokenClaims>(token, &state.keys.decoding, &validation)
            .map_err(|error| {
                // The library's words (algorithms, claim names) are for the log, not the client.
                tracing::debug!(%error, "refused an access token");
                ApiError::Unauthorized("The access token is not valid.".into())
            })?
            .claims;
        // A tenant's requests past its line are refused here, before the master
        // look-up, so one tenant's flood never fills the line every tenant's
        // look-up goes through.
        let db = state.store.tenant_for_request(claims.tenant).await?;
        let entry = db.enter()?;
        // A terminal deactivated by the operator, or whose password changed,
        // loses access at once, not at expiry. A reader connection: this
        // look-up waits behind no sign-in.
        let terminal = claims.terminal.to_string();
        let login: Option<(bool, u32)> = state
            .store
            .master
            .read(move |tx| {
                Ok(tx
                    .query_row(
                        "SELECT active, password_generation FROM terminals WHERE id = ?1",
                        params![terminal],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?)
            })
            .await?;
        match login {
            Some((true, generation)) if generation == claims.pwd_gen => {}
            Some((true, _)) => {
                return Err(ApiError::Unauthorized(
                    "The terminal's password has changed since this token was issued; sign in again.".into(),
                ))
            }
            _ => return Err(ApiError::Unauthorized("This terminal is no longer active.".into())),
        }
        Ok(Self { claims, db, _entry: entry })
    }
}

/// Adds a terminal login to a tenant (demo data and the admin CLI).
pub fn add_terminal(
    store: &Store,
    tenant: Uuid,
    username: &str,
    password: &str,
    client_number: u8,
    name: &str,
) -> ApiResult<Uuid> {
    let id = Uuid::new_v4();
    let hash = hash_secret(password);
    store.master.write_blocking(|tx| {
        tx.execute(
            "INSERT INTO terminals (id, tenant_id, username, password_hash, client_number, name) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, tenant, username, hash, client_number, name],
        )?;
        Ok(id)
    })
}

/// The least zxcvbn score a terminal password must reach: "safely
/// unguessable", about 10^10 guesses, far beyond an online attacker under the
/// sign-in throttle and slow even offline against argon2.
const MIN_PASSWORD_SCORE: zxcvbn::Score = zxcvbn::Score::Three;
/// Argon2 would take more, but no one types this much on a tablet.
const MAX_PASSWORD_BYTES: usize = 1024;

/// Why `password` is too weak for the terminal login `username`, if it is.
pub fn password_weakness(username: &str, password: &str) -> Option<String> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Some(format!("The password is longer than {MAX_PASSWORD_BYTES} bytes."));
    }
    // The name and its parts count as known to an attacker.
    let user_parts: Vec<&str> = std::iter::once(username)
        .chain(username.split(['@', '.', '_', '-']))
        .filter(|p| !p.is_empty())
        .collect();
    let estimate = zxcvbn::zxcvbn(password, &user_parts);
    if estimate.score() >= MIN_PASSWORD_SCORE {
        return None;
    }
    let mut reason = String::from("The password is too easy to guess");
    if let Some(feedback) = estimate.feedback() {
        if let Some(warning) = feedback.warning() {
            reason.push_str(&format!(": {warning}"));
        }
        for suggestion in feedback.suggestions() {
            reason.push_str(&format!(" {suggestion}"));
        }
    }
    if !reason.ends_with('.') {
        reason.push('.');
    }
    Some(format!("{reason} Use a longer password or a few uncommon words."))
}

/// Changes a terminal login's password (`admin set-password`): the tokens
/// issued before stop working at once (the password generation in them is
/// behind), and the login's lock and known addresses are cleared.
pub fn set_password(store: &Store, username: &str, password: &str) -> ApiResult<()> {
    if let Some(weakness) = password_weakness(username, password) {
        return Err(ApiError::bad_request(weakness));
    }
    let hash = hash_secret(password);
    store.master.write_blocking(|tx| {
        let terminal: Option<String> = tx
            .query_row(
                "UPDATE terminals SET password_hash = ?2, password_generation = password_generation + 1,
                     failures = 0, locked_until = 0
                 WHERE username = ?1 RETURNING id",
                params![username, hash],
                |r| r.get(0),
            )
            .optional()?;
        let Some(terminal) = terminal else {
            return Err(ApiError::NotFound(format!("There is no terminal login {username}.")));
        };
        tx.execute("DELETE FROM signin_known_addresses WHERE terminal_id = ?1", params![terminal])?;
        Ok(())
    })
}
