//! `PostOrder`: a completed sale or refund, checked against the money rules
//! (docs/openapi.yaml, "What the back office checks of an order") before it
//! is stored, and booked on the customer's account when it was not already
//! charged through `api/Sale`.

use super::{reject, Context, PushRecord, Rejection};
use crate::catalogue::price_book;
use crate::sale::{self, RecordedSale};
use crate::staff::{self, ApprovalRefusal, Needed, PRICES, REFUND};
use crate::store::{clock, entity};
use chrono::{DateTime, Utc};
use possum_contract::activity::{Order, OrderKind, OrderReceipt};
use possum_contract::customer::{Customer, DepositHistory, DepositKind};
use possum_contract::endpoints::PushKind;
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use possum_pricing::promotions::Moment;
use possum_pricing::verify::{self, LinesCheck, PromotionBook, Refusal, StaleLine};
use rusqlite::{params, OptionalExtension, Transaction};
use rust_decimal::Decimal;
use std::collections::BTreeSet;
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

    fn stored(tx: &Transaction<'_>, id: Uuid) -> rusqlite::Result<Option<Option<OrderReceipt>>> {
        tx.query_row("SELECT token, feedback_portal_url FROM orders WHERE id = ?1", [id.to_string()], |r| {
            Ok(Some(OrderReceipt { order_id: id, token: r.get(0)?, feedback_portal_url: r.get(1)? }))
        })
        .optional()
    }

    fn store(&self, tx: &Transaction<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
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
        let customer = order_customer(self, tx)?;
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
        // An order that went through api/Sale was charged then: it must be that very sale.
        let recorded = sale::recorded(tx, self.id)?;
        if let Some(recorded) = &recorded {
            same_sale(self, recorded)?;
        }

        let entitled = customer.as_ref().and_then(|c| c.price_group).unwrap_or(settings.default_price_group);
        let (lines, needed) = money_rules(self, tx, entitled, settings)?;
        let offline = staff::check_approval(tx, self.id, self.approval.as_ref(), &needed, settings)?;

        let receipt = match recorded {
            Some(recorded) => recorded.receipt,
            None => {
                if let Some(mut customer) = customer {
                    charge_account(tx, ctx.stamp, &mut customer, self, settings)?;
                }
                let has_wash = self.kind == OrderKind::Sale && lines.has_wash;
                let response = sale::respond(tx, &desk, settings, self.id, has_wash)?;
                OrderReceipt {
                    order_id: self.id,
                    token: response.token,
                    feedback_portal_url: response.feedback_portal_url,
                }
            }
        };
        insert(self, tx, &receipt, settings)?;
        record_stale(tx, self, &lines.stale)?;
        if let Some(offline) = offline {
            staff::list_offline_approval(tx, self.id, self.terminal_id, &offline)?;
        }
        Ok(Some(receipt))
    }
}

/// The order's customer, who must exist, may use this cash desk, and is
/// there whenever a payment goes to an account.
fn order_customer(order: &Order, tx: &Transaction<'_>) -> Result<Option<Customer>, Rejection> {
    let customer = match order.customer_id {
        Some(id) => match entity::get::<Customer>(tx, id)? {
            Some(c) => Some(c),
            None => return reject(format!("CustomerId {id} is not a customer of this tenant.")),
        },
        None => None,
    };
    if let Some(c) = &customer {
        if !c.allowed_clients.is_empty() && !c.allowed_clients.contains(&order.client_number) {
            return reject(format!(
                "{}'s card may not be used at cash desk {} (ClientNotAllowed).",
                c.name, order.client_number
            ));
        }
    }
    if customer.is_none() {
        if let Some(p) = order.payments.iter().find(|p| p.method.needs_customer()) {
            return reject(format!("{} needs a customer on the order.", p.method.name()));
        }
    }
    Ok(customer)
}

/// Checks the lines (or the refund against its sale) and says what needs a manager's approval.
fn money_rules(
    order: &Order,
    tx: &Transaction<'_>,
    entitled: u8,
    settings: &TerminalSettings,
) -> Result<(LinesCheck, Vec<Needed>), Rejection> {
    let numbers: Vec<String> = order
        .lines
        .iter()
        .flat_map(|l| [Some(l.article_number.clone()), l.combination_article_number.clone()])
        .flatten()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let prices = |check: &LinesCheck| Needed {
        any_of: PRICES,
        what: "prices away from the list",
        amount: check.given_away,
    };
    match (order.kind, order.refund_of) {
        (OrderKind::Sale, Some(_)) => reject("RefundOf is only for a refund."),
        (OrderKind::Sale, None) => {
            let book = price_book(tx, &numbers, settings)?;
            let promos = promotion_book(tx, order, settings)?;
            let check = verify::sold_lines(
                &order.lines,
                order.price_group,
                entitled,
                false,
                &book,
                &promos,
                settings,
            )?;
            let needed = if check.needs_approval { vec![prices(&check)] } else { vec![] };
            Ok((check, needed))
        }
        (OrderKind::Refund, Some(sale_id)) => {
            let (sale, earlier) = sale_and_refunds(tx, sale_id)?;
            let refund = verify::refund_of_sale(order, &sale, &earlier, settings)?;
            let needed = vec![Needed { any_of: REFUND, what: "a refund", amount: refund.given_back }];
            Ok((LinesCheck::default(), needed))
        }
        (OrderKind::Refund, None) => {
            let book = price_book(tx, &numbers, settings)?;
            let check = verify::refund_without_receipt(order, entitled, &book, settings)?;
            within_daily_refund_limit(order, tx, settings)?;
            let mut needed = vec![Needed {
                any_of: REFUND,
                what: "a refund without a receipt",
                amount: order.total.abs(),
            }];
            if check.needs_approval {
                needed.push(prices(&check));
            }
            Ok((check, needed))
        }
    }
}

/// Refunds without a receipt: at most the tenant's daily limit per
/// terminal (the shop's day of the refund), and only fresh ones (a
/// back-dated refund cannot escape the limit of its day).
fn within_daily_refund_limit(
    order: &Order,
    tx: &Transaction<'_>,
    settings: &TerminalSettings,
) -> Result<(), Rejection> {
    let now = Utc::now();
    let oldest = now - chrono::Duration::days(i64::from(settings.stale_price_days));
    if order.created_at < oldest || order.created_at > now + chrono::Duration::hours(1) {
        return reject(format!(
            "A refund without a receipt must reach the back office within {} days of being made.",
            settings.stale_price_days
        ));
    }
    let day = shop_day(order.created_at, settings);
    let so_far: Vec<String> = tx
        .prepare_cached(
            "SELECT total FROM orders WHERE terminal_id = ?1 AND shop_day = ?2 AND kind = 'Refund' AND refund_of IS NULL",
        )?
        .query_map(params![order.terminal_id.to_string(), day], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let so_far: Decimal = so_far.iter().filter_map(|t| t.parse::<Decimal>().ok()).map(|t| t.abs()).sum();
    if so_far + order.total.abs() > settings.unreceipted_refund_daily_limit {
        return reject(format!(
            "Refunds without a receipt at this terminal on {day} would reach {}, more than the daily limit of {}.",
            so_far + order.total.abs(),
            settings.unreceipted_refund_daily_limit
        ));
    }
    Ok(())
}

fn insert(
    order: &Order,
    tx: &Transaction<'_>,
    receipt: &OrderReceipt,
    settings: &TerminalSettings,
) -> Result<(), Rejection> {
    let body = serde_json::to_string(order).map_err(crate::error::ApiError::from)?;
    tx.execute(
        "INSERT INTO orders (id, terminal_id, invoice_number, total, token, feedback_portal_url, body, received_at, refund_of, kind, shop_day)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
        ],
    )?;
    Ok(())
}

/// The campaigns an order may name (today's, from the settings rows), at the
/// shop's time the order was made.
fn promotion_book(
    tx: &Transaction<'_>,
    order: &Order,
    settings: &TerminalSettings,
) -> Result<PromotionBook, Rejection> {
    let rows = entity::all::<possum_contract::settings::Setting>(tx)?;
    let (campaigns, _) = possum_contract::campaign::campaigns_from_rows(&rows);
    let moment = Moment {
        local: shop_time(order.created_at, settings),
        desk: order.client_number,
        price_group: order.price_group,
    };
    Ok(PromotionBook {
        campaigns: campaigns.into_iter().map(|c| (c, true)).collect(),
        ..PromotionBook::none(moment)
    })
}

/// The shop's wall-clock time at `at` (UTC when the setting is not a zone).
pub fn shop_time(at: DateTime<Utc>, settings: &TerminalSettings) -> chrono::NaiveDateTime {
    match settings.time_zone.parse::<chrono_tz::Tz>() {
        Ok(zone) => at.with_timezone(&zone).naive_local(),
        Err(_) => at.naive_utc(),
    }
}

/// The calendar day of `at` in the shop's time zone (UTC when the setting is not a zone).
pub fn shop_day(at: DateTime<Utc>, settings: &TerminalSettings) -> String {
    shop_time(at, settings).date().to_string()
}

/// The sale `id` and the refunds of it received so far.
fn sale_and_refunds(tx: &Transaction<'_>, id: Uuid) -> Result<(Order, Vec<Order>), Rejection> {
    let body: Option<String> =
        tx.query_row("SELECT body FROM orders WHERE id = ?1", [id.to_string()], |r| r.get(0)).optional()?;
    let Some(body) = body else {
        return reject(format!("RefundOf {id} is not a sale this back office has received."));
    };
    let parse = |text: &str| serde_json::from_str::<Order>(text).map_err(crate::error::ApiError::from);
    let sale = parse(&body)?;
    let mut statement = tx.prepare_cached("SELECT body FROM orders WHERE refund_of = ?1")?;
    let bodies: Vec<String> =
        statement.query_map([id.to_string()], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let earlier = bodies.iter().map(|b| parse(b)).collect::<Result<Vec<_>, _>>()?;
    Ok((sale, earlier))
}

/// An order whose id is a sale `api/Sale` charged must be that sale: the same
/// cash desk, cashier, customer, payment method and items (money per article).
fn same_sale(order: &Order, sale: &RecordedSale) -> Result<(), Rejection> {
    let differs = |what: &str| {
        reject(format!(
            "This order's Id is that of a sale already charged through api/Sale, but its {what} differs."
        ))
    };
    if order.kind != OrderKind::Sale {
        return differs("kind");
    }
    if order.client_number != sale.request.client_number {
        return differs("cash desk");
    }
    if order.cashier_id != sale.cashier_id {
        return differs("cashier");
    }
    if order.customer_id != sale.customer_id {
        return differs("customer");
    }
    if order.payments.len() != 1 || order.payments[0].method != sale.request.payment_method {
        return differs("payment");
    }
    let mut by_order: Vec<(String, Decimal, i32)> = Vec::new();
    for line in &order.lines {
        let (key, quantity) = match &line.combination_article_number {
            Some(combination) => (combination.clone(), 0),
            None => (line.article_number.clone(), line.quantity),
        };
        add(&mut by_order, key, line.line_total, quantity);
    }
    let mut by_sale: Vec<(String, Decimal, i32)> = Vec::new();
    for item in &sale.request.items {
        let key = item.article_number.clone().unwrap_or_default().trim().to_string();
        let is_combination =
            order.lines.iter().any(|l| l.combination_article_number.as_deref() == Some(key.as_str()));
        add(
            &mut by_sale,
            key,
            item.price * Decimal::from(item.quantity),
            if is_combination { 0 } else { item.quantity },
        );
    }
    by_order.sort();
    by_sale.sort();
    if by_order != by_sale {
        return differs("items");
    }
    Ok(())
}

fn add(list: &mut Vec<(String, Decimal, i32)>, key: String, amount: Decimal, quantity: i32) {
    match list.iter_mut().find(|(k, _, _)| *k == key) {
        Some((_, a, q)) => {
            *a += amount;
            *q += quantity;
        }
        None => list.push((key, amount, quantity)),
    }
}

/// Lines sold with an older catalogue, for the owner's report.
fn record_stale(tx: &Transaction<'_>, order: &Order, stale: &[StaleLine]) -> rusqlite::Result<()> {
    for line in stale {
        tx.execute(
            "INSERT INTO stale_prices (order_id, line, terminal_id, article_number, reason, quantity, sold_price, catalogue_price, difference, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                order.id.to_string(),
                line.line as i64,
                order.terminal_id.to_string(),
                line.article_number,
                line.reason.as_str(),
                line.quantity,
                line.sold_list_price.to_string(),
                line.catalogue_price.map(|p| p.to_string()),
                line.difference().map(|d| d.to_string()),
                clock::now_us(),
            ],
        )?;
    }
    Ok(())
}

/// An order sold offline on credit or prepaid money is booked on the account
/// as it happened: the sale took place, so it is recorded even past the limit.
/// A refund to the account (only ever to the sale's own customer, paid with
/// that method) gives the money back.
fn charge_account(
    tx: &Transaction<'_>,
    stamp: i64,
    customer: &mut Customer,
    order: &Order,
    settings: &TerminalSettings,
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
    customer.balance = possum_pricing::money::round(customer.balance - on_account, settings);
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
