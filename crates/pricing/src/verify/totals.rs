//! The arithmetic of an order as a whole: its lines add up to its total, the
//! payments pay exactly that, cash rounding only where cash pays it all, and
//! the VAT is the VAT of its lines.

use super::Refusal;
use crate::limits::{is_sane, MAX_INVOICE_NUMBER, MAX_ORDER_LINES, MAX_QUANTITY};
use crate::lines::vat_total;
use crate::money::round_cash;
use possum_contract::activity::{Order, OrderKind};
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;

fn amount(place: &str, value: Decimal, negative: bool) -> Result<(), Refusal> {
    if is_sane(value, negative) {
        Ok(())
    } else {
        Err(Refusal::at(place, format!("{value} is out of bounds")))
    }
}

/// Checks an order's own arithmetic and bounds (not its prices: see `sold_lines`).
pub fn totals(order: &Order, settings: &TerminalSettings) -> Result<(), Refusal> {
    let refund = order.kind == OrderKind::Refund;
    if order.lines.is_empty() || order.lines.len() > MAX_ORDER_LINES {
        return Err(Refusal::at("Lines", format!("an order holds from 1 to {MAX_ORDER_LINES} lines")));
    }
    if !(1..=MAX_INVOICE_NUMBER).contains(&order.invoice_number) {
        return Err(Refusal::at("InvoiceNumber", format!("must be from 1 to {MAX_INVOICE_NUMBER}")));
    }
    for (i, line) in order.lines.iter().enumerate() {
        let place = format!("Lines[{i}]");
        if line.article_number.trim().is_empty() {
            return Err(Refusal::at(place, "ArticleNumber is empty"));
        }
        let sign_ok = if refund { line.quantity < 0 } else { line.quantity > 0 };
        if !sign_ok || line.quantity.abs() > MAX_QUANTITY {
            let sign = if refund { "negative on a refund" } else { "positive on a sale" };
            return Err(Refusal::at(
                place,
                format!("Quantity must be {sign} and at most {MAX_QUANTITY} in size"),
            ));
        }
        amount(&format!("{place}.UnitPrice"), line.unit_price, false)?;
        amount(&format!("{place}.Discount"), line.discount, false)?;
        amount(&format!("{place}.LineTotal"), line.line_total, refund)?;
        let wrong_sign =
            if refund { line.line_total > Decimal::ZERO } else { line.line_total < Decimal::ZERO };
        if wrong_sign {
            return Err(Refusal::at(place, "LineTotal has the wrong sign"));
        }
        if line.vat_percent.is_sign_negative() || line.vat_percent > Decimal::ONE_HUNDRED {
            return Err(Refusal::at(place, "VatPercent must be from 0 to 100"));
        }
    }
    amount("Total", order.total, refund)?;
    amount("VatTotal", order.vat_total, refund)?;
    let lines: Decimal = order.lines.iter().map(|l| l.line_total).sum();
    let all_cash =
        !order.payments.is_empty() && order.payments.iter().all(|p| p.method == PaymentMethod::CashPayment);
    let rounding = if all_cash { round_cash(lines, settings) - lines } else { Decimal::ZERO };
    if order.rounding != rounding {
        return Err(Refusal::at(
            "Rounding",
            format!(
                "{} is not {rounding} (cash rounding applies only when cash pays it all)",
                order.rounding
            ),
        ));
    }
    if lines + order.rounding != order.total {
        return Err(Refusal::at(
            "Total",
            format!("{} is not the sum of the lines ({lines}) plus Rounding", order.total),
        ));
    }
    let vat = vat_total(&order.lines, settings);
    if order.vat_total != vat {
        return Err(Refusal::at(
            "VatTotal",
            format!("{} is not the VAT of the lines ({vat})", order.vat_total),
        ));
    }
    let paid: Decimal = order.payments.iter().map(|p| p.amount).sum();
    if paid != order.total {
        return Err(Refusal::at("Payments", format!("they add up to {paid}, not to Total {}", order.total)));
    }
    for (i, p) in order.payments.iter().enumerate() {
        let place = format!("Payments[{i}]");
        if matches!(p.method, PaymentMethod::Unsupported(_)) {
            return Err(Refusal::at(place, format!("payment method {} is not supported", p.method.code())));
        }
        amount(&place, p.amount, refund)?;
        if !refund && p.amount.is_sign_negative() && !p.amount.is_zero() {
            return Err(Refusal::at(place, "a sale's payment cannot be negative"));
        }
        if refund && p.amount > Decimal::ZERO {
            return Err(Refusal::at(place, "a refund's payment cannot be positive"));
        }
        if let (Some(tendered), Some(change)) = (p.tendered, p.change) {
            amount(&format!("{place}.Tendered"), tendered, false)?;
            if tendered - change != p.amount || change.is_sign_negative() {
                return Err(Refusal::at(place, "Tendered less Change must equal the cash amount"));
            }
        }
    }
    Ok(())
}
