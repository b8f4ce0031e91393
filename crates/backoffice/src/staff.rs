//! Staff as the money rules see them: who may authorise what, manager
//! approvals given online (PIN checked here, recorded against the order) and
//! offline (claimed by the order, bounded, listed for review).
//!
//! The threat model is in docs/openapi.yaml, "Staff approvals": a terminal's
//! token proves which terminal speaks, not which person stands at it, so
//! anything a cashier may not do needs a manager's PIN checked here, or stays
//! under the tenant's offline limit and is reviewed.

use crate::params;
use crate::store::clock;
use crate::store::sql::{self, OptionalExtension, Tx};
use possum_contract::activity::StaffApproval;
use possum_contract::catalogue::{Permission, Role, User};
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;
use std::time::Duration;
use uuid::Uuid;

/// Wrong PINs in a row before a staff member's approvals are locked for a while.
pub const WRONG_PINS_BEFORE_LOCK: i64 = 5;
const FIRST_LOCK: Duration = Duration::from_secs(30);
const MAX_LOCK: Duration = Duration::from_secs(15 * 60);
/// The longest PIN accepted (it is hashed, so its length costs time).
pub const MAX_PIN_LENGTH: usize = 64;

/// A user of the tenant, whether or not terminals hold them (deactivated
/// staff and back-office admins are withheld from terminals, not deleted).
pub fn user(conn: &Tx<'_>, id: Uuid) -> sql::Result<Option<User>> {
    let body: Option<String> = conn
        .query_row(
            "SELECT body FROM users WHERE id = ?1 AND (deleted = 0 OR withheld = 1)",
            params![id],
            |r| r.get(0),
        )
        .optional()?;
    body.map(|b| serde_json::from_str(&b).map_err(sql::Error::data)).transpose()
}

/// The user `id` if active, or why not, in words for the refusal.
pub fn active_user(conn: &Tx<'_>, id: Uuid) -> sql::Result<Option<User>> {
    Ok(user(conn, id)?.filter(|u| u.active))
}

/// Whether `pin` is a PIN a member of `role` may have: digits only, long
/// enough for the role (a manager's authorises money).
pub fn pin_policy(role: Role, pin: &str) -> Result<(), String> {
    let digits = pin.chars().count();
    if !pin.chars().all(|c| c.is_ascii_digit()) || digits > 12 {
        return Err("A PIN is digits only, at most 12.".into());
    }
    if digits < role.min_pin_digits() {
        return Err(format!("A {role:?}'s PIN has at least {} digits.", role.min_pin_digits()));
    }
    Ok(())
}

/// Counts a PIN attempt for `user` before it is checked, in one statement
/// that also refuses while the user is locked: concurrent guesses cannot
/// slip past the count. Answers the seconds left of a lock, if any.
pub fn count_pin_attempt(conn: &Tx<'_>, user: Uuid) -> sql::Result<Option<u64>> {
    let now = clock::now_us();
    let counted: Option<i64> = conn
        .query_row(
            "INSERT INTO pin_failures (user_id, failures, locked_until) VALUES (?1, 1, 0)
             ON CONFLICT (user_id) DO UPDATE SET failures = pin_failures.failures + 1
             WHERE pin_failures.locked_until <= ?2
             RETURNING failures",
            params![user.to_string(), now],
            |r| r.get(0),
        )
        .optional()?;
    match counted {
        None => {
            let until: i64 = conn.query_row(
                "SELECT locked_until FROM pin_failures WHERE user_id = ?1",
                params![user.to_string()],
                |r| r.get(0),
            )?;
            Ok(Some(((until - now).max(0) as u64).div_ceil(1_000_000).max(1)))
        }
        Some(failures) if failures > WRONG_PINS_BEFORE_LOCK => {
            let doublings = (failures - WRONG_PINS_BEFORE_LOCK - 1).min(16) as u32;
            let lock = FIRST_LOCK.saturating_mul(1 << doublings).min(MAX_LOCK);
            conn.execute(
                "UPDATE pin_failures SET locked_until = ?2 WHERE user_id = ?1",
                params![user.to_string(), now + lock.as_micros() as i64],
            )?;
            tracing::warn!(%user, failures, lock_seconds = lock.as_secs(), "staff approvals locked after wrong PINs");
            Ok(Some(lock.as_secs()))
        }
        Some(_) => Ok(None),
    }
}

/// A right PIN: the count starts again.
pub fn pin_accepted(conn: &Tx<'_>, user: Uuid) -> sql::Result<()> {
    conn.execute("DELETE FROM pin_failures WHERE user_id = ?1", params![user])?;
    Ok(())
}

/// Records `user`'s approval of `order` for `permissions`.
pub fn record_approval(
    conn: &Tx<'_>,
    order: Uuid,
    user: Uuid,
    terminal: Uuid,
    permissions: &[Permission],
) -> sql::Result<()> {
    for permission in permissions {
        conn.execute(
            "INSERT INTO approvals (order_id, permission, user_id, terminal_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (order_id, permission) DO UPDATE SET user_id = excluded.user_id, created_at = excluded.created_at",
            params![order.to_string(), permission_key(*permission), user.to_string(), terminal.to_string(), clock::now_us()],
        )?;
    }
    Ok(())
}

pub fn permission_key(permission: Permission) -> String {
    format!("{permission:?}")
}

/// What an order needs approved, and how much money it moves that way.
#[derive(Debug, Clone, Copy)]
pub struct Needed {
    /// Any of these permissions approves it (e.g. a discount: `Discount` or `PriceOverride`).
    pub any_of: &'static [Permission],
    /// What it says at the back office ("a refund", "prices away from the list").
    pub what: &'static str,
    /// The money given away or paid back, for the offline limit.
    pub amount: Decimal,
}

pub const PRICES: &[Permission] = &[Permission::PriceOverride, Permission::Discount];
pub const REFUND: &[Permission] = &[Permission::Refund];

/// An approval given offline, accepted within the tenant's limit: the back office lists it.
#[derive(Debug, Clone)]
pub struct OfflineApproval {
    pub user_id: Uuid,
    /// What was approved ("a refund", "prices away from the list", or both).
    pub what: String,
    pub amount: Decimal,
}

/// Checks that `order`'s needs are approved: online (a row of `approvals`
/// for this order by an active user whose role allows it), or offline (the
/// order names an active manager, and the money is within the tenant's
/// offline limit). Answers the offline approval to list, or why not.
pub fn check_approval(
    conn: &Tx<'_>,
    order: Uuid,
    claimed: Option<&StaffApproval>,
    needed: &[Needed],
    settings: &TerminalSettings,
) -> Result<Option<OfflineApproval>, ApprovalRefusal> {
    let mut offline: Option<OfflineApproval> = None;
    for need in needed {
        if let Some(user) = online_approver(conn, order, need.any_of)? {
            if user.active && need.any_of.iter().any(|p| user.role.may(*p)) {
                continue;
            }
            return Err(ApprovalRefusal::Refused(format!(
                "{} approved {} online but is no longer an active manager.",
                user.name, need.what
            )));
        }
        let Some(claim) = claimed.filter(|c| c.offline) else {
            return Err(ApprovalRefusal::Refused(format!(
                "{} needs a manager's approval; none was given.",
                capital(need.what)
            )));
        };
        let approver =
            active_user(conn, claim.user_id)?.filter(|u| need.any_of.iter().any(|p| u.role.may(*p)));
        let Some(approver) = approver else {
            return Err(ApprovalRefusal::Refused(format!(
                "{} was approved offline by {}, who is not an active manager.",
                capital(need.what),
                claim.user_id
            )));
        };
        let total = offline.as_ref().map_or(Decimal::ZERO, |o| o.amount) + need.amount;
        if total > settings.offline_approval_limit {
            return Err(ApprovalRefusal::Refused(format!(
                "{} approved offline moves {total}, more than the {} a manager may approve offline.",
                capital(need.what),
                settings.offline_approval_limit
            )));
        }
        let what = match offline {
            Some(o) => format!("{} and {}", o.what, need.what),
            None => need.what.to_string(),
        };
        offline = Some(OfflineApproval { user_id: approver.id, what, amount: total });
    }
    Ok(offline)
}

/// Why an order's approval does not hold.
#[derive(Debug)]
pub enum ApprovalRefusal {
    Refused(String),
    Failed(sql::Error),
}

impl From<sql::Error> for ApprovalRefusal {
    fn from(e: sql::Error) -> Self {
        ApprovalRefusal::Failed(e)
    }
}

/// Whether an active user whose role allows one of `any_of` approved `order` online.
pub fn approved_online(conn: &Tx<'_>, order: Uuid, any_of: &[Permission]) -> sql::Result<bool> {
    Ok(online_approver(conn, order, any_of)?
        .is_some_and(|u| u.active && any_of.iter().any(|p| u.role.may(*p))))
}

fn online_approver(conn: &Tx<'_>, order: Uuid, any_of: &[Permission]) -> sql::Result<Option<User>> {
    for permission in any_of {
        let approver: Option<String> = conn
            .query_row(
                "SELECT user_id FROM approvals WHERE order_id = ?1 AND permission = ?2",
                params![order, permission_key(*permission)],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = approver.and_then(|id| id.parse().ok()) {
            return user(conn, id);
        }
    }
    Ok(None)
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Lists an offline approval for the owner's review.
pub fn list_offline_approval(
    conn: &Tx<'_>,
    order: Uuid,
    terminal: Uuid,
    approval: &OfflineApproval,
) -> sql::Result<()> {
    conn.execute(
        "INSERT INTO offline_approvals (order_id, user_id, terminal_id, kind, amount, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (order_id) DO UPDATE SET user_id = excluded.user_id, terminal_id = excluded.terminal_id,
             kind = excluded.kind, amount = excluded.amount, received_at = excluded.received_at",
        params![
            order.to_string(),
            approval.user_id.to_string(),
            terminal.to_string(),
            approval.what.as_str(),
            approval.amount.to_string(),
            clock::now_us()
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_managers_pin_is_long_enough_not_to_be_guessed_offline_in_seconds() {
        assert!(pin_policy(Role::Cashier, "1234").is_ok());
        assert!(pin_policy(Role::Cashier, "123").is_err());
        assert!(pin_policy(Role::Manager, "2468").is_err());
        assert!(pin_policy(Role::Manager, "24682468").is_ok());
        assert!(pin_policy(Role::Manager, "2468246a").is_err());
        assert!(pin_policy(Role::Admin, "1234567890123").is_err());
    }
}
