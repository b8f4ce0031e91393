//! The push endpoints: each record stored once by its client-generated id.
//!
//! A batch is one write transaction; each record runs in its own savepoint,
//! so a rejected record leaves nothing behind and does not stop the others.

use crate::error::{ApiError, ApiResult};
use crate::money::{self, cents};
use crate::store::{clock, entity};
use crate::{sale, tenant_settings};
use possum_contract::activity::*;
use possum_contract::catalogue::{Permission, User};
use possum_contract::customer::{Customer, CustomerChange, DepositHistory, DepositKind};
use possum_contract::endpoints::{PushKind, MAX_PUSH_BATCH};
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use possum_contract::token::TokenClaims;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
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

fn reject<T>(message: impl Into<String>) -> Result<T, Rejection> {
    Err(Rejection::Refused(message.into()))
}

impl From<rusqlite::Error> for Rejection {
    fn from(e: rusqlite::Error) -> Self {
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
    fn store(&self, tx: &Transaction<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection>;

    /// Whether the id is stored already, and the receipt it got then.
    fn stored(tx: &Transaction<'_>, id: Uuid) -> rusqlite::Result<Option<Option<OrderReceipt>>> {
        tx.query_row(
            "SELECT 1 FROM pushed WHERE kind = ?1 AND id = ?2",
            params![kind_key(Self::KIND), id.to_string()],
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
    }
}

/// Keeps the record in the generic `pushed` table (every kind but orders).
fn keep<R: PushRecord>(tx: &Transaction<'_>, record: &R, terminal: Uuid) -> Result<(), Rejection> {
    let body = serde_json::to_string(record).map_err(ApiError::from)?;
    tx.execute(
        "INSERT INTO pushed (kind, id, terminal_id, body, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![kind_key(R::KIND), record.id().to_string(), terminal.to_string(), body, clock::now_us()],
    )?;
    Ok(())
}

/// Reads, checks and stores a batch (a JSON array of records).
pub fn process_batch<R: PushRecord>(
    conn: &mut Connection,
    claims: &TokenClaims,
    body: &[u8],
) -> ApiResult<PushResponse> {
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

    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let ctx = Context { claims, stamp: clock::next_stamp(&tx)?, settings: tenant_settings(&tx)? };
    let mut response = PushResponse::default();
    for (value, id) in values.into_iter().zip(ids) {
        if let Some(receipt) = R::stored(&tx, id)? {
            response.acknowledged.push(id);
            response.receipts.extend(receipt);
            continue;
        }
        match one::<R>(&tx, value, &ctx)? {
            Ok(receipt) => {
                response.acknowledged.push(id);
                response.receipts.extend(receipt);
            }
            Err(message) => {
                response.rejected.push(PushRejection { id, application_error_code: None, message })
            }
        }
    }
    tx.commit()?;
    Ok(response)
}

/// One record inside a savepoint. The outer error is a failure of the server, the inner a refusal.
fn one<R: PushRecord>(
    tx: &Transaction<'_>,
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

fn check_amount(name: &str, amount: Decimal, allow_negative: bool) -> Result<(), Rejection> {
    if money::is_sane(amount, allow_negative) {
        Ok(())
    } else {
        reject(format!(
            "{name} {amount} is out of bounds (at most {} with {} decimals).",
            money::MAX_AMOUNT,
            money::MAX_SCALE
        ))
    }
}

/// The terminal lets a user do only what their role allows; the back office,
/// which holds the users, checks it again. The user needs one of `any_of`;
/// `what` completes "… may not".
fn check_role(
    tx: &Transaction<'_>,
    user_id: Uuid,
    any_of: &[Permission],
    what: &str,
) -> Result<(), Rejection> {
    match entity::get::<User>(tx, user_id)? {
        None => reject(format!("User {user_id} is not a user of this tenant, so it may not {what}.")),
        Some(user) if !any_of.iter().any(|p| user.role.may(*p)) => {
            reject(format!("{} is a {:?} and may not {what}.", user.name, user.role))
        }
        Some(_) => Ok(()),
    }
}

/// What an order needs of its cashier's role: refunds, and money taken off a
/// line. Parts of a combination carry the combination's own price (a share
/// below their list prices) and need no permission.
fn check_order_role(tx: &Transaction<'_>, order: &Order) -> Result<(), Rejection> {
    if order.kind == OrderKind::Refund {
        check_role(tx, order.cashier_id, &[Permission::Refund], "give refunds")?;
    }
    if order.lines.iter().any(|l| l.combination_article_number.is_none() && l.discount > Decimal::ZERO) {
        check_role(
            tx,
            order.cashier_id,
            &[Permission::Discount, Permission::PriceOverride],
            "lower a price or give a discount",
        )?;
    }
    Ok(())
}

fn check_lines(lines: &[OrderLine], refund: bool) -> Result<(), Rejection> {
    if lines.is_empty() {
        return reject("An order needs at least one line.");
    }
    for (i, line) in lines.iter().enumerate() {
        if line.article_number.trim().is_empty() {
            return reject(format!("Lines[{i}] has an empty ArticleNumber."));
        }
        let sign_ok = if refund { line.quantity < 0 } else { line.quantity > 0 };
        if !sign_ok || line.quantity.abs() > money::MAX_QUANTITY {
            return reject(format!(
                "Lines[{i}].Quantity {} must be {} and at most {} in size.",
                line.quantity,
                if refund { "negative on a refund" } else { "positive on a sale" },
                money::MAX_QUANTITY
            ));
        }
        check_amount("UnitPrice", line.unit_price, false)?;
        check_amount("Discount", line.discount, false)?;
        check_amount("LineTotal", line.line_total, true)?;
        if line.vat_percent.is_sign_negative() || line.vat_percent > Decimal::ONE_HUNDRED {
            return reject(format!("Lines[{i}].VatPercent must be from 0 to 100."));
        }
    }
    Ok(())
}

impl PushRecord for Order {
    const KIND: PushKind = PushKind::Order;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        Some(self.terminal_id)
    }

    fn stored(tx: &Transaction<'_>, id: Uuid) -> rusqlite::Result<Option<Option<OrderReceipt>>> {
        tx.query_row("SELECT token, feedback_portal_url FROM orders WHERE id = ?1", [id.to_string()], |r| {
            Ok(Some(OrderReceipt { order_id: id, token: r.get(0)?, feedback_portal_url: r.get(1)? }))
        })
        .optional()
    }

    fn store(&self, tx: &Transaction<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        let refund = self.kind == OrderKind::Refund;
        check_lines(&self.lines, refund)?;
        check_amount("Total", self.total, refund)?;
        check_amount("VatTotal", self.vat_total, refund)?;
        if self.invoice_number < 1 {
            return reject("InvoiceNumber must be 1 or more.");
        }
        if self.rounding.abs() >= Decimal::ONE {
            return reject("Rounding must be less than one unit of currency.");
        }
        let lines: Decimal = self.lines.iter().map(|l| l.line_total).sum();
        if lines + self.rounding != self.total {
            return reject(format!(
                "Total {} is not the sum of the lines ({lines}) plus Rounding ({}).",
                self.total, self.rounding
            ));
        }
        let paid: Decimal = self.payments.iter().map(|p| p.amount).sum();
        if paid != self.total {
            return reject(format!("The payments add up to {paid}, not to Total {}.", self.total));
        }
        for p in &self.payments {
            if matches!(p.method, PaymentMethod::Unsupported(_)) {
                return reject(format!("Payment method {} is not supported.", p.method.code()));
            }
            check_amount("Payment amount", p.amount, refund)?;
            if let (Some(tendered), Some(change)) = (p.tendered, p.change) {
                if tendered - change != p.amount || change.is_sign_negative() {
                    return reject("Tendered less Change must equal the cash amount.");
                }
            }
        }
        let settings = &ctx.settings;
        let Some(desk) = settings.cash_desk(self.client_number).cloned() else {
            return reject(format!("ClientNumber {} is not a cash desk of this tenant.", self.client_number));
        };
        let customer = match self.customer_id {
            Some(id) => match entity::get::<Customer>(tx, id)? {
                Some(c) => Some(c),
                None => return reject(format!("CustomerId {id} is not a customer of this tenant.")),
            },
            None => None,
        };
        check_order_role(tx, self)?;
        if let Some(sale) = self.refund_of {
            check_refund(tx, self, sale)?;
        }
        if let Some(previous) = tx
            .query_row(
                "SELECT id FROM orders WHERE terminal_id = ?1 AND invoice_number = ?2",
                params![self.terminal_id.to_string(), self.invoice_number],
                |r| r.get::<_, String>(0),
            )
            .optional()?
        {
            return reject(format!(
                "InvoiceNumber {} was already used by order {previous} of this terminal.",
                self.invoice_number
            ));
        }

        // An order that went through api/Sale has been charged and has its token already.
        let sold = tx
            .query_row(
                "SELECT token, feedback_portal_url FROM sales WHERE id = ?1",
                [self.id.to_string()],
                |r| Ok(OrderReceipt { order_id: self.id, token: r.get(0)?, feedback_portal_url: r.get(1)? }),
            )
            .optional()?;
        let receipt = match sold {
            Some(receipt) => receipt,
            None => {
                if let Some(mut customer) = customer {
                    charge_account(tx, ctx.stamp, &mut customer, self)?;
                }
                let has_wash = !refund && self.lines.iter().any(|l| l.is_wash);
                let response = sale::respond(tx, &desk, settings, self.id, has_wash)?;
                OrderReceipt {
                    order_id: self.id,
                    token: response.token,
                    feedback_portal_url: response.feedback_portal_url,
                }
            }
        };
        let body = serde_json::to_string(self).map_err(ApiError::from)?;
        tx.execute(
            "INSERT INTO orders (id, terminal_id, invoice_number, total, token, feedback_portal_url, body, received_at, refund_of)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                self.id.to_string(),
                self.terminal_id.to_string(),
                self.invoice_number,
                self.total.to_string(),
                receipt.token,
                receipt.feedback_portal_url,
                body,
                clock::now_us(),
                self.refund_of.map(|id| id.to_string())
            ],
        )?;
        Ok(Some(receipt))
    }
}

/// A refund names a sale this tenant received, and with the refunds before it
/// gives back no more of any line than the sale sold.
fn check_refund(tx: &Transaction<'_>, refund: &Order, sale_id: Uuid) -> Result<(), Rejection> {
    if refund.kind != OrderKind::Refund {
        return reject("RefundOf is only for a refund.");
    }
    let body: Option<String> = tx
        .query_row("SELECT body FROM orders WHERE id = ?1", [sale_id.to_string()], |r| r.get(0))
        .optional()?;
    let Some(body) = body else {
        return reject(format!("RefundOf {sale_id} is not a sale this back office has received."));
    };
    let sale: Order = serde_json::from_str(&body).map_err(ApiError::from)?;
    if sale.kind != OrderKind::Sale {
        return reject(format!("RefundOf {sale_id} is a refund, not a sale."));
    }
    let mut statement = tx.prepare("SELECT body FROM orders WHERE refund_of = ?1")?;
    let earlier: Vec<Order> = statement
        .query_map([sale_id.to_string()], |r| r.get::<_, String>(0))?
        .map(|body| Ok(serde_json::from_str::<Order>(&body?).map_err(ApiError::from)?))
        .collect::<Result<_, Rejection>>()?;
    for line in &refund.lines {
        let same = |l: &&OrderLine| {
            l.article_number == line.article_number
                && l.combination_article_number == line.combination_article_number
        };
        let sold: i32 = sale.lines.iter().filter(same).map(|l| l.quantity).sum();
        let refunded: i32 =
            earlier.iter().flat_map(|o| o.lines.iter().filter(same)).map(|l| l.quantity.abs()).sum();
        if refunded + line.quantity.abs() > sold {
            return reject(format!(
                "Article {} was sold {sold} times on invoice {} and {refunded} were refunded already; {} more cannot be refunded.",
                line.article_number,
                sale.invoice_number,
                line.quantity.abs()
            ));
        }
    }
    Ok(())
}

/// An order sold offline on credit or prepaid money is booked on the account
/// as it happened: the sale took place, so it is recorded even past the limit.
fn charge_account(
    tx: &Transaction<'_>,
    stamp: i64,
    customer: &mut Customer,
    order: &Order,
) -> Result<(), Rejection> {
    let on_account: Decimal = order
        .payments
        .iter()
        .filter(|p| matches!(p.method, PaymentMethod::CreditPayment | PaymentMethod::PrepaidPayment))
        .map(|p| p.amount)
        .sum();
    if on_account.is_zero() {
        return Ok(());
    }
    customer.balance = cents(customer.balance - on_account);
    entity::upsert(tx, stamp, customer)?;
    let entry = DepositHistory {
        id: Uuid::new_v4(),
        customer_id: customer.id,
        kind: if order.kind == OrderKind::Refund { DepositKind::Refund } else { DepositKind::Sale },
        amount: -on_account,
        balance_after: customer.balance,
        created_at: order.created_at,
        note: Some(format!("Invoice {}", order.invoice_number)),
        order_id: Some(order.id),
    };
    entity::upsert(tx, stamp, &entry)?;
    Ok(())
}

impl PushRecord for OpenOrder {
    const KIND: PushKind = PushKind::OpenOrder;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        Some(self.terminal_id)
    }
    fn store(&self, tx: &Transaction<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        if self.status != OpenOrderStatus::Cancelled {
            check_lines(&self.lines, false)?;
        }
        check_amount("Total", self.total, false)?;
        keep(tx, self, ctx.claims.terminal)?;
        Ok(None)
    }
}

impl PushRecord for SwishPayment {
    const KIND: PushKind = PushKind::SwishPayment;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        None
    }
    fn store(&self, tx: &Transaction<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        check_amount("Amount", self.amount, false)?;
        let known: Option<i64> = tx
            .query_row("SELECT 1 FROM orders WHERE id = ?1", [self.order_id.to_string()], |r| r.get(0))
            .optional()?;
        if known.is_none() {
            return reject(format!(
                "OrderId {} is not a stored order: post the order before its payments.",
                self.order_id
            ));
        }
        keep(tx, self, ctx.claims.terminal)?;
        Ok(None)
    }
}

impl PushRecord for InvoiceCounter {
    const KIND: PushKind = PushKind::InvoiceCounter;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        Some(self.terminal_id)
    }
    fn store(&self, tx: &Transaction<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        if self.last_invoice_number < 0 {
            return reject("LastInvoiceNumber must not be negative.");
        }
        // Counters only grow: an older counter arriving late changes nothing.
        tx.execute(
            "INSERT INTO invoice_counters (terminal_id, last_invoice_number, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (terminal_id) DO UPDATE SET
               last_invoice_number = max(last_invoice_number, excluded.last_invoice_number),
               updated_at = max(updated_at, excluded.updated_at)",
            params![
                self.terminal_id.to_string(),
                self.last_invoice_number,
                clock::from_datetime(self.updated_at)
            ],
        )?;
        keep(tx, self, ctx.claims.terminal)?;
        Ok(None)
    }
}

/// The highest invoice number `terminal` has used: its counter or its
/// orders, whichever is higher (a counter may still be on its way).
pub fn issued_invoices(conn: &Connection, terminal: Uuid) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT max(coalesce((SELECT last_invoice_number FROM invoice_counters WHERE terminal_id = ?1), 0),
                    coalesce((SELECT max(invoice_number) FROM orders WHERE terminal_id = ?1), 0))",
        params![terminal.to_string()],
        |row| row.get(0),
    )
}

impl PushRecord for CashDrawerLog {
    const KIND: PushKind = PushKind::CashDrawerLog;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        Some(self.terminal_id)
    }
    fn store(&self, tx: &Transaction<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        check_amount("Amount", self.amount, false)?;
        for c in &self.counted {
            check_amount("Expected", c.expected, true)?;
            check_amount("Counted", c.counted, false)?;
        }
        if matches!(self.event, CashDrawerEvent::CashIn | CashDrawerEvent::CashOut)
            && self.reason.as_deref().is_none_or(|r| r.trim().is_empty())
        {
            return reject("Cash in and cash out need a Reason.");
        }
        if matches!(self.event, CashDrawerEvent::Close | CashDrawerEvent::ZReport) {
            check_role(tx, self.user_id, &[Permission::CloseCashDrawer], "close the cash drawer")?;
        }
        keep(tx, self, ctx.claims.terminal)?;
        Ok(None)
    }
}

impl PushRecord for CustomerChange {
    const KIND: PushKind = PushKind::Customer;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        None
    }
    fn store(&self, tx: &Transaction<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return reject("Name must hold 1 to 200 characters.");
        }
        if let Some(card) = self.card_number.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            if entity::find_by::<Customer>(tx, "card_number", card)?.is_some_and(|c| c.id != self.customer_id)
            {
                return reject(format!("CardNumber {card} belongs to another customer."));
            }
        }
        if let Some(uid) = self.card_uid {
            if entity::find_by::<Customer>(tx, "card_uid", uid as i64)?
                .is_some_and(|c| c.id != self.customer_id)
            {
                return reject(format!("CardUID {uid} belongs to another customer."));
            }
        }
        // Credit, balance and lock stay as the back office has them.
        let mut customer = entity::get::<Customer>(tx, self.customer_id)?
            .unwrap_or_else(|| Customer::new(self.customer_id, name));
        customer.name = name.to_string();
        customer.card_number = self.card_number.clone().filter(|c| !c.trim().is_empty());
        customer.card_uid = self.card_uid;
        customer.license_plate = self.license_plate.clone().filter(|p| !p.trim().is_empty());
        customer.email = self.email.clone();
        customer.phone = self.phone.clone();
        customer.birthday = self.birthday;
        entity::upsert(tx, ctx.stamp, &customer)?;
        keep(tx, self, ctx.claims.terminal)?;
        Ok(None)
    }
}

impl PushRecord for DeviceLog {
    const KIND: PushKind = PushKind::DeviceLog;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        Some(self.terminal_id)
    }
    fn store(&self, tx: &Transaction<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        if self.message.chars().count() > 10_000 || self.category.chars().count() > 100 {
            return reject("Message holds at most 10,000 characters and Category at most 100.");
        }
        keep(tx, self, ctx.claims.terminal)?;
        Ok(None)
    }
}
