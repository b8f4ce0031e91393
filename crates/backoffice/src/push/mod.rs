//! The push endpoints: each record stored once by its client-generated id.
//!
//! A batch is one write transaction; each record runs in its own savepoint,
//! so a rejected record leaves nothing behind and does not stop the others.
//! Orders (`order.rs`) are checked against the money rules; customers
//! (`customer.rs`) and the other records (`records.rs`) against their own.

mod customer;
mod order;
mod order_checks;
mod order_effects;
mod records;

pub use records::issued_invoices;

use crate::error::{ApiError, ApiResult};
use crate::params;
use crate::staff;
use crate::store::clock;
use crate::store::sql::{self, OptionalExtension, Tx};
use crate::tenant_settings;
use possum_contract::activity::{OrderReceipt, PushRejection, PushResponse};
use possum_contract::catalogue::Permission;
use possum_contract::endpoints::{PushKind, MAX_PUSH_BATCH};
use possum_contract::settings::TerminalSettings;
use possum_contract::token::TokenClaims;
use possum_pricing::limits::{is_sane, MAX_AMOUNT, MAX_SCALE};
use rust_decimal::Decimal;
use serde::{de::DeserializeOwned, Serialize};
use uuid::Uuid;

/// Why a record was not stored.
pub enum Rejection {
    /// The record's own fault, for good; the terminal shows the message to staff as it is.
    Refused(String),
    /// The server's fault: the whole request answers 500 and the terminal retries.
    Failed(ApiError),
}

pub(crate) fn reject<T>(message: impl Into<String>) -> Result<T, Rejection> {
    Err(Rejection::Refused(message.into()))
}

impl From<sql::Error> for Rejection {
    fn from(e: sql::Error) -> Self {
        Rejection::Failed(e.into())
    }
}

impl From<ApiError> for Rejection {
    fn from(e: ApiError) -> Self {
        Rejection::Failed(e)
    }
}

/// What a record's kind needs to be stored; read once per batch.
pub struct Context<'a> {
    pub claims: &'a TokenClaims,
    pub stamp: i64,
    pub settings: TerminalSettings,
}

pub trait PushRecord: DeserializeOwned + Serialize {
    const KIND: PushKind;
    fn id(&self) -> Uuid;
    fn terminal_id(&self) -> Option<Uuid>;
    /// Validates and stores the record. `Ok(Some(receipt))` for orders.
    fn store(&self, tx: &Tx<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection>;

    /// Whether the id is stored already, and the receipt it got then.
    fn stored(tx: &Tx<'_>, id: Uuid) -> sql::Result<Option<Option<OrderReceipt>>> {
        tx.query_row(
            "SELECT 1 FROM pushed WHERE kind = ?1 AND id = ?2",
            params![kind_key(Self::KIND), id],
            |_| Ok(None),
        )
        .optional()
    }
}

fn kind_key(kind: PushKind) -> &'static str {
    match kind {
        PushKind::OpenOrder => "OpenOrder",
        PushKind::Order => "Order",
        PushKind::SwishPayment => "SwishPayment",
        PushKind::InvoiceCounter => "InvoiceCounter",
        PushKind::CashDrawerLog => "CashDrawerLog",
        PushKind::Customer => "Customer",
        PushKind::DeviceLog => "DeviceLog",
        PushKind::EmployeeLog => "EmployeeLog",
        PushKind::Journal => "Journal",
    }
}

/// Keeps the record in the generic `pushed` table (every kind but orders).
pub(crate) fn keep<R: PushRecord>(tx: &Tx<'_>, record: &R, terminal: Uuid) -> Result<(), Rejection> {
    let body = serde_json::to_string(record).map_err(ApiError::from)?;
    tx.execute(
        "INSERT INTO pushed (kind, id, terminal_id, body, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![kind_key(R::KIND), record.id(), terminal, body, clock::now_us()],
    )?;
    Ok(())
}

/// Reads and checks the shape of a batch (a JSON array of records with ids),
/// before any storage.
pub fn read_batch(body: &[u8]) -> ApiResult<Vec<(serde_json::Value, Uuid)>> {
    let values: Vec<serde_json::Value> = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("The body must be a JSON array of records: {e}.")))?;
    if values.len() > MAX_PUSH_BATCH {
        return Err(ApiError::bad_request(format!(
            "A batch holds at most {MAX_PUSH_BATCH} records; this one has {}.",
            values.len()
        )));
    }
    let ids = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.get("Id").and_then(|id| id.as_str()).and_then(|id| id.parse::<Uuid>().ok()).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Record {i} has no valid Id (a GUID): the batch cannot be acknowledged."
                ))
            })
        })
        .collect::<ApiResult<Vec<Uuid>>>()?;
    Ok(values.into_iter().zip(ids).collect())
}

/// Stores a batch read by [`read_batch`], in one write transaction.
pub fn process_batch<R: PushRecord>(
    tx: &Tx<'_>,
    claims: &TokenClaims,
    batch: &[(serde_json::Value, Uuid)],
) -> ApiResult<PushResponse> {
    let ctx = Context { claims, stamp: clock::next_stamp(tx)?, settings: tenant_settings(tx)? };
    let mut response = PushResponse::default();
    for (value, id) in batch {
        let id = *id;
        if let Some(receipt) = R::stored(tx, id)? {
            response.acknowledged.push(id);
            response.receipts.extend(receipt);
            continue;
        }
        match one::<R>(tx, value.clone(), &ctx)? {
            Ok(receipt) => {
                response.acknowledged.push(id);
                response.receipts.extend(receipt);
            }
            Err(message) => {
                response.rejected.push(PushRejection { id, application_error_code: None, message })
            }
        }
    }
    Ok(response)
}

/// One record inside a savepoint. The outer error is a failure of the server, the inner a refusal.
fn one<R: PushRecord>(
    tx: &Tx<'_>,
    value: serde_json::Value,
    ctx: &Context<'_>,
) -> ApiResult<Result<Option<OrderReceipt>, String>> {
    let record: R = match serde_json::from_value(value) {
        Ok(record) => record,
        Err(e) => return Ok(Err(format!("The record is not a valid {}: {e}.", kind_key(R::KIND)))),
    };
    if record.terminal_id().is_some_and(|t| t != ctx.claims.terminal) {
        return Ok(Err("TerminalId does not match the terminal of the access token.".into()));
    }
    tx.execute_batch("SAVEPOINT record")?;
    match record.store(tx, ctx) {
        Ok(receipt) => {
            tx.execute_batch("RELEASE record")?;
            Ok(Ok(receipt))
        }
        Err(refusal) => {
            tx.execute_batch("ROLLBACK TO record; RELEASE record")?;
            match refusal {
                Rejection::Refused(message) => Ok(Err(message)),
                Rejection::Failed(e) => Err(e),
            }
        }
    }
}

pub(crate) fn check_amount(name: &str, amount: Decimal, allow_negative: bool) -> Result<(), Rejection> {
    if is_sane(amount, allow_negative) {
        Ok(())
    } else {
        reject(format!("{name} {amount} is out of bounds (at most {MAX_AMOUNT} with {MAX_SCALE} decimals)."))
    }
}

/// The back office checks what a terminal lets a user do again: the user
/// must be an active member of staff whose role allows one of `any_of`;
/// `what` completes "… may not".
pub(crate) fn check_role(
    tx: &Tx<'_>,
    user_id: Uuid,
    any_of: &[Permission],
    what: &str,
) -> Result<(), Rejection> {
    match staff::user(tx, user_id)? {
        None => reject(format!("User {user_id} is not a user of this tenant, so it may not {what}.")),
        Some(user) if !user.active => {
            reject(format!("{} is no longer active and may not {what}.", user.name))
        }
        Some(user) if !any_of.iter().any(|p| user.role.may(*p)) => {
            reject(format!("{} is a {:?} and may not {what}.", user.name, user.role))
        }
        Some(_) => Ok(()),
    }
}
