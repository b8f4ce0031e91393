//! A refund against its sale (bounded in money as well as quantity, back to
//! the sale's own customer and payment methods), and a refund without a
//! receipt (catalogue prices, never to a customer account, within the
//! tenant's limit).

use super::promotions::PromotionBook;
use super::sale::{sold_lines, LinesCheck};
use super::{PriceBook, Refusal};
use crate::promotions::Moment;
use possum_contract::activity::{Order, OrderKind, OrderLine};
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use rust_decimal::{Decimal, RoundingStrategy};

/// What a checked refund gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundCheck {
    /// The amount paid back (positive).
    pub given_back: Decimal,
}

fn key(line: &OrderLine) -> (&str, Option<&str>) {
    (line.article_number.as_str(), line.combination_article_number.as_deref())
}

/// Per method, what `orders` paid (sales) or paid back (refunds, as positive amounts).
fn by_method<'a>(orders: impl IntoIterator<Item = &'a Order>) -> Vec<(PaymentMethod, Decimal)> {
    let mut out: Vec<(PaymentMethod, Decimal)> = Vec::new();
    for p in orders.into_iter().flat_map(|o| &o.payments) {
        match out.iter_mut().find(|(m, _)| *m == p.method) {
            Some((_, sum)) => *sum += p.amount.abs(),
            None => out.push((p.method, p.amount.abs())),
        }
    }
    out
}

fn paid_with(list: &[(PaymentMethod, Decimal)], method: PaymentMethod) -> Option<Decimal> {
    list.iter().find(|(m, _)| *m == method).map(|(_, sum)| *sum)
}

/// Checks `refund` against `sale` and the refunds of it received `earlier`.
pub fn refund_of_sale(
    refund: &Order,
    sale: &Order,
    earlier: &[Order],
    settings: &TerminalSettings,
) -> Result<RefundCheck, Refusal> {
    if sale.kind != OrderKind::Sale {
        return Err(Refusal::at("RefundOf", format!("{} is a refund, not a sale", sale.id)));
    }
    if refund.customer_id != sale.customer_id {
        return Err(Refusal::at("CustomerId", "a refund goes back to the sale's own customer"));
    }
    let earlier: Vec<&Order> =
        earlier.iter().filter(|o| o.refund_of == Some(sale.id) && o.id != refund.id).collect();
    for (i, line) in refund.lines.iter().enumerate() {
        let sold: Vec<&OrderLine> = sale.lines.iter().filter(|l| key(l) == key(line)).collect();
        if sold.is_empty() {
            return Err(Refusal::line(
                i,
                &line.article_number,
                format!("was not sold on invoice {}", sale.invoice_number),
            ));
        }
        if sold.iter().any(|l| l.vat_percent != line.vat_percent) {
            return Err(Refusal::line(i, &line.article_number, "VatPercent is not the sale's"));
        }
        let sold_quantity: i32 = sold.iter().map(|l| l.quantity).sum();
        let sold_amount: Decimal = sold.iter().map(|l| l.line_total).sum();
        // Earlier refunds of the sale, and this refund's lines of the same article before this one.
        let before = earlier.iter().flat_map(|o| o.lines.iter()).chain(refund.lines[..i].iter());
        let (done_quantity, done_amount) = before
            .filter(|l| key(l) == key(line))
            .fold((0, Decimal::ZERO), |(q, a), l| (q + l.quantity.abs(), a + l.line_total.abs()));
        let (quantity, amount) = (line.quantity.abs(), line.line_total.abs());
        if done_quantity + quantity > sold_quantity {
            return Err(Refusal::line(
                i,
                &line.article_number,
                format!(
                    "was sold {sold_quantity} times on invoice {} and {done_quantity} were refunded already; {quantity} more cannot be refunded",
                    sale.invoice_number
                ),
            ));
        }
        // No unit comes back dearer than the dearest unit sold, and never more than what is left.
        let dearest = sold
            .iter()
            .map(|l| {
                (l.line_total / Decimal::from(l.quantity))
                    .round_dp_with_strategy(settings.price_decimals, RoundingStrategy::AwayFromZero)
            })
            .max()
            .unwrap_or_default();
        if amount > dearest * Decimal::from(quantity) || done_amount + amount > sold_amount {
            return Err(Refusal::line(
                i,
                &line.article_number,
                format!(
                    "gives back {amount}, more than was paid for it ({} left)",
                    sold_amount - done_amount
                ),
            ));
        }
    }
    let paid = by_method([sale]);
    let paid_back = by_method(earlier.iter().copied().chain([refund]));
    for (i, p) in refund.payments.iter().enumerate() {
        let substitute = p.method == PaymentMethod::CashPayment && settings.cash_refunds_allowed;
        let Some(limit) = paid_with(&paid, p.method).or(substitute.then_some(sale.total)) else {
            let methods: Vec<&str> = paid.iter().map(|(m, _)| m.name()).collect();
            return Err(Refusal::at(
                format!("Payments[{i}]"),
                format!(
                    "{} did not pay this sale; it is refunded with {}",
                    p.method.name(),
                    methods.join(", ")
                ),
            ));
        };
        let back = paid_with(&paid_back, p.method).unwrap_or_default();
        let limit = if substitute { sale.total } else { limit };
        // Each cash refund is rounded on its own: half a unit each, at most.
        let refunds = Decimal::from(earlier.len() + 1);
        let tolerance = if p.method == PaymentMethod::CashPayment {
            settings.cash_rounding * refunds / Decimal::TWO
        } else {
            Decimal::ZERO
        };
        if back > limit + tolerance {
            return Err(Refusal::at(
                format!("Payments[{i}]"),
                format!("more goes back with {} than it paid", p.method.name()),
            ));
        }
    }
    Ok(RefundCheck { given_back: refund.total.abs() })
}

/// Methods a refund without a receipt may pay back with: never a customer account.
pub const UNRECEIPTED_METHODS: [PaymentMethod; 3] =
    [PaymentMethod::CashPayment, PaymentMethod::CardPayment, PaymentMethod::SwishPayment];

/// Checks a refund without a receipt: its lines at catalogue prices, paid back
/// in cash, by card or Swish, no more than the tenant's limit per refund.
pub fn refund_without_receipt(
    refund: &Order,
    entitled_group: u8,
    book: &PriceBook,
    settings: &TerminalSettings,
) -> Result<LinesCheck, Refusal> {
    // No promotion is claimed on a refund without a receipt: it gives back at most list prices.
    let none = PromotionBook::none(Moment {
        local: refund.created_at.naive_utc(),
        desk: refund.client_number,
        price_group: refund.price_group,
    });
    if refund.lines.iter().any(|l| l.promotion.is_some()) {
        return Err(Refusal::at("Lines", "a refund without a receipt names no promotion"));
    }
    let check = sold_lines(&refund.lines, refund.price_group, entitled_group, true, book, &none, settings)?;
    if check.raised_above_list {
        return Err(Refusal::at(
            "Lines",
            "a refund without a receipt gives back at most an article's catalogue price",
        ));
    }
    if let Some(i) = refund.payments.iter().position(|p| !UNRECEIPTED_METHODS.contains(&p.method)) {
        return Err(Refusal::at(
            format!("Payments[{i}]"),
            "a refund without a receipt is paid back in cash, by card or Swish, never to a customer account",
        ));
    }
    if refund.total.abs() > settings.unreceipted_refund_limit {
        return Err(Refusal::at(
            "Total",
            format!(
                "a refund without a receipt gives back at most {} ({} asked)",
                settings.unreceipted_refund_limit,
                refund.total.abs()
            ),
        ));
    }
    Ok(check)
}
