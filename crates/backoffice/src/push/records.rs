//! The records beside orders: parked carts, Swish payments, invoice
//! counters, cash-drawer events and device logs.

use super::{check_amount, check_role, keep, reject, Context, PushRecord, Rejection};
use crate::params;
use crate::store::clock;
use crate::store::sql::{self, OptionalExtension, Tx};
use possum_contract::activity::*;
use possum_contract::catalogue::Permission;
use possum_contract::endpoints::PushKind;
use possum_pricing::limits::{MAX_INVOICE_NUMBER, MAX_ORDER_LINES, MAX_QUANTITY};
use uuid::Uuid;

impl PushRecord for OpenOrder {
    const KIND: PushKind = PushKind::OpenOrder;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        Some(self.terminal_id)
    }
    fn store(&self, tx: &Tx<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        if self.lines.len() > MAX_ORDER_LINES {
            return reject(format!("A parked cart holds at most {MAX_ORDER_LINES} lines."));
        }
        if self.status != OpenOrderStatus::Cancelled && self.lines.is_empty() {
            return reject("A parked cart needs at least one line.");
        }
        for (i, line) in self.lines.iter().enumerate() {
            if !(1..=MAX_QUANTITY).contains(&line.quantity) || line.article_number.trim().is_empty() {
                return reject(format!(
                    "Lines[{i}] needs an article number and a quantity from 1 to {MAX_QUANTITY}."
                ));
            }
            check_amount("UnitPrice", line.unit_price, false)?;
            check_amount("Discount", line.discount, false)?;
            check_amount("LineTotal", line.line_total, false)?;
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
    fn store(&self, tx: &Tx<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        check_amount("Amount", self.amount, false)?;
        let known: Option<i64> = tx
            .query_row("SELECT 1 FROM orders WHERE id = ?1", params![self.order_id.to_string()], |r| r.get(0))
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
    fn store(&self, tx: &Tx<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        if !(0..=MAX_INVOICE_NUMBER).contains(&self.last_invoice_number) {
            return reject(format!("LastInvoiceNumber must be from 0 to {MAX_INVOICE_NUMBER}."));
        }
        // Counters only grow: an older counter arriving late changes nothing.
        tx.execute(
            &format!(
                "INSERT INTO invoice_counters (terminal_id, last_invoice_number, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (terminal_id) DO UPDATE SET
                   last_invoice_number = {max}(invoice_counters.last_invoice_number, excluded.last_invoice_number),
                   updated_at = {max}(invoice_counters.updated_at, excluded.updated_at)",
                max = tx.dialect().greatest()
            ),
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
pub fn issued_invoices(conn: &Tx<'_>, terminal: Uuid) -> sql::Result<i64> {
    conn.query_row(
        &format!(
            "SELECT {}(coalesce((SELECT last_invoice_number FROM invoice_counters WHERE terminal_id = ?1), 0),
                       coalesce((SELECT max(invoice_number) FROM orders WHERE terminal_id = ?1), 0))",
            conn.dialect().greatest()
        ),
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
    fn store(&self, tx: &Tx<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
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

impl PushRecord for DeviceLog {
    const KIND: PushKind = PushKind::DeviceLog;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        Some(self.terminal_id)
    }
    fn store(&self, tx: &Tx<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        if self.message.chars().count() > 10_000 || self.category.chars().count() > 100 {
            return reject("Message holds at most 10,000 characters and Category at most 100.");
        }
        keep(tx, self, ctx.claims.terminal)?;
        Ok(None)
    }
}

impl PushRecord for EmployeeLog {
    const KIND: PushKind = PushKind::EmployeeLog;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        Some(self.terminal_id)
    }
    fn store(&self, tx: &Tx<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        // Someone who worked here, even if they have left since: their hours still count.
        if crate::staff::user(tx, self.user_id)?.is_none() {
            return reject(format!("UserId {} is not a member of staff of this tenant.", self.user_id));
        }
        let now = chrono::Utc::now();
        if self.at > now + chrono::Duration::hours(1) || self.at < now - chrono::Duration::days(400) {
            return reject("At must be a time within the last 400 days.");
        }
        keep(tx, self, ctx.claims.terminal)?;
        Ok(None)
    }
}

impl PushRecord for possum_contract::journal::JournalEntry {
    const KIND: PushKind = PushKind::Journal;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        None
    }
    fn store(&self, tx: &Tx<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        crate::registers::append(tx, ctx.claims.terminal, self).map_err(Rejection::Refused)?;
        keep(tx, self, ctx.claims.terminal)?;
        Ok(None)
    }
}
