//! `PostOrder`: a completed sale or refund, checked against the money rules
//! (docs/openapi.yaml, "What the back office checks of an order") before it
//! is stored, and booked on the customer's account when it was not already
//! charged through `api/Sale`.

use super::order_checks::{money_rules, order_customer, same_sale, Rules};
use super::order_effects::{charge_account, record_stale, settle_loyalty, subscriptions};
use super::{reject, Context, PushRecord, Rejection};
use crate::params;
use crate::promotions::shop_day;
use crate::sale;
use crate::staff::{self, ApprovalRefusal};
use crate::store::clock;
use crate::store::sql::{self, OptionalExtension, Tx};
use crate::wash_tokens;
use possum_contract::activity::{Order, OrderKind, OrderReceipt};
use possum_contract::endpoints::PushKind;
use possum_contract::settings::TerminalSettings;
use possum_pricing::verify::{self, Refusal};
use uuid::Uuid;

impl From<Refusal> for Rejection {
    fn from(refusal: Refusal) -> Self {
        Rejection::Refused(format!("{refusal}."))
    }
}

impl From<ApprovalRefusal> for Rejection {
    fn from(refusal: ApprovalRefusal) -> Self {
        match refusal {
            ApprovalRefusal::Refused(message) => Rejection::Refused(message),
            ApprovalRefusal::Failed(e) => e.into(),
        }
    }
}

impl PushRecord for Order {
    const KIND: PushKind = PushKind::Order;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        Some(self.terminal_id)
    }

    fn stored(tx: &Tx<'_>, id: Uuid) -> sql::Result<Option<Option<OrderReceipt>>> {
        tx.query_row(
            "SELECT token, feedback_portal_url FROM orders WHERE id = ?1",
            params![id.to_string()],
            |r| Ok(Some(OrderReceipt { order_id: id, token: r.get(0)?, feedback_portal_url: r.get(1)? })),
        )
        .optional()
    }

    fn store(&self, tx: &Tx<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        let settings = &ctx.settings;
        verify::totals(self, settings)?;
        if self.client_number != ctx.claims.client_number {
            return reject(format!(
                "ClientNumber {} is not this terminal's cash desk ({}).",
                self.client_number, ctx.claims.client_number
            ));
        }
        let Some(desk) = settings.cash_desk(self.client_number).cloned() else {
            return reject(format!("ClientNumber {} is not a cash desk of this tenant.", self.client_number));
        };
        if staff::active_user(tx, self.cashier_id)?.is_none() {
            return reject(format!(
                "CashierId {} is not an active member of staff of this tenant.",
                self.cashier_id
            ));
        }
        let mut customer = order_customer(self, tx)?;
        // Receipt numbers are the register's own series (the terminal login's, for a terminal without one).
        if let Some(register) = &self.register_id {
            if !crate::registers::owned_by(tx, register, ctx.claims.terminal)? {
                return reject(format!("RegisterId {register} is not a register of this terminal login."));
            }
        }
        let previous: Option<String> = tx
            .query_row(
                "SELECT id FROM orders WHERE invoice_number = ?2
                   AND CASE WHEN CAST(?3 AS TEXT) IS NULL THEN terminal_id = ?1 AND register_id IS NULL ELSE register_id = ?3 END",
                params![self.terminal_id.to_string(), self.invoice_number, self.register_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(previous) = previous {
            return reject(format!(
                "InvoiceNumber {} was already used by order {previous} of this register.",
                self.invoice_number
            ));
        }
        // An order that went through api/Sale was charged then: it must be that very sale.
        let recorded = sale::recorded(tx, self.id)?;
        if let Some(recorded) = &recorded {
            same_sale(self, recorded)?;
        }

        let Rules { lines, needed, promotions } = money_rules(self, tx, customer.as_ref(), settings)?;
        let offline = staff::check_approval(tx, self.id, self.approval.as_ref(), &needed, settings)?;

        let receipt = match recorded {
            Some(recorded) => recorded.receipt,
            None => {
                if let Some(customer) = customer.as_mut() {
                    charge_account(tx, ctx.stamp, customer, self, settings)?;
                }
                let wash = (self.kind == OrderKind::Sale && lines.has_wash).then(|| {
                    wash_tokens::program_of(self.lines.iter().map(|l| l.article_number.as_str()), settings)
                });
                issue_or_sell(tx, ctx, self, &desk, settings, wash)?
            }
        };
        insert(self, tx, &receipt, settings)?;
        // A refunded wash's token no longer opens the bay.
        if let (OrderKind::Refund, Some(sale)) = (self.kind, self.refund_of) {
            if self.lines.iter().any(|l| l.is_wash) {
                wash_tokens::void_for(tx, sale)?;
            }
        }
        let mut stale = lines.stale.clone();
        if let (Some(customer), Some(book)) = (customer.as_mut(), promotions.as_ref()) {
            settle_loyalty(tx, ctx.stamp, customer, self, &lines, book)?;
        }
        subscriptions(tx, ctx.stamp, customer.as_ref(), self, settings, &mut stale)?;
        record_stale(tx, self, &stale)?;
        if let Some(offline) = offline {
            staff::list_offline_approval(tx, self.id, self.terminal_id, &offline)?;
        }
        Ok(Some(receipt))
    }
}

/// The token and feedback URL of an order that did not go through `api/Sale`:
/// the token the terminal printed from its reserve (sold now), or a new one.
fn issue_or_sell(
    tx: &Tx<'_>,
    ctx: &Context<'_>,
    order: &Order,
    desk: &possum_contract::settings::CashDesk,
    settings: &TerminalSettings,
    wash: Option<u8>,
) -> Result<OrderReceipt, Rejection> {
    let (token, wash) = match (&order.token, wash) {
        (Some(token), Some(_)) => {
            wash_tokens::sell_reserved(tx, ctx.stamp, order.terminal_id, order.id, token)
                .map_err(Rejection::Refused)?;
            (Some(token.clone()), None)
        }
        (Some(_), None) => return reject("Token is for a sale with a wash; this order holds none."),
        (None, wash) => (None, wash),
    };
    let response = sale::respond(tx, desk, settings, order.id, wash)?;
    Ok(OrderReceipt {
        order_id: order.id,
        token: token.or(response.token),
        feedback_portal_url: response.feedback_portal_url,
    })
}

fn insert(
    order: &Order,
    tx: &Tx<'_>,
    receipt: &OrderReceipt,
    settings: &TerminalSettings,
) -> Result<(), Rejection> {
    let body = serde_json::to_string(order).map_err(crate::error::ApiError::from)?;
    tx.execute(
        "INSERT INTO orders (id, terminal_id, invoice_number, total, token, feedback_portal_url, body, received_at, refund_of, kind, shop_day, register_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            order.id.to_string(),
            order.terminal_id.to_string(),
            order.invoice_number,
            order.total.to_string(),
            receipt.token,
            receipt.feedback_portal_url,
            body,
            clock::now_us(),
            order.refund_of.map(|id| id.to_string()),
            if order.kind == OrderKind::Refund { "Refund" } else { "Sale" },
            shop_day(order.created_at, settings),
            order.register_id,
        ],
    )?;
    Ok(())
}
