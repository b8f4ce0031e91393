//! What a stored order causes beyond its row: the customer's account, their
//! loyalty credits, wash-club washes and plans sold, and the lines listed for
//! the owner (sold with an older catalogue).

use crate::params;
use crate::promotions;
use crate::store::sql::{self, Tx};
use crate::store::{clock, entity};
use crate::subscriptions;
use possum_contract::activity::{Order, OrderKind};
use possum_contract::customer::{Customer, DepositHistory, DepositKind};
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use possum_pricing::verify::{LinesCheck, PromotionBook, StaleLine, StaleReason};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::Rejection;

/// Lines sold with an older catalogue, for the owner's report.
pub(super) fn record_stale(tx: &Tx<'_>, order: &Order, stale: &[StaleLine]) -> sql::Result<()> {
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
pub(super) fn charge_account(
    tx: &Tx<'_>,
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

/// Loyalty credits used and earned by a sale of `customer`.
pub(super) fn settle_loyalty(
    tx: &Tx<'_>,
    stamp: i64,
    customer: &mut Customer,
    order: &Order,
    lines: &LinesCheck,
    book: &PromotionBook,
) -> sql::Result<()> {
    if promotions::settle_loyalty(customer, order, &lines.credits_used, book) {
        entity::upsert(tx, stamp, customer)?;
    }
    Ok(())
}

/// A sale's wash-club effects: a wash paid with the plan counts for fair use
/// (one the plan did not cover is taken as sold, the wash happened, and
/// listed), and a plan article sold starts or renews the customer's plan.
pub(super) fn subscriptions(
    tx: &Tx<'_>,
    stamp: i64,
    customer: Option<&Customer>,
    order: &Order,
    settings: &TerminalSettings,
    stale: &mut Vec<StaleLine>,
) -> sql::Result<()> {
    let (Some(customer), OrderKind::Sale) = (customer, order.kind) else { return Ok(()) };
    let today = promotions::shop_time(order.created_at, settings).date();
    if order.payments.iter().any(|p| p.method == PaymentMethod::SubscriptionPayment) {
        let plans = subscriptions::of_vehicle(
            tx,
            customer.license_plate.as_deref(),
            customer.card_uid,
            Some(customer.id),
        )?;
        for (i, line) in order.lines.iter().enumerate().filter(|(_, l)| l.is_wash) {
            match subscriptions::covering(&plans, &line.article_number, today) {
                Ok(plan) => subscriptions::record_wash(tx, stamp, plan, today)?,
                Err(_) => stale.push(StaleLine {
                    line: i,
                    article_number: line.article_number.clone(),
                    reason: StaleReason::SubscriptionNotCovered,
                    quantity: line.quantity,
                    sold_list_price: Decimal::ZERO,
                    catalogue_price: Some(line.unit_price),
                }),
            }
        }
    }
    let sold = order.lines.iter().map(|l| (l.article_number.as_str(), l.quantity));
    subscriptions::sell_plans(tx, stamp, customer, sold, today, settings)
}
