//! Register events on their way into the journal. An event is first kept as
//! [`Pending`] (in the same IndexedDB transaction as the sale it records,
//! where there is one), then prepared ([`Pending::prepare`]: its entries'
//! data and, for a receipt, what the control unit registers), signed, and
//! sealed onto the chain. A crash between those steps leaves the event
//! pending, so it is journaled at the next start: never lost, never twice.

use super::{kind_of, receipt_data, DayReport};
use crate::cart::Cart;
use crate::order::order_lines;
use chrono::{DateTime, NaiveDate, Utc};
use possum_contract::activity::{Order, OrderKind, OrderLine};
use possum_contract::journal::JournalKind;
use possum_contract::register::ControlData;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

/// What happened, as it waits to be journaled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", tag = "Type")]
pub enum Event {
    /// A receipt (a sale, return, training sale or copy): the control unit
    /// registers it before it is shown.
    Receipt { kind: JournalKind, order: Box<Order> },
    /// Any other event, with its entry's data.
    Record { kind: JournalKind, data: Value },
}

/// An event not yet in the journal. Its id becomes its entry's id (and the
/// id of the entry's outbox record), so the screen that caused it finds its
/// entry, and a second attempt at it is recognised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Pending {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub event: Event,
}

/// A pending event made ready to seal: the entries it becomes (the first
/// carries the control code) and what the control unit is to register.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub control: Option<ControlData>,
    pub entries: Vec<(Uuid, JournalKind, Value)>,
}

impl Pending {
    /// The receipt of `order` (`copy`: a reprint; `training`: a training sale).
    pub fn receipt(order: &Order, copy: bool, training: bool, at: DateTime<Utc>) -> Self {
        let kind = kind_of(order, copy, training);
        Pending { id: Uuid::new_v4(), at, event: Event::Receipt { kind, order: Box::new(order.clone()) } }
    }

    pub fn record(kind: JournalKind, data: Value, at: DateTime<Utc>) -> Self {
        Pending { id: Uuid::new_v4(), at, event: Event::Record { kind, data } }
    }

    /// The order a receipt is of (`None` for other events).
    pub fn order(&self) -> Option<&Order> {
        match &self.event {
            Event::Receipt { order, .. } => Some(order),
            Event::Record { .. } => None,
        }
    }

    /// Whether the event is a receipt that carries its register's code on the
    /// order itself (a copy's code is the copy's, not the order's).
    pub fn codes_its_order(&self) -> bool {
        matches!(&self.event, Event::Receipt { kind, .. } if *kind != JournalKind::Copy)
    }

    /// The entries of this event on `register_id`: a receipt's entry (with
    /// the control data), then for a sale one `PriceChange` entry per line
    /// whose price a manager set; any other event's single entry.
    pub fn prepare(
        &self,
        register_id: &str,
        category_of: impl Fn(&str) -> Option<String>,
        settings: &TerminalSettings,
    ) -> Prepared {
        match &self.event {
            Event::Record { kind, data } => {
                Prepared { control: None, entries: vec![(self.id, *kind, data.clone())] }
            }
            Event::Receipt { kind, order } => {
                let (data, control) = receipt_data(order, *kind, register_id, category_of, settings);
                let mut entries = vec![(self.id, *kind, data)];
                if *kind == JournalKind::Sale {
                    entries.extend(
                        price_changes(order)
                            .into_iter()
                            .map(|d| (Uuid::new_v4(), JournalKind::PriceChange, d)),
                    );
                }
                Prepared { control: Some(control), entries }
            }
        }
    }
}

/// A manager's price change on each line of a sale that has one: a price
/// away from the list (an override or a manual discount) that no campaign or
/// program set. Read from the sale's lines as sold.
pub fn price_changes(order: &Order) -> Vec<Value> {
    if order.kind != OrderKind::Sale {
        return vec![];
    }
    order
        .lines
        .iter()
        .filter(|l| l.promotion.is_none() && !l.discount.is_zero())
        .map(|l| {
            json!({
                "OrderId": order.id,
                "ReceiptNumber": order.invoice_number,
                "ArticleNumber": l.article_number,
                "Name": l.name,
                "Quantity": l.quantity,
                "ListPrice": l.unit_price,
                "Discount": l.discount,
                "Total": l.line_total,
                "ApprovedBy": order.approval.as_ref().map(|a| a.user_id),
            })
        })
        .collect()
}

/// The data of a sale begun and not finished (parked, or cancelled before
/// payment): what was in the cart, and who.
pub fn unfinished(lines: &[OrderLine], total: Decimal, cashier: &str, label: Option<&str>) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .map(|l| {
            json!({"ArticleNumber": l.article_number, "Name": l.name, "Quantity": l.quantity, "Total": l.line_total})
        })
        .collect();
    json!({"Lines": lines, "Total": total, "Cashier": cashier, "Label": label})
}

/// [`unfinished`] of a cart as the till holds it: its lines priced as the
/// order would have been, and its total.
pub fn unfinished_cart(
    cart: &Cart,
    settings: &TerminalSettings,
    cashier: &str,
    label: Option<&str>,
) -> Value {
    let lines: Vec<OrderLine> = cart.lines.iter().flat_map(|l| order_lines(l, settings)).collect();
    unfinished(&lines, cart.totals(settings).total, cashier, label)
}

/// The data of an X report's entry: the report as shown, and its day.
pub fn x_report_data(day: NaiveDate, report: &DayReport) -> Value {
    let mut data = serde_json::to_value(report).expect("a report serialises");
    data["Day"] = json!(day.to_string());
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use possum_contract::activity::{OrderPayment, Promotion, PromotionKind, StaffApproval};
    use possum_contract::sale::PaymentMethod;
    use rust_decimal_macros::dec;

    #[test]
    fn a_parked_or_cancelled_cart_is_journaled_with_its_lines_and_total() {
        use crate::cart::{tests::product, Article, Cart};
        let s = TerminalSettings::default();
        let mut cart = Cart::new(1);
        for _ in 0..2 {
            cart.add(Article::from_product(&product("W100", &[(1, dec!(149))], dec!(25))), &s).unwrap();
        }
        let data = unfinished_cart(&cart, &s, "Anna", Some("Parked 10:42"));
        assert_eq!(data["Lines"][0]["ArticleNumber"], json!("W100"));
        assert_eq!(data["Lines"][0]["Quantity"], json!(2));
        assert_eq!(data["Total"].to_string().trim_matches('"').parse::<Decimal>().unwrap(), dec!(298));
        assert_eq!((data["Cashier"].clone(), data["Label"].clone()), (json!("Anna"), json!("Parked 10:42")));
    }

    fn line(article: &str, discount: Decimal, promotion: bool) -> OrderLine {
        OrderLine {
            article_number: article.into(),
            name: article.into(),
            quantity: 1,
            unit_price: dec!(149),
            discount,
            vat_percent: dec!(25),
            line_total: dec!(149) - discount,
            is_wash: false,
            combination_article_number: None,
            promotion: promotion.then(|| Promotion {
                id: Uuid::nil(),
                name: "Morning".into(),
                kind: PromotionKind::Campaign,
            }),
        }
    }

    fn sale(lines: Vec<OrderLine>) -> Order {
        let total = lines.iter().map(|l| l.line_total).sum();
        Order {
            id: Uuid::new_v4(),
            kind: OrderKind::Sale,
            terminal_id: Uuid::nil(),
            client_number: 1,
            invoice_number: 7,
            created_at: "2026-12-03T10:00:00.250Z".parse().unwrap(),
            cashier_id: Uuid::nil(),
            cashier_name: "Anna".into(),
            customer_id: None,
            price_group: 1,
            lines,
            rounding: Decimal::ZERO,
            total,
            vat_total: Decimal::ZERO,
            payments: vec![OrderPayment {
                method: PaymentMethod::CardPayment,
                amount: total,
                tendered: None,
                change: None,
            }],
            refund_of: None,
            sold_offline: false,
            token: None,
            approval: Some(StaffApproval { user_id: Uuid::nil(), offline: false }),
            register_id: Some("R1".into()),
        }
    }

    #[test]
    fn a_sale_becomes_its_receipt_entry_and_one_price_change_per_changed_line() {
        let s = TerminalSettings { organisation_number: "556000-0000".into(), ..TerminalSettings::default() };
        let order =
            sale(vec![line("W1", dec!(0), false), line("W2", dec!(20), false), line("W3", dec!(30), true)]);
        let pending = Pending::receipt(&order, false, false, order.created_at);
        let prepared = pending.prepare("R1", |_| Some("Washes".into()), &s);
        let kinds: Vec<JournalKind> = prepared.entries.iter().map(|(_, k, _)| *k).collect();
        assert_eq!(kinds, vec![JournalKind::Sale, JournalKind::PriceChange]);
        assert_eq!(prepared.entries[0].0, pending.id, "the receipt's entry takes the event's id");
        assert_eq!(prepared.entries[1].2["ArticleNumber"], "W2");
        let control = prepared.control.unwrap();
        assert_eq!((control.receipt_number, control.kind.as_str()), (7, "Sale"));
        assert_eq!(control.at.to_rfc3339(), "2026-12-03T10:00:00+00:00", "registered to the second");
        assert!(pending.codes_its_order());
        // A copy and a training receipt carry no price changes; a copy's code is its own.
        let copy = Pending::receipt(&order, true, false, order.created_at);
        assert_eq!(copy.prepare("R1", |_| None, &s).entries.len(), 1);
        assert!(!copy.codes_its_order());
        let training = Pending::receipt(&order, false, true, order.created_at);
        assert_eq!(training.prepare("R1", |_| None, &s).entries[0].1, JournalKind::Training);
    }

    #[test]
    fn a_pending_event_keeps_its_order_exactly_through_its_stored_form() {
        let order = sale(vec![line("W1", dec!(0.50), false)]);
        let pending = Pending::receipt(&order, false, false, order.created_at);
        let text = serde_json::to_string(&pending).unwrap();
        assert_eq!(serde_json::from_str::<Pending>(&text).unwrap(), pending);
        let other = Pending::record(
            JournalKind::Cancelled,
            unfinished(&order.lines, order.total, "Anna", None),
            order.created_at,
        );
        let back: Pending = serde_json::from_str(&serde_json::to_string(&other).unwrap()).unwrap();
        assert_eq!(
            back.prepare("R1", |_| None, &TerminalSettings::default()).entries[0].2["Total"].to_string(),
            "148.50"
        );
    }
}
