//! A manager's approval of one order (docs/openapi.yaml, "Staff approvals").
//! Online, the back office checks the PIN (`POST /api/Admin/PostApproval`)
//! and records the approval against the order id, which the sale then
//! carries as its id (and `api/Sale`'s Idempotency-Key). When the back office
//! cannot be reached, the tablet checks the PIN against the hash it pulled,
//! and only within the settings' `OfflineApprovalLimit`: the back office
//! accepts no more from an approval it could not see, and lists it.

use super::api;
use crate::cashier;
use crate::error::AppError;
use crate::session::Session;
use crate::storage::Storage;
use possum_contract::activity::StaffApproval;
use possum_contract::approval::ApprovalRequest;
use possum_contract::catalogue::{Permission, User};
use possum_contract::settings::TerminalSettings;
use possum_register::approval::offline_allowed;
use rust_decimal::Decimal;
use uuid::Uuid;

/// What a manager is asked to approve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// The order the approval is for: the cart's `order_id`, or the refund's id.
    pub order_id: Uuid,
    pub permission: Permission,
    /// The money it moves (given away below the entitled prices, or paid
    /// back): what the offline limit is about.
    pub amount: Decimal,
}

/// Whether a failed call means the back office was not there to ask (no
/// answer, a failure of its own, an expired token) rather than an answer
/// about the PIN. A lock (429) is an answer: it is shown, never bypassed.
fn unreachable(e: &AppError) -> bool {
    !matches!(e, AppError::Refused { status: 429, .. }) && e.sells_offline()
}

/// Asks for `manager`'s approval of `wanted` with the `pin` typed: the back
/// office's answer when it can be reached (its message on a wrong PIN or a
/// lock), else the tablet's own check within the offline limit.
pub async fn approve(
    storage: &Storage,
    session: &Session,
    manager: &User,
    pin: &str,
    wanted: &Wanted,
    settings: &TerminalSettings,
) -> Result<StaffApproval, AppError> {
    let pin = pin.trim();
    if pin.is_empty() {
        return Err(AppError::Invalid(format!("Type {}'s PIN.", manager.name)));
    }
    let request = ApprovalRequest {
        user_id: manager.id,
        pin: pin.to_string(),
        order_id: wanted.order_id,
        permissions: vec![wanted.permission],
    };
    match api::approve(session, &request).await {
        Ok(answer) if answer.order_id != wanted.order_id || answer.user_id != manager.id => {
            Err(AppError::BadAnswer("an approval of another order or manager".into()))
        }
        Ok(_) => Ok(StaffApproval { user_id: manager.id, offline: false }),
        Err(e) if unreachable(&e) => {
            offline_allowed(wanted.amount, settings).map_err(|over| AppError::Invalid(over.to_string()))?;
            cashier::verify_offline(storage, manager, pin).await?;
            Ok(StaffApproval { user_id: manager.id, offline: true })
        }
        // The back office's own words: a wrong PIN, a lock and its wait, not a manager.
        Err(AppError::Refused { message, .. }) => Err(AppError::Invalid(message)),
        Err(e) => Err(e),
    }
}
