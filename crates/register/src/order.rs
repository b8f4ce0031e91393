//! From a paid cart to the records the back office gets: the `Order` pushed
//! through `PostOrder` and the seed's `SaleRequestModel` for `api/Sale`.

use crate::cart::{Cart, CartLine, IdentifiedBy};
use crate::money;
use crate::payment::Checkout;
use chrono::{DateTime, Utc};
use possum_contract::activity::{Order, OrderKind, OrderLine, OrderPayment};
use possum_contract::sale::{PaymentMethod, SaleItem, SaleRequestModel};
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;
use uuid::Uuid;

/// The order lines of a cart line (the pricing rules' `order_lines`).
pub fn order_lines(line: &CartLine, settings: &TerminalSettings) -> Vec<OrderLine> {
    possum_pricing::lines::order_lines(&line.sold(), settings)
}

/// Who and where: what an order records beside the cart and the payments.
#[derive(Debug, Clone)]
pub struct SaleContext {
    pub order_id: Uuid,
    pub terminal_id: Uuid,
    pub client_number: u8,
    pub invoice_number: i64,
    pub cashier_id: Uuid,
    pub cashier_name: String,
    pub now: DateTime<Utc>,
}

/// What every order of this terminal carries: who, where, when, the lines and
/// their VAT; the total is the lines' sum until a caller says otherwise.
fn order(kind: OrderKind, lines: Vec<OrderLine>, ctx: &SaleContext, settings: &TerminalSettings) -> Order {
    Order {
        id: ctx.order_id,
        kind,
        terminal_id: ctx.terminal_id,
        client_number: ctx.client_number,
        invoice_number: ctx.invoice_number,
        created_at: ctx.now,
        cashier_id: ctx.cashier_id,
        cashier_name: ctx.cashier_name.clone(),
        customer_id: None,
        price_group: settings.default_price_group,
        vat_total: possum_pricing::lines::vat_total(&lines, settings),
        total: lines.iter().map(|l| l.line_total).sum(),
        lines,
        rounding: Decimal::ZERO,
        payments: vec![],
        refund_of: None,
        sold_offline: false,
        token: None,
        approval: None,
        register_id: None,
    }
}

/// The completed sale, as stored on the terminal and pushed to `PostOrder`.
pub fn sale_order(cart: &Cart, checkout: &Checkout, ctx: &SaleContext, settings: &TerminalSettings) -> Order {
    let lines: Vec<OrderLine> = cart.lines.iter().flat_map(|l| order_lines(l, settings)).collect();
    Order {
        customer_id: cart.customer.as_ref().map(|c| c.customer.id),
        price_group: cart.price_group,
        rounding: checkout.rounding(settings),
        total: checkout.due(settings),
        payments: checkout.payments.clone(),
        approval: cart.approval.clone(),
        ..order(OrderKind::Sale, lines, ctx, settings)
    }
}

/// A refund of `lines` (from [`crate::refund::refund_lines`], or a cart's
/// lines for a refund without a receipt), paid back with `method`: every
/// quantity and amount negated; cash paid back is rounded like cash taken.
pub fn refund_order(
    lines: &[OrderLine],
    method: PaymentMethod,
    refund_of: Option<&Order>,
    customer_id: Option<Uuid>,
    ctx: &SaleContext,
    settings: &TerminalSettings,
) -> Order {
    let lines: Vec<OrderLine> = lines
        .iter()
        .map(|l| OrderLine { quantity: -l.quantity.abs(), line_total: -l.line_total.abs(), ..l.clone() })
        .collect();
    let refund = order(OrderKind::Refund, lines, ctx, settings);
    let total = refund_total(refund.total, method, settings);
    Order {
        customer_id: refund_of.and_then(|o| o.customer_id).or(customer_id),
        price_group: refund_of.map_or(settings.default_price_group, |o| o.price_group),
        rounding: total - refund.total,
        total,
        payments: vec![OrderPayment { method, amount: total, tendered: None, change: None }],
        refund_of: refund_of.map(|o| o.id),
        ..refund
    }
}

/// What a refund of lines worth `lines_total` pays back with `method`.
pub fn refund_total(lines_total: Decimal, method: PaymentMethod, settings: &TerminalSettings) -> Decimal {
    let negative = -lines_total.abs();
    if method == PaymentMethod::CashPayment {
        money::round_cash(negative, settings)
    } else {
        negative
    }
}

/// The seed's `SaleRequestModel` for a sale paid with one method. A split
/// payment has no `api/Sale` form (the model carries one method): it goes to
/// the back office as its `PostOrder` record only.
pub fn sale_request(
    cart: &Cart,
    method: PaymentMethod,
    cashier_card: Option<&str>,
    client_number: u8,
) -> SaleRequestModel {
    let customer = cart.customer.as_ref();
    let by = |wanted: IdentifiedBy| customer.filter(|c| c.by == wanted).map(|c| &c.customer);
    SaleRequestModel {
        price_group: cart.price_group,
        items: cart
            .lines
            .iter()
            .map(|l| SaleItem {
                article_number: Some(l.article.article_number.clone()),
                quantity: l.quantity,
                // A one-line campaign or program's price per unit (see `deals::order_only`).
                price: crate::deals::sale_price(l),
            })
            .collect(),
        cashier_card_number: cashier_card.map(str::to_string),
        payment_method: method,
        card_number: by(IdentifiedBy::CardNumber).and_then(|c| c.card_number.clone()),
        card_uid: by(IdentifiedBy::CardUid).and_then(|c| c.card_uid),
        license_plate: by(IdentifiedBy::LicensePlate).and_then(|c| c.license_plate.clone()),
        client_number,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::{Article, AttachedCustomer};
    use possum_contract::catalogue::GroupPrice;
    use possum_contract::customer::Customer;
    use rust_decimal_macros::dec;

    fn article(number: &str, price: Decimal) -> Article {
        Article {
            article_number: number.into(),
            name: number.into(),
            prices: vec![GroupPrice { price_group: 1, price }],
            vat_percent: dec!(25),
            is_wash: false,
            blocked: false,
            parts: vec![],
        }
    }

    fn ctx() -> SaleContext {
        SaleContext {
            order_id: Uuid::new_v4(),
            terminal_id: Uuid::new_v4(),
            client_number: 1,
            invoice_number: 7,
            cashier_id: Uuid::new_v4(),
            cashier_name: "Anna".into(),
            now: Utc::now(),
        }
    }

    #[test]
    fn an_order_adds_up_the_way_the_back_office_checks_it() {
        let s = TerminalSettings { cash_rounding: Decimal::ONE, ..TerminalSettings::default() };
        let mut cart = Cart::new(1);
        cart.add(article("A", dec!(99.60)), &s).unwrap();
        cart.add(article("B", dec!(49.20)), &s).unwrap();
        let mut checkout = Checkout::new(cart.totals(&s).total);
        checkout.pay(PaymentMethod::CashPayment, None, Some(dec!(200)), &s).unwrap();
        let order = sale_order(&cart, &checkout, &ctx(), &s);
        let lines: Decimal = order.lines.iter().map(|l| l.line_total).sum();
        assert_eq!(lines + order.rounding, order.total);
        assert_eq!((order.total, order.rounding), (dec!(149), dec!(0.20)));
        assert_eq!(order.payments.iter().map(|p| p.amount).sum::<Decimal>(), order.total);
        assert_eq!(order.payments[0].change, Some(dec!(51)));
        assert_eq!(order.vat_total, dec!(29.76));
    }

    #[test]
    fn a_refund_negates_every_amount() {
        let s = TerminalSettings::default();
        let mut cart = Cart::new(1);
        cart.add(article("A", dec!(80)), &s).unwrap();
        let mut checkout = Checkout::new(cart.totals(&s).total);
        checkout.pay(PaymentMethod::CardPayment, None, None, &s).unwrap();
        let sale = sale_order(&cart, &checkout, &ctx(), &s);
        let refund = refund_order(&sale.lines, PaymentMethod::CashPayment, Some(&sale), None, &ctx(), &s);
        assert_eq!(
            (refund.total, refund.lines[0].quantity, refund.payments[0].amount),
            (dec!(-80), -1, dec!(-80))
        );
        assert_eq!(refund.vat_total, dec!(-16.00));
        assert_eq!(refund.refund_of, Some(sale.id));
    }

    #[test]
    fn cash_paid_back_is_rounded_like_cash_taken_and_adds_up_for_the_back_office() {
        let s = TerminalSettings { cash_rounding: Decimal::ONE, ..TerminalSettings::default() };
        let mut cart = Cart::new(1);
        cart.add(article("A", dec!(99.60)), &s).unwrap();
        cart.add(article("B", dec!(49.20)), &s).unwrap();
        let mut checkout = Checkout::new(cart.totals(&s).total);
        checkout.pay(PaymentMethod::CashPayment, None, Some(dec!(200)), &s).unwrap();
        let sale = sale_order(&cart, &checkout, &ctx(), &s);
        let cash = refund_order(&sale.lines, PaymentMethod::CashPayment, Some(&sale), None, &ctx(), &s);
        assert_eq!((cash.total, cash.rounding), (-sale.total, -sale.rounding));
        assert_eq!(cash.lines.iter().map(|l| l.line_total).sum::<Decimal>() + cash.rounding, cash.total);
        let account = refund_order(&sale.lines, PaymentMethod::CreditPayment, Some(&sale), None, &ctx(), &s);
        assert_eq!((account.total, account.rounding), (dec!(-148.80), Decimal::ZERO));
    }

    #[test]
    fn the_sale_request_names_the_customer_the_way_it_was_found() {
        let s = TerminalSettings::default();
        let mut cart = Cart::new(2);
        cart.add(article("A", dec!(10)), &s).unwrap();
        let customer = Customer {
            card_number: Some("C1".into()),
            license_plate: Some("ABC123".into()),
            ..Customer::new(Uuid::new_v4(), "Bo")
        };
        cart.customer = Some(AttachedCustomer { customer, by: IdentifiedBy::LicensePlate });
        let request = sale_request(&cart, PaymentMethod::CreditPayment, Some("1001"), 3);
        assert_eq!(request.license_plate.as_deref(), Some("ABC123"));
        assert_eq!(request.card_number, None);
        assert_eq!((request.price_group, request.client_number), (2, 3));
        assert_eq!(request.items[0].price, dec!(10));
    }
}
