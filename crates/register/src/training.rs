//! Receipts that are not sales (SKVFS 2014:9): a training sale (ÖVNING),
//! practised at the till with nothing charged, and a pro forma (EJ KVITTO),
//! a quote of the cart. Both are registered with the control unit and
//! journaled under their own kinds, so the day report counts them apart
//! (`DayReport::training`, `DayReport::pro_forma`) and never as sales.

use crate::cart::Cart;
use crate::journal::events::{Event, Pending};
use crate::order::{sale_order, SaleContext};
use crate::payment::Checkout;
use chrono::{DateTime, Utc};
use possum_contract::activity::Order;
use possum_contract::journal::JournalKind;
use possum_contract::settings::TerminalSettings;
use uuid::Uuid;

/// A pro forma has no number of the register's receipt series: it is not a
/// receipt, so the series of receipts stays unbroken without it.
pub const PRO_FORMA_NUMBER: i64 = 0;

/// The cart as a pro forma: its lines and total as a sale would have them,
/// no payment, no receipt number, no token. Nothing of it is stored as an
/// order; the cart stays as it is.
pub fn pro_forma_order(cart: &Cart, ctx: &SaleContext, settings: &TerminalSettings) -> Order {
    let ctx = SaleContext { invoice_number: PRO_FORMA_NUMBER, order_id: Uuid::new_v4(), ..ctx.clone() };
    sale_order(cart, &Checkout::for_cart(cart, settings), &ctx, settings)
}

/// The pro forma `order`, waiting to be journaled as `ProForma`: registered
/// with the control unit like a receipt, its code on the pro forma alone.
pub fn pro_forma_pending(order: &Order, at: DateTime<Utc>) -> Pending {
    Pending {
        id: Uuid::new_v4(),
        at,
        event: Event::Receipt { kind: JournalKind::ProForma, order: Box::new(order.clone()) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::Article;
    use crate::journal::{day_report, GrandTotals};
    use possum_contract::catalogue::GroupPrice;
    use possum_contract::journal::{JournalEntry, GENESIS_HASH};
    use possum_contract::sale::PaymentMethod;
    use rust_decimal_macros::dec;

    fn article(number: &str, price: rust_decimal::Decimal) -> Article {
        Article {
            article_number: number.into(),
            name: number.into(),
            prices: vec![GroupPrice { price_group: 1, price }],
            vat_percent: dec!(25),
            is_wash: true,
            blocked: false,
            parts: vec![],
        }
    }

    fn ctx(number: i64) -> SaleContext {
        SaleContext {
            order_id: Uuid::new_v4(),
            terminal_id: Uuid::nil(),
            client_number: 1,
            invoice_number: number,
            cashier_id: Uuid::nil(),
            cashier_name: "Anna".into(),
            now: "2026-12-03T10:00:00Z".parse().unwrap(),
        }
    }

    fn sealed(seq: u64, pending: &Pending, s: &TerminalSettings) -> JournalEntry {
        let prepared = pending.prepare("R1", |_| Some("Washes".into()), s);
        let (id, kind, data) = prepared.entries[0].clone();
        JournalEntry {
            id,
            register_id: "R1".into(),
            seq,
            at: pending.at,
            kind,
            data,
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
            control_code: Some("code".into()),
        }
    }

    #[test]
    fn a_pro_forma_is_the_cart_unpaid_unnumbered_and_journaled_as_pro_forma() {
        let s = TerminalSettings { cash_rounding: rust_decimal::Decimal::ONE, ..TerminalSettings::default() };
        let mut cart = Cart::new(1);
        cart.add(article("W100", dec!(149.50)), &s).unwrap();
        let before = cart.clone();
        let quote = pro_forma_order(&cart, &ctx(7), &s);
        assert_eq!(cart, before, "the cart stays");
        assert_eq!((quote.invoice_number, quote.total), (PRO_FORMA_NUMBER, dec!(149.50)));
        assert!(quote.payments.is_empty() && quote.token.is_none());
        assert_ne!(quote.id, cart.order_id, "the cart's own id stays the sale's");
        let pending = pro_forma_pending(&quote, quote.created_at);
        let prepared = pending.prepare("R1", |_| None, &s);
        assert_eq!(prepared.entries.len(), 1);
        assert_eq!(prepared.entries[0].1, JournalKind::ProForma);
        let control = prepared.control.expect("a pro forma is registered with the control unit");
        assert_eq!((control.kind.as_str(), control.receipt_number), ("ProForma", 0));
    }

    #[test]
    fn training_and_pro_forma_are_counted_apart_from_sales() {
        let s = TerminalSettings::default();
        let mut cart = Cart::new(1);
        cart.add(article("W100", dec!(149)), &s).unwrap();
        let mut paid = Checkout::for_cart(&cart, &s);
        paid.pay(PaymentMethod::CashPayment, None, Some(dec!(200)), &s).unwrap();
        let training = sale_order(&cart, &paid, &ctx(3), &s);
        let sale = sale_order(&cart, &paid, &ctx(4), &s);
        let quote = pro_forma_order(&cart, &ctx(0), &s);
        let entries = vec![
            sealed(1, &Pending::receipt(&training, false, true, training.created_at), &s),
            sealed(2, &pro_forma_pending(&quote, quote.created_at), &s),
            sealed(3, &Pending::receipt(&sale, false, false, sale.created_at), &s),
        ];
        let r = day_report(&entries, GrandTotals::default(), &s);
        assert_eq!((r.training.count, r.training.amount), (1, dec!(149)));
        assert_eq!((r.pro_forma.count, r.pro_forma.amount), (1, dec!(149)));
        assert_eq!((r.receipts, r.sales.count, r.sales.amount), (1, 1, dec!(149)));
        assert_eq!(r.by_method, vec![("CashPayment".to_string(), dec!(149))], "only the sale's cash");
        assert_eq!(r.grand_totals.sales, dec!(149));
    }
}
