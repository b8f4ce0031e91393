//! `POST /api/Admin/PostApproval`: a manager authorises one order with their
//! PIN, checked by the back office (a project decision, see docs/openapi.yaml,
//! "Staff approvals").
//!
//! The back office records the approval against the order id; the order (or
//! the `api/Sale` request whose `Idempotency-Key` is that id) may then do what
//! the approval covers. Offline, the tablet checks the PIN itself and the
//! order carries a [`crate::activity::StaffApproval`] with `Offline: true`.

use crate::catalogue::Permission;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The body of `POST /api/Admin/PostApproval`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ApprovalRequest {
    /// The manager approving.
    pub user_id: Uuid,
    /// The manager's PIN, typed at the terminal. Sent only over this call.
    pub pin: String,
    /// The order (or `api/Sale` Idempotency-Key) the approval is for.
    pub order_id: Uuid,
    /// What the order does that a cashier may not.
    pub permissions: Vec<Permission>,
}

/// The answer: what was approved, by whom, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ApprovalResponse {
    pub user_id: Uuid,
    pub user_name: String,
    pub order_id: Uuid,
    pub permissions: Vec<Permission>,
    pub approved_at: DateTime<Utc>,
}
