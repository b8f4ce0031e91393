//! Terminal logins, the bearer token, and the extractor that guards `/api`.

use crate::error::{ApiError, ApiResult};
use crate::store::{clock, Db, Store};
use crate::AppState;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use possum_contract::token::{TokenClaims, TokenResponse};
use rusqlite::{params, OptionalExtension};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Failed sign-ins in a row before a login is locked for a while.
pub const FAILURES_BEFORE_LOCK: i64 = 5;
/// The first lock lasts this long and doubles with each further failure, up to [`MAX_LOCK`].
const FIRST_LOCK: Duration = Duration::from_secs(30);
const MAX_LOCK: Duration = Duration::from_secs(15 * 60);

/// An argon2id hash (PHC string, random salt) of a password or PIN.
pub fn hash_secret(secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .expect("argon2 with default parameters")
        .to_string()
}

pub fn verify_secret(secret: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .is_ok_and(|hash| Argon2::default().verify_password(secret.as_bytes(), &hash).is_ok())
}

/// The signing keys, from `<data dir>/jwt-secret` (created on first start).
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
                use rand::RngCore;
                let mut bytes = vec![0u8; 64];
                rand::rngs::OsRng.fill_bytes(&mut bytes);
                write_private(&path, &bytes).map_err(|e| format!("write {}: {e}", path.display()))?;
                bytes
            }
        };
        Ok(Self { encoding: EncodingKey::from_secret(&secret), decoding: DecodingKey::from_secret(&secret) })
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

struct TerminalLogin {
    id: Uuid,
    tenant: Uuid,
    password_hash: String,
    client_number: u8,
}

/// A hash to verify against when the user does not exist, so that a wrong user
/// name takes as long as a wrong password and tells an attacker nothing.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_secret("not a password of anyone"))
}

/// `grant_type=password`: checks the login, slows repeated failures, issues the token.
pub async fn password_grant(
    state: &AppState,
    username: String,
    password: String,
) -> ApiResult<TokenResponse> {
    let now = clock::now_us();
    let (locked_until, login) = state
        .store
        .master
        .run({
            let username = username.clone();
            move |conn| {
                let locked_until: Option<i64> = conn
                    .query_row("SELECT locked_until FROM login_failures WHERE username = ?1", [&username], |r| r.get(0))
                    .optional()?;
                let login = conn
                    .query_row(
                        "SELECT id, tenant_id, password_hash, client_number FROM terminals WHERE username = ?1 AND active = 1",
                        [&username],
                        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, u8>(3)?)),
                    )
                    .optional()?;
                Ok((locked_until, login))
            }
        })
        .await?;
    if let Some(until) = locked_until.filter(|until| *until > now) {
        let seconds = (until - now + 999_999) / 1_000_000;
        return Err(ApiError::oauth(
            "invalid_grant",
            format!("Too many failed sign-ins for this user. Try again in {seconds} seconds."),
        ));
    }
    let login = login.and_then(|(id, tenant, password_hash, client_number)| {
        Some(TerminalLogin {
            id: id.parse().ok()?,
            tenant: tenant.parse().ok()?,
            password_hash,
            client_number,
        })
    });
    let hash = login.as_ref().map(|l| l.password_hash.clone()).unwrap_or_else(|| dummy_hash().to_string());
    let password_ok = tokio::task::spawn_blocking(move || verify_secret(&password, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;

    match login.filter(|_| password_ok) {
        Some(login) => {
            state
                .store
                .master
                .run({
                    let username = username.clone();
                    move |conn| Ok(conn.execute("DELETE FROM login_failures WHERE username = ?1", [username])?)
                })
                .await?;
            issue_token(state, &username, &login)
        }
        None => {
            record_failure(&state.store, username).await?;
            Err(ApiError::oauth("invalid_grant", "The user name or password is incorrect."))
        }
    }
}

async fn record_failure(store: &Store, username: String) -> ApiResult<()> {
    store
        .master
        .run(move |conn| {
            let failures: i64 = conn.query_row(
                "INSERT INTO login_failures (username, failures, locked_until) VALUES (?1, 1, 0)
                 ON CONFLICT (username) DO UPDATE SET failures = failures + 1 RETURNING failures",
                [&username],
                |r| r.get(0),
            )?;
            if failures >= FAILURES_BEFORE_LOCK {
                let doublings = (failures - FAILURES_BEFORE_LOCK).min(16) as u32;
                let lock = FIRST_LOCK.saturating_mul(1 << doublings).min(MAX_LOCK);
                conn.execute(
                    "UPDATE login_failures SET locked_until = ?2 WHERE username = ?1",
                    params![username, clock::now_us() + lock.as_micros() as i64],
                )?;
                tracing::warn!(%username, failures, lock_seconds = lock.as_secs(), "terminal login locked");
            }
            Ok(())
        })
        .await
}

fn issue_token(state: &AppState, username: &str, login: &TerminalLogin) -> ApiResult<TokenResponse> {
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
            .map_err(|e| ApiError::Unauthorized(format!("The access token is not valid: {e}.")))?
            .claims;
        // A terminal deactivated by the operator loses access at once, not at expiry.
        let terminal = claims.terminal.to_string();
        let active: bool = state
            .store
            .master
            .run(move |conn| {
                Ok(conn
                    .query_row("SELECT active FROM terminals WHERE id = ?1", [terminal], |r| {
                        r.get::<_, bool>(0)
                    })
                    .optional()?
                    .unwrap_or(false))
            })
            .await?;
        if !active {
            return Err(ApiError::Unauthorized("This terminal is no longer active.".into()));
        }
        let db = state.store.tenant(claims.tenant)?;
        Ok(Self { claims, db })
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
    store.master.run_blocking(|conn| {
        conn.execute(
            "INSERT INTO terminals (id, tenant_id, username, password_hash, client_number, name) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id.to_string(), tenant.to_string(), username, hash, client_number, name],
        )?;
        Ok(id)
    })
}
