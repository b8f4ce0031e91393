//! The sale history as it answers a customer at the counter ("I paid 149 this
//! morning", "the car is ABC 123", a receipt's number or wash token): what a
//! typed search can mean, which orders it finds, each sale in a line a
//! cashier reads (items, payment methods), and paging ("Show older").
//!
//! A search is read every way it can be at once, and an order is found when
//! any of them fits (docs/counter.md, "Sale history"):
//! - an invoice number: whole digits, the order's number;
//! - an amount: as staff type amounts (`money::parse_amount`: "149", "149,50",
//!   "1 234"), the order's total or one of its payments, either sign (a
//!   refund of 149 is found by "149");
//! - a wash token: its thirteen digits;
//! - a customer: the card number, RFID tag or licence plate of a customer in
//!   the cache (the caller looks them up, [`Search::customer_lookups`], and
//!   hands their ids to [`Search::with_customers`]), the order's customer.

use crate::money;
use crate::payment::label;
use crate::scan::{lookups, Lookup};
use possum_contract::activity::Order;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;
use uuid::Uuid;

/// Sales shown at a time: the newest page, and one more per "Show older".
pub const PAGE: usize = 50;

/// A search typed at the history, read every way it can be.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Search {
    text: String,
    invoice: Option<i64>,
    amount: Option<Decimal>,
    token: Option<String>,
    customers: Vec<Uuid>,
}

impl Search {
    pub fn new(text: &str, settings: &TerminalSettings) -> Self {
        let text = text.trim();
        let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        Search {
            text: text.to_string(),
            invoice: digits.then(|| text.parse().ok()).flatten(),
            amount: money::parse_amount(text, true, settings).ok().map(|a| a.abs()),
            token: (digits && text.len() == 13).then(|| text.to_string()),
            customers: vec![],
        }
    }

    /// Nothing typed: the history shows the newest sales.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The customer look-ups the text calls for: a card number, an RFID
    /// tag, a licence plate (as the sale screen finds a customer).
    pub fn customer_lookups(&self) -> Vec<Lookup> {
        lookups(&self.text)
            .into_iter()
            .filter(|l| {
                matches!(l, Lookup::CustomerCard(_) | Lookup::CustomerUid(_) | Lookup::LicensePlate(_))
            })
            .collect()
    }

    /// The search with the customers its text found in the cache.
    pub fn with_customers(mut self, customers: impl IntoIterator<Item = Uuid>) -> Self {
        self.customers = customers.into_iter().collect();
        self
    }

    pub fn matches(&self, order: &Order) -> bool {
        if self.is_empty() {
            return true;
        }
        self.invoice == Some(order.invoice_number)
            || self
                .amount
                .is_some_and(|a| order.total.abs() == a || order.payments.iter().any(|p| p.amount.abs() == a))
            || (self.token.is_some() && order.token == self.token)
            || order.customer_id.is_some_and(|c| self.customers.contains(&c))
    }
}

/// The first `pages` pages of `found` (newest first), and whether older ones are left.
pub fn page<T>(mut found: Vec<T>, pages: usize) -> (Vec<T>, bool) {
    let shown = pages.max(1).saturating_mul(PAGE);
    let more = found.len() > shown;
    found.truncate(shown);
    (found, more)
}

/// What was sold, as a cashier reads it: "2 × Coffee, Premium wash".
/// The parts of a combination are listed as they were sold.
pub fn items(order: &Order) -> String {
    let mut out: Vec<(i32, &str)> = Vec::new();
    for line in &order.lines {
        match out.iter_mut().find(|(_, name)| *name == line.name) {
            Some((quantity, _)) => *quantity += line.quantity,
            None => out.push((line.quantity, &line.name)),
        }
    }
    out.iter()
        .map(|(q, name)| if *q == 1 { name.to_string() } else { format!("{q} × {name}") })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How it was paid: "Cash", "Cash, Card" (each method once, in order).
pub fn methods(order: &Order) -> String {
    let mut out: Vec<&str> = Vec::new();
    for p in &order.payments {
        let name = label(p.method);
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use possum_contract::activity::{OrderKind, OrderLine, OrderPayment};
    use possum_contract::sale::PaymentMethod;
    use rust_decimal_macros::dec;

    fn line(name: &str, quantity: i32) -> OrderLine {
        OrderLine {
            article_number: name.into(),
            name: name.into(),
            quantity,
            unit_price: dec!(10),
            discount: Decimal::ZERO,
            vat_percent: dec!(25),
            line_total: Decimal::from(quantity) * dec!(10),
            is_wash: false,
            combination_article_number: None,
            promotion: None,
        }
    }

    fn order(invoice: i64, total: Decimal, payments: &[(PaymentMethod, Decimal)]) -> Order {
        Order {
            id: Uuid::new_v4(),
            kind: if total < Decimal::ZERO { OrderKind::Refund } else { OrderKind::Sale },
            terminal_id: Uuid::nil(),
            client_number: 1,
            invoice_number: invoice,
            created_at: Utc::now(),
            cashier_id: Uuid::nil(),
            cashier_name: "Anna".into(),
            customer_id: None,
            price_group: 1,
            lines: vec![line("Premium wash", 1), line("Coffee", 1), line("Coffee", 1)],
            rounding: Decimal::ZERO,
            total,
            vat_total: Decimal::ZERO,
            payments: payments
                .iter()
                .map(|(method, amount)| OrderPayment {
                    method: *method,
                    amount: *amount,
                    tendered: None,
                    change: None,
                })
                .collect(),
            refund_of: None,
            sold_offline: false,
            token: None,
            approval: None,
            register_id: None,
        }
    }

    fn kronor() -> TerminalSettings {
        TerminalSettings { cash_rounding: Decimal::ONE, ..TerminalSettings::default() }
    }

    #[test]
    fn a_search_finds_an_invoice_number_an_amount_a_token_or_a_customer() {
        let s = kronor();
        let cash = PaymentMethod::CashPayment;
        let card = PaymentMethod::CardPayment;
        let mut a = order(7, dec!(149), &[(cash, dec!(149))]);
        let b = order(149, dec!(229), &[(card, dec!(229))]);
        let c = order(8, dec!(-149), &[(cash, dec!(-149))]);
        let split = order(9, dec!(300.50), &[(cash, dec!(100)), (card, dec!(200.50))]);
        let found = |text: &str, all: &[&Order]| -> Vec<i64> {
            let search = Search::new(text, &s);
            all.iter().filter(|o| search.matches(o)).map(|o| o.invoice_number).collect()
        };
        let all = [&a, &b, &c, &split];
        // "149": invoice 149, a sale of 149 and its refund.
        assert_eq!(found("149", &all), [7, 149, 8]);
        assert_eq!(found(" 149,00 ", &all), [7, 8]);
        assert_eq!(found("300.50", &all), [9]);
        assert_eq!(found("200,5", &all), [9], "one payment of a split sale");
        assert_eq!(found("8", &all), [8]);
        assert_eq!(found("", &all), [7, 149, 8, 9], "nothing typed: every sale");
        assert_eq!(found("nothing", &all), Vec::<i64>::new());

        a.token = Some("2010000000018".into());
        assert_eq!(found("2010000000018", &[&a, &b]), [7]);

        let eva = Uuid::new_v4();
        a.customer_id = Some(eva);
        let search = Search::new("abc 123", &s);
        assert!(search.customer_lookups().contains(&Lookup::LicensePlate("ABC123".into())));
        assert!(!search.matches(&a), "the plate's customer is not known yet");
        let search = search.with_customers([eva]);
        assert!(search.matches(&a) && !search.matches(&b));
        let card_number = Search::new("10000001", &s).customer_lookups();
        assert!(card_number.contains(&Lookup::CustomerCard("10000001".into())));
        assert!(!card_number
            .iter()
            .any(|l| matches!(l, Lookup::ArticleNumber(_) | Lookup::ProductBarcode(_))));
    }

    #[test]
    fn pages_of_fifty_and_whether_older_ones_are_left() {
        let all: Vec<u32> = (0..120).collect();
        let (first, more) = page(all.clone(), 1);
        assert_eq!((first.len(), first[0], more), (50, 0, true));
        let (two, more) = page(all.clone(), 2);
        assert_eq!((two.len(), two[99], more), (100, 99, true));
        let (three, more) = page(all.clone(), 3);
        assert_eq!((three.len(), more), (120, false));
        assert_eq!(page(all[..50].to_vec(), 1), (all[..50].to_vec(), false));
        assert_eq!(page(all[..10].to_vec(), 0).0.len(), 10, "page 0 is the first");
    }

    #[test]
    fn a_sale_reads_as_its_items_and_its_methods() {
        let o = order(
            1,
            dec!(300),
            &[
                (PaymentMethod::CashPayment, dec!(100)),
                (PaymentMethod::CardPayment, dec!(150)),
                (PaymentMethod::CashPayment, dec!(50)),
            ],
        );
        assert_eq!(items(&o), "Premium wash, 2 × Coffee");
        assert_eq!(methods(&o), "Cash, Card");
        let refund = Order { lines: vec![line("Coffee", -1)], ..o };
        assert_eq!(items(&refund), "-1 × Coffee");
    }
}
