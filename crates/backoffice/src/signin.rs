//! `grant_type=password`: who may try, how often, and what one try costs.
//!
//! The design, each part against one attack:
//! - **The count comes before the check.** One SQL statement counts the try
//!   against the login and refuses it when the login is locked, before any
//!   password is checked; a success then clears the count. Forty guesses at
//!   once thus get exactly [`FAILURES_BEFORE_LOCK`] checks, and a right
//!   password that arrives once the lock is reached is refused like any other.
//!   A login locks for 30 s after its fifth failure in a row, doubling with
//!   each further one up to 15 minutes.
//! - **Known addresses pass a login's lock.** A login remembers the last
//!   [`KNOWN_ADDRESSES_PER_LOGIN`] client addresses it signed in from. From
//!   those its lock does not apply, so a stranger's guesses never lock the
//!   shop's own tablet out; a new device waits out the lock (or the operator
//!   runs `admin set-password`, which clears it).
//! - **Every address has its own budget.** [`ADDRESS_FAILURES_PER_WINDOW`]
//!   failed sign-ins per [`ADDRESS_WINDOW`] per client address (IPv6: per
//!   /64), whatever the names; past it that address gets 429 with
//!   `Retry-After` until its window ends. This slows spraying names and bounds
//!   the guesses a known address may make. Tries are counted as failures until
//!   they succeed, so a success takes its own count back and never clears
//!   earlier failures.
//! - **State stays bounded.** Failures are kept on the login's row (only names
//!   that exist), per address in rows deleted once their window is over, and
//!   known addresses a few per login. Names longer than [`MAX_USERNAME_BYTES`]
//!   are refused before anything is stored; no name is ever logged.
//! - **A hash thread is reserved first** ([`crate::hashing`]): a full pool
//!   answers 503 before anything is counted.
//!
//! All of it lives in the master database (`master.sqlite`, or the `possum`
//! schema on PostgreSQL) and changes in single statements inside one write
//! transaction, each of which locks the row it counts on: it holds with
//! several server processes, on one machine or on several.

use crate::auth::{issue_token, TerminalLogin};
use crate::error::{ApiError, ApiResult};
use crate::params;
use crate::store::clock;
use crate::store::{OptionalExtension, Tx};
use crate::AppState;
use possum_contract::token::TokenResponse;
use std::net::IpAddr;
use std::time::Duration;

/// Failed sign-ins in a row before a login is locked for a while.
pub const FAILURES_BEFORE_LOCK: i64 = 5;
/// The first lock lasts this long and doubles with each further failure, up to [`MAX_LOCK`].
const FIRST_LOCK: Duration = Duration::from_secs(30);
const MAX_LOCK: Duration = Duration::from_secs(15 * 60);
/// Failed sign-ins one client address may make per [`ADDRESS_WINDOW`].
pub const ADDRESS_FAILURES_PER_WINDOW: i64 = 20;
pub const ADDRESS_WINDOW: Duration = Duration::from_secs(10 * 60);
/// Addresses remembered per login as known (the newest successes).
pub const KNOWN_ADDRESSES_PER_LOGIN: i64 = 8;
/// The longest user name accepted; longer ones are refused before any storage.
pub const MAX_USERNAME_BYTES: usize = 256;

/// What the client's address is counted as: the address itself, an IPv6 one
/// by its /64 (one host usually has a whole /64 to choose from).
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The outcome of counting a try, before any password is checked.
enum Admission {
    /// Check the password against this login (`None`: no such active login).
    Check(Option<TerminalLogin>),
    LoginLocked {
        seconds: i64,
    },
    AddressLimited {
        seconds: i64,
    },
}

fn seconds_until(until_us: i64, now_us: i64) -> i64 {
    (until_us - now_us + 999_999) / 1_000_000
}

/// Checks the login and issues the token, throttled as the module describes.
pub async fn password_grant(
    state: &AppState,
    username: String,
    password: String,
    client: IpAddr,
) -> ApiResult<TokenResponse> {
    let slot = state.hashes.reserve()?;
    let address = address_key(client);
    let admission = state
        .store
        .master
        .write({
            let (username, address) = (username.clone(), address.clone());
            move |tx| admit(tx, &username, &address, clock::now_us())
        })
        .await?;
    let login = match admission {
        Admission::Check(login) => login,
        Admission::LoginLocked { seconds } => {
            return Err(ApiError::oauth(
                "invalid_grant",
                format!("Too many failed sign-ins for this user. Try again in {seconds} seconds."),
            ))
        }
        Admission::AddressLimited { seconds } => {
            return Err(ApiError::too_many(
                format!("Too many failed sign-ins from this address. Try again in {seconds} seconds."),
                seconds.unsigned_abs(),
            ))
        }
    };
    // An unknown name costs the same check as a wrong password, and tells nothing.
    let hash = login.as_ref().map_or_else(|| dummy_hash().to_string(), |l| l.password_hash.clone());
    let password_ok = slot.verify(password, hash).await?;
    match login {
        Some(login) if password_ok => {
            state
                .store
                .master
                .write({
                    let terminal = login.id.to_string();
                    move |tx| record_success(tx, &terminal, &address, clock::now_us())
                })
                .await?;
            issue_token(state, &username, &login)
        }
        _ => {
            if let Some(login) = login {
                tracing::info!(terminal = %login.id, "failed sign-in");
            }
            Err(ApiError::oauth("invalid_grant", "The user name or password is incorrect."))
        }
    }
}

/// A hash to verify against when the user does not exist, so that a wrong user
/// name takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| crate::hashing::hash_secret("not a password of anyone"))
}

/// Counts the try against the address and the login, each in one statement
/// that refuses when over the limit, in one write transaction.
fn admit(tx: &Tx<'_>, username: &str, address: &str, now: i64) -> ApiResult<Admission> {
    let window = ADDRESS_WINDOW.as_micros() as i64;
    tx.execute("DELETE FROM signin_addresses WHERE window_start <= ?1", params![now - window])?;
    let counted: Option<i64> = tx
        .query_row(
            "INSERT INTO signin_addresses (address, failures, window_start) VALUES (?1, 1, ?2)
             ON CONFLICT (address) DO UPDATE SET failures = signin_addresses.failures + 1
             WHERE signin_addresses.failures < ?3
             RETURNING failures",
            params![address, now, ADDRESS_FAILURES_PER_WINDOW],
            |r| r.get(0),
        )
        .optional()?;
    if counted.is_none() {
        // (Another instance may have just pruned the row: then a whole window.)
        let start: i64 = tx
            .query_row(
                "SELECT window_start FROM signin_addresses WHERE address = ?1",
                params![address],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(now);
        return Ok(Admission::AddressLimited { seconds: seconds_until(start + window, now) });
    }
    // (On PostgreSQL the shift is of a 64-bit one, so a lock in µs never overflows.)
    let (least, one) = match tx.dialect() {
        crate::store::sql::Dialect::Sqlite => ("min", "1"),
        crate::store::sql::Dialect::Postgres => ("LEAST", "CAST(1 AS BIGINT)"),
    };
    let login = tx
        .query_row(
            &format!(
                "UPDATE terminals SET
                 failures = failures + 1,
                 locked_until = CASE WHEN failures + 1 >= ?3
                     THEN ?2 + {least}(?4 * ({one} << CAST({least}(failures + 1 - ?3, 16) AS INTEGER)), ?5) ELSE locked_until END
             WHERE username = ?1 AND active = 1 AND (locked_until <= ?2 OR EXISTS (
                 SELECT 1 FROM signin_known_addresses k WHERE k.terminal_id = terminals.id AND k.address = ?6))
             RETURNING id, tenant_id, password_hash, client_number, password_generation"
            ),
            params![
                username,
                now,
                FAILURES_BEFORE_LOCK,
                FIRST_LOCK.as_micros() as i64,
                MAX_LOCK.as_micros() as i64,
                address
            ],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let admission = match login {
        Some((id, tenant, password_hash, client_number, password_generation)) => {
            let (Ok(id), Ok(tenant)) = (id.parse(), tenant.parse()) else {
                return Err(ApiError::Internal("a terminal row holds an id that is not a UUID".into()));
            };
            Admission::Check(Some(TerminalLogin {
                id,
                tenant,
                password_hash,
                client_number,
                password_generation,
            }))
        }
        None => {
            let locked_until: Option<i64> = tx
                .query_row(
                    "SELECT locked_until FROM terminals WHERE username = ?1 AND active = 1",
                    params![username],
                    |r| r.get(0),
                )
                .optional()?;
            match locked_until {
                Some(until) => Admission::LoginLocked { seconds: seconds_until(until, now) },
                None => Admission::Check(None),
            }
        }
    };
    Ok(admission)
}

/// A right password: the login's failures and lock are cleared, the
/// address's count of this try taken back, and the address becomes known.
fn record_success(tx: &Tx<'_>, terminal: &str, address: &str, now: i64) -> ApiResult<()> {
    tx.execute("UPDATE terminals SET failures = 0, locked_until = 0 WHERE id = ?1", params![terminal])?;
    tx.execute(
        &format!(
            "UPDATE signin_addresses SET failures = {}(failures - 1, 0) WHERE address = ?1",
            tx.dialect().greatest()
        ),
        params![address],
    )?;
    tx.execute(
        "INSERT INTO signin_known_addresses (terminal_id, address, last_success_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (terminal_id, address) DO UPDATE SET last_success_at = excluded.last_success_at",
        params![terminal, address, now],
    )?;
    tx.execute(
        "DELETE FROM signin_known_addresses WHERE terminal_id = ?1 AND address NOT IN (
             SELECT address FROM signin_known_addresses WHERE terminal_id = ?1
             ORDER BY last_success_at DESC LIMIT ?2)",
        params![terminal, KNOWN_ADDRESSES_PER_LOGIN],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::address_key;

    #[test]
    fn an_ipv6_client_counts_by_its_64_and_a_mapped_ipv4_as_ipv4() {
        assert_eq!(address_key("203.0.113.7".parse().unwrap()), "203.0.113.7");
        assert_eq!(address_key("::ffff:203.0.113.7".parse().unwrap()), "203.0.113.7");
        assert_eq!(address_key("2001:db8:1:2:3:4:5:6".parse().unwrap()), "2001:db8:1:2::/64");
        assert_eq!(
            address_key("2001:db8:1:2:ffff::1".parse().unwrap()),
            address_key("2001:db8:1:2::9".parse().unwrap())
        );
    }
}
