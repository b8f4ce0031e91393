//! What a terminal pushes (seed 000, step 3). Every record carries its
//! client-generated `Id`: the back office stores an id once, forever, and
//! acknowledges it again when it is posted again.
//!
//! A push request's body is a JSON array of records (at most
//! `endpoints::MAX_PUSH_BATCH`). The answer is HTTP 200 with a [`PushResponse`]
//! naming each id it stored (or had stored before) and each id it rejected with
//! the reason; HTTP 400 only when the body as a whole cannot be read.

use crate::error::ApplicationErrorCode;
use crate::sale::PaymentMethod;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderKind {
    Sale,
    Refund,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct OrderLine {
    pub article_number: String,
    pub name: String,
    /// Negative on a refund.
    pub quantity: i32,
    pub unit_price: Decimal,
    /// Amount taken off the line (a discount or price override), VAT included.
    pub discount: Decimal,
    pub vat_percent: Decimal,
    /// quantity × unit price − discount, rounded as the settings say.
    pub line_total: Decimal,
    pub is_wash: bool,
    /// Set when the line is a part of a product combination.
    pub combination_article_number: Option<String>,
    /// The campaign or discount program that set the line's `Discount`, if any.
    #[serde(default)]
    pub promotion: Option<Promotion>,
}

/// A promotion named on an order line: what took money off it, as the cart
/// and the receipt say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Promotion {
    pub id: Uuid,
    pub name: String,
    pub kind: PromotionKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PromotionKind {
    /// A campaign (`Campaign` in the settings).
    Campaign,
    /// A customer's discount program.
    Program,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct OrderPayment {
    pub method: PaymentMethod,
    pub amount: Decimal,
    /// Cash handed over, when `method` is cash.
    pub tendered: Option<Decimal>,
    /// Change given back, when `method` is cash.
    pub change: Option<Decimal>,
}

/// A completed sale or refund (`POST /api/Order/PostOrder`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Order {
    pub id: Uuid,
    pub kind: OrderKind,
    pub terminal_id: Uuid,
    pub client_number: u8,
    /// The terminal's own invoice number; never repeats on one terminal.
    pub invoice_number: i64,
    pub created_at: DateTime<Utc>,
    pub cashier_id: Uuid,
    pub cashier_name: String,
    pub customer_id: Option<Uuid>,
    pub price_group: u8,
    pub lines: Vec<OrderLine>,
    /// Cash rounding added to the sum of the lines (total = Σ line totals + rounding).
    pub rounding: Decimal,
    /// The amount due: what the payments add up to.
    pub total: Decimal,
    pub vat_total: Decimal,
    pub payments: Vec<OrderPayment>,
    /// For a refund: the order refunded, if it came from the history.
    pub refund_of: Option<Uuid>,
    /// Completed while the back office was unreachable.
    pub sold_offline: bool,
    /// The wash token `api/Sale` answered, when the sale went online.
    pub token: Option<String>,
    /// Who authorised what this order does beyond a cashier's role (a refund,
    /// a price away from the list, another price group). Absent on an order
    /// that needs no approval.
    #[serde(default)]
    pub approval: Option<StaffApproval>,
    /// The register (tablet) that issued it; its receipt numbers are its own series.
    #[serde(default)]
    pub register_id: Option<String>,
}

/// A manager's authorisation of one order (docs/openapi.yaml, "Staff approvals").
///
/// Online, the manager's PIN was checked by the back office
/// (`POST /api/Admin/PostApproval`), which recorded the approval against the
/// order id; the order only names it. Offline, the tablet checked the PIN
/// itself: the back office accepts such an order only within the tenant's
/// `OfflineApprovalLimit` and lists it for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StaffApproval {
    pub user_id: Uuid,
    /// Approved while the back office could not be reached.
    pub offline: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpenOrderStatus {
    Parked,
    Resumed,
    Cancelled,
}

/// A parked cart (`POST /api/Order/PostOpenOrder`); each state change is its own record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct OpenOrder {
    pub id: Uuid,
    pub open_order_id: Uuid,
    pub terminal_id: Uuid,
    pub status: OpenOrderStatus,
    pub label: String,
    pub cashier_id: Uuid,
    pub customer_id: Option<Uuid>,
    pub price_group: u8,
    pub lines: Vec<OrderLine>,
    pub total: Decimal,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SwishStatus {
    Paid,
    Declined,
    Cancelled,
}

/// A Swish payment of an order (`POST /api/Order/PostSwishPayment`), posted after its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SwishPayment {
    pub id: Uuid,
    pub order_id: Uuid,
    pub amount: Decimal,
    pub payer_alias: Option<String>,
    pub reference: String,
    pub status: SwishStatus,
    pub created_at: DateTime<Utc>,
}

/// The terminal's invoice counter (`POST /api/Setting/PostInvoiceCounter`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct InvoiceCounter {
    pub id: Uuid,
    pub terminal_id: Uuid,
    pub last_invoice_number: i64,
    pub updated_at: DateTime<Utc>,
}

/// What the back office knows of a terminal's invoice numbers
/// (`GET /api/Setting/GetInvoiceCounter`): the highest one it has seen, from
/// the terminal's counters and orders. A tablet whose storage was wiped or
/// restored from an old copy resumes after it, so no number is issued twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IssuedInvoices {
    pub terminal_id: Uuid,
    /// 0 when the terminal has issued none.
    pub last_invoice_number: i64,
}

/// The query of `GET /api/Setting/GetInvoiceCounter`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TerminalQuery {
    pub terminal_id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CashDrawerEvent {
    Open,
    CashIn,
    CashOut,
    XReport,
    Close,
    ZReport,
    /// The drawer itself opened (issue 21): a cash sale or refund, cash in or
    /// out, or a manager's "open drawer"; `Reason` says which and why.
    /// Counted in the shift's X and Z reports.
    DrawerOpened,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CountedAmount {
    pub method: PaymentMethod,
    pub expected: Decimal,
    pub counted: Decimal,
}

/// One event of a cash-drawer session (`POST /api/CashDrawerLog/PostCashDrawerLog`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CashDrawerLog {
    pub id: Uuid,
    pub session_id: Uuid,
    pub terminal_id: Uuid,
    pub event: CashDrawerEvent,
    /// The float on open, the amount moved on cash in/out.
    pub amount: Decimal,
    pub reason: Option<String>,
    /// On close and Z report: expected and counted per payment method.
    pub counted: Vec<CountedAmount>,
    pub user_id: Uuid,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogLevel {
    Error,
    Warning,
    Info,
}

/// A diagnostic record (`POST /api/Callback/PostDeviceLog`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DeviceLog {
    pub id: Uuid,
    pub terminal_id: Uuid,
    pub level: LogLevel,
    /// What part of the terminal wrote it: "sync", "outbox", "storage", "panic"…
    pub category: String,
    pub message: String,
    pub context: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmployeeEvent {
    /// The start of a member of staff's working time.
    ClockIn,
    ClockOut,
    /// A cashier signed in to the till (or was switched to).
    SignIn,
    SignOut,
}

/// Staff time and till sessions (`POST /api/Callback/PostEmployeeLog`, beside
/// the device logs): the back office lists hours per person and day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EmployeeLog {
    pub id: Uuid,
    pub terminal_id: Uuid,
    pub user_id: Uuid,
    pub event: EmployeeEvent,
    pub at: DateTime<Utc>,
}

/// The answer to a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct PushResponse {
    /// Every id of the batch that is stored now, whether by this request or an earlier one.
    pub acknowledged: Vec<Uuid>,
    /// Ids refused for good, with the reason; posting them again answers the same.
    pub rejected: Vec<PushRejection>,
    /// For orders: what the back office issued for each acknowledged order.
    pub receipts: Vec<OrderReceipt>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PushRejection {
    pub id: Uuid,
    pub application_error_code: Option<ApplicationErrorCode>,
    pub message: String,
}

/// The wash token and feedback URL of an order, issued when it reached the back office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrderReceipt {
    pub order_id: Uuid,
    pub token: Option<String>,
    pub feedback_portal_url: Option<String>,
}
