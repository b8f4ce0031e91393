//! What the terminal writes into its journal (see `possum_contract::journal`)
//! and the X and Z reports the Swedish rules ask for, computed from it.
//!
//! The journal is the register's own record of every event, so the reports
//! are read from it rather than from counters kept beside it: what a report
//! says can always be traced to the entries it sums.

pub mod chain;
pub mod events;

use possum_contract::activity::{Order, OrderKind};
use possum_contract::journal::{JournalEntry, JournalKind};
use possum_contract::register::ControlData;
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The data of a receipt's entry: the receipt as printed, and what the control unit registered.
pub fn receipt_data(
    order: &Order,
    kind: JournalKind,
    register_id: &str,
    category_of: impl Fn(&str) -> Option<String>,
    settings: &TerminalSettings,
) -> (Value, ControlData) {
    let vat: Vec<(Decimal, Decimal)> = possum_pricing::lines::vat_by_rate(&order.lines, settings)
        .into_iter()
        .map(|(rate, _, amount)| (rate, amount))
        .collect();
    let control = ControlData {
        organisation_number: settings.organisation_number.clone(),
        register_id: register_id.to_string(),
        receipt_number: order.invoice_number,
        at: chrono::DateTime::from_timestamp(order.created_at.timestamp(), 0).unwrap_or(order.created_at),
        kind: format!("{kind:?}"),
        total: order.total,
        vat: vat.clone(),
    };
    let lines: Vec<Value> = order
        .lines
        .iter()
        .map(|l| {
            json!({
                "ArticleNumber": l.article_number,
                "Name": l.name,
                "Group": category_of(&l.article_number),
                "Quantity": l.quantity,
                "Total": l.line_total,
                "Discount": l.discount,
                "VatPercent": l.vat_percent,
            })
        })
        .collect();
    let data = json!({
        "Receipt": {
            "Number": order.invoice_number,
            "OrderId": order.id,
            "Cashier": order.cashier_name,
            "Lines": lines,
            "Total": order.total,
            "Rounding": order.rounding,
            "Vat": vat.iter().map(|(rate, amount)| json!({"Rate": rate, "Amount": amount})).collect::<Vec<_>>(),
            "Payments": order.payments.iter().map(|p| json!({"Method": p.method.name(), "Amount": p.amount})).collect::<Vec<_>>(),
        },
        "Control": serde_json::to_value(&control).expect("control data serialises"),
    });
    (data, control)
}

/// The journal kind of an order's receipt.
pub fn kind_of(order: &Order, copy: bool, training: bool) -> JournalKind {
    match (copy, training, order.kind) {
        (true, _, _) => JournalKind::Copy,
        (_, true, _) => JournalKind::Training,
        (_, _, OrderKind::Sale) => JournalKind::Sale,
        (_, _, OrderKind::Refund) => JournalKind::Return,
    }
}

/// Sales, returns and their difference since the register's first day: they never reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GrandTotals {
    pub sales: Decimal,
    pub returns: Decimal,
}

impl GrandTotals {
    pub fn net(&self) -> Decimal {
        self.sales - self.returns
    }
}

/// A count and an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tally {
    pub count: u32,
    pub amount: Decimal,
}

impl Tally {
    fn add(&mut self, amount: Decimal) {
        self.count += 1;
        self.amount += amount;
    }
}

/// What an X report (so far) or a Z report (the day, closed) says, as
/// SKVFS 2014:9 lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DayReport {
    /// The open drawer shift's float (växelkassa) when the report was taken;
    /// zero with no shift open. The journal does not hold it (it is the
    /// drawer's), so the report's taker sets it.
    #[serde(default)]
    pub float: Decimal,
    /// Sales per article group (the category), VAT included.
    pub sales_by_group: Vec<(String, Decimal)>,
    /// (rate, gross, VAT) per VAT rate, over sales less returns.
    pub vat: Vec<(Decimal, Decimal, Decimal)>,
    /// Taken less paid back per payment method.
    pub by_method: Vec<(String, Decimal)>,
    /// Receipts issued (sales and returns).
    pub receipts: u32,
    pub sales: Tally,
    pub returns: Tally,
    pub copies: Tally,
    pub training: Tally,
    pub pro_forma: Tally,
    /// Money taken off list prices on the sales (discounts, price changes, promotions).
    pub discounts: Decimal,
    pub drawer_openings: u32,
    pub price_changes: u32,
    /// Sales begun and not finished: parked carts and cancelled sales.
    pub parked: u32,
    pub cancelled: u32,
    /// Before this report's day, and after it.
    pub grand_totals_before: GrandTotals,
    pub grand_totals: GrandTotals,
}

fn amount(value: &Value) -> Decimal {
    match value {
        Value::Number(n) => n.to_string().parse().unwrap_or_default(),
        Value::String(s) => s.parse().unwrap_or_default(),
        _ => Decimal::ZERO,
    }
}

fn add_to(list: &mut Vec<(String, Decimal)>, key: &str, value: Decimal) {
    match list.iter_mut().find(|(k, _)| k == key) {
        Some((_, sum)) => *sum += value,
        None => list.push((key.to_string(), value)),
    }
}

/// The report of `entries` (the register's entries since its last Z report),
/// continuing `before`.
pub fn day_report(entries: &[JournalEntry], before: GrandTotals, settings: &TerminalSettings) -> DayReport {
    let mut report = DayReport { grand_totals_before: before, ..DayReport::default() };
    let mut vat: Vec<(Decimal, Decimal)> = Vec::new();
    for entry in entries {
        let receipt = &entry.data["Receipt"];
        let total = amount(&receipt["Total"]);
        match entry.kind {
            JournalKind::Sale | JournalKind::Return => {
                report.receipts += 1;
                if entry.kind == JournalKind::Sale {
                    report.sales.add(total);
                } else {
                    report.returns.add(-total);
                }
                for line in receipt["Lines"].as_array().into_iter().flatten() {
                    let line_total = amount(&line["Total"]);
                    let group = line["Group"].as_str().unwrap_or("Other");
                    add_to(&mut report.sales_by_group, group, line_total);
                    let rate = amount(&line["VatPercent"]);
                    match vat.iter_mut().find(|(r, _)| *r == rate) {
                        Some((_, gross)) => *gross += line_total,
                        None => vat.push((rate, line_total)),
                    }
                    if entry.kind == JournalKind::Sale {
                        report.discounts += amount(&line["Discount"]);
                    }
                }
                for payment in receipt["Payments"].as_array().into_iter().flatten() {
                    let method = payment["Method"].as_str().unwrap_or(PaymentMethod::CashPayment.name());
                    add_to(&mut report.by_method, method, amount(&payment["Amount"]));
                }
            }
            JournalKind::Copy => report.copies.add(total),
            JournalKind::Training => report.training.add(total),
            JournalKind::ProForma => report.pro_forma.add(total),
            JournalKind::Parked => report.parked += 1,
            JournalKind::Cancelled => report.cancelled += 1,
            JournalKind::DrawerOpened => report.drawer_openings += 1,
            JournalKind::PriceChange => report.price_changes += 1,
            JournalKind::XReport | JournalKind::ZReport => {}
        }
    }
    vat.sort_by_key(|(rate, _)| *rate);
    report.vat = vat
        .into_iter()
        .map(|(rate, gross)| (rate, gross, possum_pricing::money::vat_of_gross(gross, rate, settings)))
        .collect();
    report.sales_by_group.sort();
    report.grand_totals = GrandTotals {
        sales: before.sales + report.sales.amount,
        returns: before.returns + report.returns.amount,
    };
    report
}

/// The data of a Z report's entry, as the back office checks it (number,
/// shop day, grand totals before and after).
pub fn z_report_data(number: i64, day: chrono::NaiveDate, report: &DayReport) -> Value {
    let mut data = serde_json::to_value(report).expect("a report serialises");
    data["Number"] = json!(number);
    data["Day"] = json!(day.to_string());
    data["GrandTotalsBefore"] =
        json!({"Sales": report.grand_totals_before.sales, "Returns": report.grand_totals_before.returns});
    data["GrandTotals"] = json!({"Sales": report.grand_totals.sales, "Returns": report.grand_totals.returns});
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use possum_contract::activity::{OrderLine, OrderPayment};
    use possum_contract::journal::GENESIS_HASH;
    use rust_decimal_macros::dec;
    use uuid::Uuid;

    fn order(
        kind: OrderKind,
        number: i64,
        lines: &[(&str, i32, Decimal, Decimal, Decimal)],
        method: PaymentMethod,
    ) -> Order {
        let lines: Vec<OrderLine> = lines
            .iter()
            .map(|(a, q, total, vat, discount)| OrderLine {
                article_number: (*a).into(),
                name: (*a).into(),
                quantity: *q,
                unit_price: (*total + *discount) / Decimal::from(*q),
                discount: *discount,
                vat_percent: *vat,
                line_total: *total,
                is_wash: false,
                combination_article_number: None,
                promotion: None,
            })
            .collect();
        let total: Decimal = lines.iter().map(|l| l.line_total).sum();
        Order {
            id: Uuid::new_v4(),
            kind,
            terminal_id: Uuid::nil(),
            client_number: 1,
            invoice_number: number,
            created_at: "2026-12-03T10:00:00Z".parse().unwrap(),
            cashier_id: Uuid::nil(),
            cashier_name: "Anna".into(),
            customer_id: None,
            price_group: 1,
            lines,
            rounding: Decimal::ZERO,
            total,
            vat_total: Decimal::ZERO,
            payments: vec![OrderPayment { method, amount: total, tendered: None, change: None }],
            refund_of: None,
            sold_offline: false,
            token: None,
            approval: None,
            register_id: Some("R1".into()),
        }
    }

    fn entry(seq: u64, kind: JournalKind, data: Value) -> JournalEntry {
        JournalEntry {
            id: Uuid::new_v4(),
            register_id: "R1".into(),
            seq,
            at: "2026-12-03T10:00:00Z".parse().unwrap(),
            kind,
            data,
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
            control_code: None,
        }
    }

    #[test]
    fn a_day_report_sums_what_the_rules_list_and_continues_the_grand_totals() {
        let s = TerminalSettings::default();
        let group = |a: &str| Some(if a.starts_with('W') { "Washes" } else { "Café" }.to_string());
        let sale = order(
            OrderKind::Sale,
            1,
            &[("W100", 1, dec!(149), dec!(25), dec!(0)), ("C100", 2, dec!(45), dec!(12), dec!(5))],
            PaymentMethod::CashPayment,
        );
        let refund = order(
            OrderKind::Refund,
            2,
            &[("C100", -1, dec!(-22.50), dec!(12), dec!(2.50))],
            PaymentMethod::CashPayment,
        );
        let training = order(
            OrderKind::Sale,
            3,
            &[("W100", 1, dec!(149), dec!(25), dec!(0))],
            PaymentMethod::CardPayment,
        );
        let entries = vec![
            entry(1, JournalKind::Sale, receipt_data(&sale, JournalKind::Sale, "R1", group, &s).0),
            entry(2, JournalKind::Copy, receipt_data(&sale, JournalKind::Copy, "R1", group, &s).0),
            entry(3, JournalKind::Return, receipt_data(&refund, JournalKind::Return, "R1", group, &s).0),
            entry(
                4,
                JournalKind::Training,
                receipt_data(&training, JournalKind::Training, "R1", group, &s).0,
            ),
            entry(5, JournalKind::DrawerOpened, json!({"Reason": "Cash sale"})),
            entry(6, JournalKind::Parked, json!({})),
            entry(7, JournalKind::Cancelled, json!({})),
        ];
        let before = GrandTotals { sales: dec!(1000), returns: dec!(100) };
        let r = day_report(&entries, before, &s);
        assert_eq!(
            (r.receipts, r.sales, r.returns),
            (2, Tally { count: 1, amount: dec!(194) }, Tally { count: 1, amount: dec!(22.50) })
        );
        assert_eq!(r.copies, Tally { count: 1, amount: dec!(194) });
        assert_eq!(r.training, Tally { count: 1, amount: dec!(149) });
        assert_eq!((r.drawer_openings, r.parked, r.cancelled), (1, 1, 1));
        assert_eq!(r.discounts, dec!(5));
        assert_eq!(
            r.sales_by_group,
            vec![("Café".to_string(), dec!(22.50)), ("Washes".to_string(), dec!(149))]
        );
        assert_eq!(r.vat, vec![(dec!(12), dec!(22.50), dec!(2.41)), (dec!(25), dec!(149), dec!(29.80))]);
        assert_eq!(r.by_method, vec![("CashPayment".to_string(), dec!(171.50))]);
        assert_eq!(r.grand_totals, GrandTotals { sales: dec!(1194), returns: dec!(122.50) });
        assert_eq!(r.grand_totals.net(), dec!(1071.50));
        let z = z_report_data(4, "2026-12-03".parse().unwrap(), &DayReport { float: dec!(500), ..r.clone() });
        assert_eq!((z["Number"].as_i64(), z["Day"].as_str()), (Some(4), Some("2026-12-03")));
        // The float is part of the report as journaled (SKVFS 2014:9 lists it).
        assert_eq!(z["Float"].to_string().trim_matches('"').parse::<Decimal>().unwrap(), dec!(500));
        assert_eq!(z["GrandTotalsBefore"]["Sales"].to_string(), "1000");
    }
}
