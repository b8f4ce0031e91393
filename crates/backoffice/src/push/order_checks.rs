//! What the back office checks of a pushed order before storing it
//! (docs/openapi.yaml, "What the back office checks of an order"): its
//! customer, the money rules (lines, promotions, refunds), the limits on
//! refunds without a receipt, and an order reusing an `api/Sale` id.

use super::{reject, Rejection};
use crate::catalogue::price_book;
use crate::params;
use crate::promotions::{self, shop_day};
use crate::sale::RecordedSale;
use crate::staff::{Needed, PRICES, REFUND};
use crate::store::entity;
use crate::store::sql::{OptionalExtension, Tx};
use chrono::Utc;
use possum_contract::activity::{Order, OrderKind};
use possum_contract::customer::Customer;
use possum_contract::settings::TerminalSettings;
use possum_pricing::verify::{self, LinesCheck, PromotionBook};
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use uuid::Uuid;

/// What the money rules found: the lines as checked, what needs a manager,
/// and (for a sale) the promotions the order was checked against.
pub(super) struct Rules {
    pub lines: LinesCheck,
    pub needed: Vec<Needed>,
    pub promotions: Option<PromotionBook>,
}

/// The order's customer, who must exist, may use this cash desk, and is
/// there whenever a payment goes to an account.
pub(super) fn order_customer(order: &Order, tx: &Tx<'_>) -> Result<Option<Customer>, Rejection> {
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
pub(super) fn money_rules(
    order: &Order,
    tx: &Tx<'_>,
    customer: Option<&Customer>,
    settings: &TerminalSettings,
) -> Result<Rules, Rejection> {
    let entitled = customer.and_then(|c| c.price_group).unwrap_or(settings.default_price_group);
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
            let promos = promotions::book(
                tx,
                order.created_at,
                order.client_number,
                order.price_group,
                customer,
                settings,
            )?;
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
            Ok(Rules { lines: check, needed, promotions: Some(promos) })
        }
        (OrderKind::Refund, Some(sale_id)) => {
            let (sale, earlier) = sale_and_refunds(tx, sale_id)?;
            let refund = verify::refund_of_sale(order, &sale, &earlier, settings)?;
            let needed = vec![Needed { any_of: REFUND, what: "a refund", amount: refund.given_back }];
            Ok(Rules { lines: LinesCheck::default(), needed, promotions: None })
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
            Ok(Rules { lines: check, needed, promotions: None })
        }
    }
}

/// Refunds without a receipt: at most the tenant's daily limit per
/// terminal (the shop's day of the refund), and only fresh ones (a
/// back-dated refund cannot escape the limit of its day).
fn within_daily_refund_limit(
    order: &Order,
    tx: &Tx<'_>,
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
    let so_far: Vec<String> = tx.query_map(
        "SELECT total FROM orders WHERE terminal_id = ?1 AND shop_day = ?2 AND kind = 'Refund' AND refund_of IS NULL",
        params![order.terminal_id, day],
        |r| r.get(0),
    )?;
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

/// The sale `id` and the refunds of it received so far.
fn sale_and_refunds(tx: &Tx<'_>, id: Uuid) -> Result<(Order, Vec<Order>), Rejection> {
    let body: Option<String> = tx
        .query_row("SELECT body FROM orders WHERE id = ?1", params![id.to_string()], |r| r.get(0))
        .optional()?;
    let Some(body) = body else {
        return reject(format!("RefundOf {id} is not a sale this back office has received."));
    };
    let parse = |text: &str| serde_json::from_str::<Order>(text).map_err(crate::error::ApiError::from);
    let sale = parse(&body)?;
    let bodies: Vec<String> =
        tx.query_map("SELECT body FROM orders WHERE refund_of = ?1", params![id], |r| r.get(0))?;
    let earlier = bodies.iter().map(|b| parse(b)).collect::<Result<Vec<_>, _>>()?;
    Ok((sale, earlier))
}

/// An order whose id is a sale `api/Sale` charged must be that sale: the same
/// cash desk, cashier, customer, payment method and items (money per article).
pub(super) fn same_sale(order: &Order, sale: &RecordedSale) -> Result<(), Rejection> {
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
