//! What may still be refunded of a sale, and the lines of a refund.
//!
//! A sale's lines are grouped the way the cashier sold them: a plain line is
//! one item, the parts of a product combination are one item (a combination is
//! refunded as a whole, never a part of it). Earlier refunds of the same sale
//! are subtracted, so a sale can be refunded in several goes but never twice.

use crate::money;
use possum_contract::activity::{Order, OrderKind, OrderLine};
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;

/// One thing the cashier may refund: a line, or a combination's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundItem {
    /// What the receipt called it: the article or the combination.
    pub label: String,
    /// The sale's lines of this item (one, or every part of a combination).
    pub lines: Vec<OrderLine>,
    /// How many were sold: a line's quantity, a combination's count.
    pub sold: i32,
    /// How many are left after earlier refunds.
    pub remaining: i32,
    /// Per line: quantity and amount already refunded (positive).
    refunded: Vec<(i32, Decimal, Decimal)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundError {
    Nothing,
    TooMany { label: String, remaining: i32 },
}

impl std::fmt::Display for RefundError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefundError::Nothing => write!(f, "Choose at least one item to refund."),
            RefundError::TooMany { label, remaining } => {
                write!(f, "Only {remaining} of {label} can still be refunded.")
            }
        }
    }
}

impl std::error::Error for RefundError {}

fn gcd(a: i32, b: i32) -> i32 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

fn same_line(a: &OrderLine, b: &OrderLine) -> bool {
    a.article_number == b.article_number && a.combination_article_number == b.combination_article_number
}

/// The items of `sale` and how many of each `earlier` refunds (of this sale) left.
pub fn refundable(sale: &Order, earlier: &[Order]) -> Vec<RefundItem> {
    group(&sale.lines, |line| {
        earlier
            .iter()
            .filter(|r| r.refund_of == Some(sale.id))
            .flat_map(|r| r.lines.iter().filter(|l| same_line(l, line)))
            .fold((0, Decimal::ZERO, Decimal::ZERO), |(q, t, d), l| {
                (q + l.quantity.abs(), t + l.line_total.abs(), d + l.discount)
            })
    })
}

/// The items of lines rung up for a refund without a receipt: all of them refundable.
pub fn items(lines: &[OrderLine]) -> Vec<RefundItem> {
    group(lines, |_| (0, Decimal::ZERO, Decimal::ZERO))
}

fn group(lines: &[OrderLine], refunded: impl Fn(&OrderLine) -> (i32, Decimal, Decimal)) -> Vec<RefundItem> {
    let mut items: Vec<RefundItem> = Vec::new();
    for line in lines {
        let refunded = refunded(line);
        match (&line.combination_article_number, items.last_mut()) {
            (Some(combination), Some(item))
                if item.lines[0].combination_article_number.as_ref() == Some(combination) =>
            {
                item.lines.push(line.clone());
                item.refunded.push(refunded);
            }
            (combination, _) => items.push(RefundItem {
                label: combination.clone().unwrap_or_else(|| line.name.clone()),
                lines: vec![line.clone()],
                sold: 0,
                remaining: 0,
                refunded: vec![refunded],
            }),
        }
    }
    for item in &mut items {
        if item.lines[0].combination_article_number.is_some() {
            let parts: Vec<&str> = item.lines.iter().map(|l| l.name.as_str()).collect();
            item.label = format!("{} ({})", item.label, parts.join(" + "));
        }
        // A combination sold n times has parts whose quantities are all multiples of n.
        item.sold = item.lines.iter().fold(0, |g, l| gcd(g, l.quantity));
        let unit = item.lines[0].quantity / item.sold;
        item.remaining = item.sold - item.refunded[0].0 / unit;
    }
    items
}

/// The lines (positive, as sold) that refund `quantities[i]` of `items[i]`.
/// What is refunded last gets the exact rest of each amount, so the refunds
/// of a sale add up to the sale to the cent.
pub fn refund_lines(
    items: &[RefundItem],
    quantities: &[i32],
    settings: &TerminalSettings,
) -> Result<Vec<OrderLine>, RefundError> {
    let mut lines = Vec::new();
    for (item, &count) in items.iter().zip(quantities) {
        if count <= 0 {
            continue;
        }
        if count > item.remaining {
            return Err(RefundError::TooMany { label: item.label.clone(), remaining: item.remaining });
        }
        let last = count == item.remaining;
        for (line, &(done, total_done, discount_done)) in item.lines.iter().zip(&item.refunded) {
            let quantity = line.quantity / item.sold * count;
            let share = |amount: Decimal, done: Decimal| {
                if last {
                    amount - done
                } else {
                    money::round(amount * Decimal::from(quantity) / Decimal::from(line.quantity), settings)
                }
            };
            debug_assert!(done + quantity <= line.quantity);
            lines.push(OrderLine {
                quantity,
                line_total: share(line.line_total, total_done),
                discount: share(line.discount, discount_done),
                ..line.clone()
            });
        }
    }
    if lines.is_empty() {
        return Err(RefundError::Nothing);
    }
    Ok(lines)
}

/// How a refund without a receipt is paid back: never to a customer account
/// (the back office's own rule, so the till offers exactly what it accepts).
pub use possum_pricing::verify::UNRECEIPTED_METHODS;

/// What one more refund without a receipt may give back: at most the
/// settings' `UnreceiptedRefundLimit`, and what `UnreceiptedRefundDailyLimit`
/// leaves after the refunds without a receipt among `today` (the terminal's
/// orders of the shop day; the back office counts the same per terminal).
pub fn unreceipted_left<'a>(
    today: impl IntoIterator<Item = &'a Order>,
    settings: &TerminalSettings,
) -> Decimal {
    let given: Decimal = today
        .into_iter()
        .filter(|o| o.kind == OrderKind::Refund && o.refund_of.is_none())
        .map(|o| o.total.abs())
        .sum();
    let day_left = (settings.unreceipted_refund_daily_limit - given).max(Decimal::ZERO);
    settings.unreceipted_refund_limit.min(day_left)
}

/// A payment method a refund may use, and the most it may still give back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundMethod {
    pub method: PaymentMethod,
    /// What the method took of the sale less what earlier refunds gave back
    /// with it (cash: plus the half unit each cash refund may round up).
    pub left: Decimal,
}

/// The methods a refund of `sale` goes back with, given the `earlier`
/// refunds of it: the sale's own, in the order it was paid (card to card,
/// Swish to Swish, account to account), and cash in place of them only
/// where the settings' `CashRefundsAllowed` says so. The back office checks
/// the same (`possum_pricing::verify::refund_of_sale`).
pub fn refund_methods(sale: &Order, earlier: &[Order], settings: &TerminalSettings) -> Vec<RefundMethod> {
    let earlier: Vec<&Order> = earlier.iter().filter(|r| r.refund_of == Some(sale.id)).collect();
    let back = |method: PaymentMethod| -> Decimal {
        earlier.iter().flat_map(|r| &r.payments).filter(|p| p.method == method).map(|p| p.amount.abs()).sum()
    };
    // Each cash refund is rounded on its own: half a unit each, this one included.
    let rounding = settings.cash_rounding * Decimal::from(earlier.len() + 1) / Decimal::TWO;
    let mut methods: Vec<RefundMethod> = Vec::new();
    for p in &sale.payments {
        match methods.iter_mut().find(|m| m.method == p.method) {
            Some(m) => m.left += p.amount.abs(),
            None => methods.push(RefundMethod { method: p.method, left: p.amount.abs() }),
        }
    }
    // Where cash may stand in for the other methods, it may give back up to the sale's total.
    if settings.cash_refunds_allowed {
        match methods.iter_mut().find(|m| m.method == PaymentMethod::CashPayment) {
            Some(cash) => cash.left = sale.total.abs(),
            None => methods.push(RefundMethod { method: PaymentMethod::CashPayment, left: sale.total.abs() }),
        }
    }
    for m in &mut methods {
        let tolerance = if m.method == PaymentMethod::CashPayment { rounding } else { Decimal::ZERO };
        m.left = (m.left - back(m.method) + tolerance).max(Decimal::ZERO);
    }
    methods
}

/// Whether `method` may give back `amount` (positive or negative) of what
/// `methods` leaves, or why not, in the cashier's words.
pub fn check_method(
    methods: &[RefundMethod],
    method: PaymentMethod,
    amount: Decimal,
    settings: &TerminalSettings,
) -> Result<(), String> {
    let name = crate::payment::label(method);
    match methods.iter().find(|m| m.method == method) {
        None => Err(format!("{name} did not pay this sale: the money goes back the way it came.")),
        Some(m) if amount.abs() > m.left => Err(format!(
            "At most {} more can go back by {name}: choose fewer items.",
            money::format(m.left, settings)
        )),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use possum_contract::activity::OrderPayment;
    use possum_contract::sale::PaymentMethod;
    use rust_decimal_macros::dec;
    use uuid::Uuid;

    fn line(
        article: &str,
        quantity: i32,
        unit: Decimal,
        total: Decimal,
        combination: Option<&str>,
    ) -> OrderLine {
        OrderLine {
            article_number: article.into(),
            name: article.into(),
            quantity,
            unit_price: unit,
            discount: unit * Decimal::from(quantity) - total,
            vat_percent: dec!(25),
            line_total: total,
            is_wash: false,
            combination_article_number: combination.map(Into::into),
            promotion: None,
        }
    }

    fn sale(lines: Vec<OrderLine>) -> Order {
        let total = lines.iter().map(|l| l.line_total).sum();
        Order {
            id: Uuid::new_v4(),
            kind: OrderKind::Sale,
            terminal_id: Uuid::nil(),
            client_number: 1,
            invoice_number: 1,
            created_at: chrono::Utc::now(),
            cashier_id: Uuid::nil(),
            cashier_name: "Anna".into(),
            customer_id: None,
            price_group: 1,
            lines,
            rounding: Decimal::ZERO,
            total,
            vat_total: Decimal::ZERO,
            payments: vec![OrderPayment {
                method: PaymentMethod::CashPayment,
                amount: total,
                tendered: None,
                change: None,
            }],
            refund_of: None,
            sold_offline: false,
            token: None,
            approval: None,
            register_id: None,
        }
    }

    fn refund_of(sale: &Order, lines: Vec<OrderLine>) -> Order {
        let lines = lines
            .into_iter()
            .map(|l| OrderLine { quantity: -l.quantity, line_total: -l.line_total, ..l })
            .collect();
        Order { id: Uuid::new_v4(), kind: OrderKind::Refund, refund_of: Some(sale.id), ..self::sale(lines) }
    }

    #[test]
    fn a_combination_is_one_item_and_plain_lines_are_their_own() {
        let s = sale(vec![
            line("W200", 2, dec!(229), dec!(400), Some("K200")),
            line("X30", 2, dec!(79), dec!(138), Some("K200")),
            line("S100", 3, dec!(89.90), dec!(269.70), None),
        ]);
        let items = refundable(&s, &[]);
        assert_eq!(
            items.iter().map(|i| (i.label.as_str(), i.sold, i.remaining)).collect::<Vec<_>>(),
            [("K200 (W200 + X30)", 2, 2), ("S100", 3, 3)]
        );
        let lines = refund_lines(&items, &[1, 0], &TerminalSettings::default()).unwrap();
        assert_eq!(
            lines.iter().map(|l| (l.article_number.as_str(), l.quantity, l.line_total)).collect::<Vec<_>>(),
            [("W200", 1, dec!(200.00)), ("X30", 1, dec!(69.00))]
        );
    }

    #[test]
    fn refunds_in_several_goes_add_up_to_the_sale_to_the_cent_and_never_exceed_it() {
        let settings = TerminalSettings::default();
        let s = sale(vec![line("S100", 3, dec!(10), dec!(20), None)]);
        let first = refund_lines(&refundable(&s, &[]), &[1], &settings).unwrap();
        assert_eq!((first[0].line_total, first[0].discount), (dec!(6.67), dec!(3.33)));
        let earlier = vec![refund_of(&s, first)];
        let items = refundable(&s, &earlier);
        assert_eq!(items[0].remaining, 2);
        assert_eq!(
            refund_lines(&items, &[3], &settings),
            Err(RefundError::TooMany { label: "S100".into(), remaining: 2 })
        );
        let rest = refund_lines(&items, &[2], &settings).unwrap();
        assert_eq!((rest[0].line_total, rest[0].discount), (dec!(13.33), dec!(6.67)));
        let all = vec![earlier[0].clone(), refund_of(&s, rest)];
        assert_eq!(refundable(&s, &all)[0].remaining, 0);
        assert_eq!(refund_lines(&refundable(&s, &all), &[0], &settings), Err(RefundError::Nothing));
    }

    #[test]
    fn refunds_of_other_sales_do_not_count() {
        let s = sale(vec![line("S100", 1, dec!(10), dec!(10), None)]);
        let other = sale(vec![line("S100", 1, dec!(10), dec!(10), None)]);
        let items = refundable(&s, &[refund_of(&other, other.lines.clone())]);
        assert_eq!(items[0].remaining, 1);
    }
    fn paid(mut sale: Order, payments: &[(PaymentMethod, Decimal)]) -> Order {
        sale.payments = payments
            .iter()
            .map(|(method, amount)| OrderPayment {
                method: *method,
                amount: *amount,
                tendered: None,
                change: None,
            })
            .collect();
        sale
    }

    #[test]
    fn a_refund_goes_back_the_way_the_sale_was_paid() {
        use PaymentMethod::*;
        let settings = TerminalSettings { cash_rounding: Decimal::ONE, ..TerminalSettings::default() };
        let card = paid(sale(vec![line("W100", 1, dec!(149), dec!(149), None)]), &[(CardPayment, dec!(149))]);
        let methods = refund_methods(&card, &[], &settings);
        assert_eq!(methods, [RefundMethod { method: CardPayment, left: dec!(149) }]);
        assert!(check_method(&methods, CashPayment, dec!(-149), &settings)
            .unwrap_err()
            .contains("did not pay"));
        assert_eq!(check_method(&methods, CardPayment, dec!(-149), &settings), Ok(()));

        // Split: each method gives back at most what it took, after earlier refunds.
        let split = paid(
            sale(vec![line("S100", 3, dec!(100), dec!(300), None)]),
            &[(SwishPayment, dec!(100)), (CreditPayment, dec!(200))],
        );
        let mut earlier = refund_of(&split, vec![line("S100", 1, dec!(100), dec!(100), None)]);
        earlier = paid(earlier, &[(CreditPayment, dec!(-100))]);
        let methods = refund_methods(&split, &[earlier], &settings);
        assert_eq!(
            methods.iter().map(|m| (m.method, m.left)).collect::<Vec<_>>(),
            [(SwishPayment, dec!(100)), (CreditPayment, dec!(100))]
        );
        let too_much = check_method(&methods, CreditPayment, dec!(-200), &settings).unwrap_err();
        assert!(too_much.contains("100.00 SEK"), "{too_much}");

        // Cash stands in only where the settings allow it, up to the sale's total.
        let allowing = TerminalSettings { cash_refunds_allowed: true, ..settings.clone() };
        let methods = refund_methods(&card, &[], &allowing);
        assert_eq!(methods[1].method, CashPayment);
        assert_eq!(methods[1].left, dec!(149.5), "149 and the half unit a cash refund may round");
    }

    #[test]
    fn refunds_of_other_sales_leave_a_methods_money_alone() {
        let settings = TerminalSettings::default();
        let s = sale(vec![line("S100", 1, dec!(10), dec!(10), None)]);
        let other = sale(vec![line("S100", 1, dec!(10), dec!(10), None)]);
        let methods = refund_methods(&s, &[refund_of(&other, other.lines.clone())], &settings);
        assert_eq!(methods[0].left, dec!(10));
    }

    #[test]
    fn refunds_without_a_receipt_are_bounded_each_and_per_day() {
        let settings = TerminalSettings::default();
        assert_eq!(unreceipted_left(&[], &settings), dec!(500), "each at most 500");
        let s = sale(vec![line("S100", 1, dec!(300), dec!(300), None)]);
        let unreceipted = |total: Decimal| {
            let mut r = refund_of(&s, vec![line("S100", 1, total, total, None)]);
            r.refund_of = None;
            r
        };
        let day = [unreceipted(dec!(300)), unreceipted(dec!(400)), refund_of(&s, s.lines.clone()), s.clone()];
        // 1000 a day: 700 given back without a receipt leaves 300 (the refund with one and the sale do not count).
        assert_eq!(unreceipted_left(&day, &settings), dec!(300));
        let more = [unreceipted(dec!(600)), unreceipted(dec!(500))];
        assert_eq!(unreceipted_left(&more, &settings), Decimal::ZERO, "never below nothing");
    }
}
