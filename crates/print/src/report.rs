//! Reports on paper: the shift's X report (counts and turnover, the takings
//! per payment method, VAT per rate, cash moved in and out, and what the
//! drawer should hold, from `possum_register::drawer::Report`), and the
//! Swedish X and Z day reports of a register (`DayPaper`, from its journal).

use crate::document::{Document, Paper, Size, Style};
use crate::words::Words;
use chrono::{NaiveDate, NaiveDateTime};
use possum_contract::settings::TerminalSettings;
use possum_register::drawer::Report;
use possum_register::journal::{DayReport, Tally};
use possum_register::money;
use rust_decimal::Decimal;

/// Everything a shift's report prints: the X report, or the Z report once
/// the drawer is closed (the same figures under its own title).
#[derive(Debug, Clone)]
pub struct XReport<'a> {
    /// The shift's Z report (the Cash drawer screen's, after the count).
    pub z: bool,
    pub report: &'a Report,
    pub settings: &'a TerminalSettings,
    /// When the shift's drawer was opened, on the shop's clock.
    pub opened_at: NaiveDateTime,
    pub opened_by: String,
    /// When the report is printed, on the shop's clock.
    pub printed_at: NaiveDateTime,
    pub words: &'a Words,
}

pub fn layout(x: &XReport<'_>, paper: Paper) -> Document {
    let (w, s) = (x.words, x.settings);
    let fmt = |amount| money::format_in(amount, s, w.lang);
    let time = |t: NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
    let mut doc = Document::new(paper);
    let title = if x.z { w.z_report } else { w.x_report };
    doc.text(title, Style::CENTER.bold().size(Size::Double));
    if !s.company_name.trim().is_empty() {
        doc.text(&s.company_name, Style::CENTER);
    }
    doc.blank()
        .pair(w.shift_opened, &time(x.opened_at), Style::PLAIN)
        .pair(w.opened_by, &x.opened_by, Style::PLAIN)
        .pair(w.printed, &time(x.printed_at), Style::PLAIN)
        .rule()
        .pair(w.sales, &x.report.sales.to_string(), Style::PLAIN)
        .pair(w.refunds, &x.report.refunds.to_string(), Style::PLAIN)
        .pair(w.turnover, &fmt(x.report.turnover), Style::PLAIN.bold())
        .rule()
        .text(w.payments, Style::PLAIN.bold());
    for (method, amount) in &x.report.by_method {
        doc.pair(w.method(*method), &fmt(*amount), Style::PLAIN);
    }
    doc.rule().text(w.vat, Style::PLAIN.bold());
    for (rate, gross, vat) in &x.report.vat {
        doc.pair(&format!("{}% {} {}", rate.normalize(), w.of, fmt(*gross)), &fmt(*vat), Style::PLAIN);
    }
    doc.rule()
        .pair(w.cash_in, &fmt(x.report.cash_in), Style::PLAIN)
        .pair(w.cash_out, &fmt(x.report.cash_out), Style::PLAIN)
        .pair(w.drawer_openings, &x.report.drawer_openings.to_string(), Style::PLAIN)
        .rule()
        .text(w.expected_in_drawer, Style::PLAIN.bold());
    for line in &x.report.drawer {
        doc.pair(w.method(line.method), &fmt(line.expected), Style::PLAIN);
    }
    // What was counted only once it was: before a count the report says
    // what the drawer should hold and nothing more (issue 19).
    if let Some(difference) = x.report.difference() {
        doc.rule().text(w.counted_in_drawer, Style::PLAIN.bold());
        for line in &x.report.drawer {
            doc.pair(w.method(line.method), &fmt(line.counted.unwrap_or_default()), Style::PLAIN);
        }
        doc.pair(w.difference, &fmt(difference), Style::PLAIN.bold());
    }
    doc.cut();
    doc
}

/// Which day report: the X report (so far, any number of times) or the Z
/// report (the day closed, numbered in turn, once a day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayReportKind {
    X,
    Z { number: i64 },
}

/// Everything an X or Z day report prints (SKVFS 2014:9's list, from the
/// register's journal: `possum_register::journal::day_report`).
#[derive(Debug, Clone)]
pub struct DayPaper<'a> {
    pub kind: DayReportKind,
    pub report: &'a DayReport,
    pub settings: &'a TerminalSettings,
    pub register_id: &'a str,
    /// The shop's day the report covers, and when it was printed (the shop's clock).
    pub day: NaiveDate,
    pub printed_at: NaiveDateTime,
    /// The drawer's float (växelkassa).
    pub float: Decimal,
    pub words: &'a Words,
}

pub fn day_layout(p: &DayPaper<'_>, paper: Paper) -> Document {
    let (w, s, r) = (p.words, p.settings, p.report);
    let fmt = |amount| money::format_in(amount, s, w.lang);
    let tally = |t: &Tally| format!("{}  {}", t.count, fmt(t.amount));
    let mut doc = Document::new(paper);
    let title = match p.kind {
        DayReportKind::X => w.x_report,
        DayReportKind::Z { .. } => w.z_report,
    };
    doc.text(title, Style::CENTER.bold().size(Size::Double));
    if !s.company_name.trim().is_empty() {
        doc.text(&s.company_name, Style::CENTER);
    }
    if !s.organisation_number.trim().is_empty() {
        doc.text(&format!("{} {}", w.org_nr, s.organisation_number), Style::CENTER);
    }
    doc.blank();
    if let DayReportKind::Z { number } = p.kind {
        doc.pair(w.report_number, &number.to_string(), Style::PLAIN);
    }
    doc.pair(w.register, p.register_id, Style::PLAIN)
        .pair(w.day, &p.day.to_string(), Style::PLAIN)
        .pair(w.printed, &p.printed_at.format("%Y-%m-%d %H:%M").to_string(), Style::PLAIN)
        .rule()
        .text(w.article_groups, Style::PLAIN.bold());
    for (group, amount) in &r.sales_by_group {
        doc.pair(group, &fmt(*amount), Style::PLAIN);
    }
    doc.rule().text(w.vat, Style::PLAIN.bold());
    for (rate, gross, vat) in &r.vat {
        doc.pair(&format!("{}% {} {}", rate.normalize(), w.of, fmt(*gross)), &fmt(*vat), Style::PLAIN);
    }
    doc.rule().text(w.payments, Style::PLAIN.bold());
    for (method, amount) in &r.by_method {
        let name = w.method(possum_contract::sale::PaymentMethod::from_name(method));
        doc.pair(name, &fmt(*amount), Style::PLAIN);
    }
    doc.rule()
        .pair(w.float, &fmt(p.float), Style::PLAIN)
        .pair(w.receipts, &r.receipts.to_string(), Style::PLAIN)
        .pair(w.sales, &tally(&r.sales), Style::PLAIN)
        .pair(w.returns, &tally(&r.returns), Style::PLAIN)
        .pair(w.discounts, &fmt(r.discounts), Style::PLAIN)
        .pair(w.copies, &tally(&r.copies), Style::PLAIN)
        .pair(w.training_receipts, &tally(&r.training), Style::PLAIN)
        .pair(w.pro_forma_receipts, &tally(&r.pro_forma), Style::PLAIN)
        .pair(w.drawer_openings, &r.drawer_openings.to_string(), Style::PLAIN)
        .pair(w.price_changes, &r.price_changes.to_string(), Style::PLAIN)
        .text(w.unfinished, Style::PLAIN.bold())
        .pair(&format!("  {}", w.parked), &r.parked.to_string(), Style::PLAIN)
        .pair(&format!("  {}", w.cancelled), &r.cancelled.to_string(), Style::PLAIN)
        .rule()
        .text(w.grand_totals, Style::PLAIN.bold())
        .pair(w.sales, &fmt(r.grand_totals.sales), Style::PLAIN)
        .pair(w.returns, &fmt(r.grand_totals.returns), Style::PLAIN)
        .pair(w.net, &fmt(r.grand_totals.net()), Style::PLAIN.bold());
    doc.cut();
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Paper;
    use chrono::Utc;
    use possum_contract::sale::PaymentMethod;
    use possum_register::drawer::Shift;

    fn paper(report: &Report, settings: &TerminalSettings) -> String {
        let at = NaiveDateTime::default();
        let x = XReport {
            z: report.counted(),
            report,
            settings,
            opened_at: at,
            opened_by: "Anna".into(),
            printed_at: at,
            words: &Words::ENGLISH,
        };
        layout(&x, Paper::Mm80).preview()
    }

    #[test]
    fn an_x_report_before_the_count_says_only_what_the_drawer_should_hold() {
        let s = TerminalSettings::default();
        let mut shift = Shift::open(Decimal::from(500), "Anna", Utc::now()).unwrap();
        let before = paper(&shift.report(&[], &s), &s);
        assert!(before.contains("Expected in the drawer"), "{before}");
        assert!(!before.contains("Counted") && !before.contains("Difference"), "{before}");
        assert!(before.contains("X   R E P O R T") && !before.contains("Z   R E P O R T"), "{before}");

        shift.close(&[(PaymentMethod::CashPayment, Decimal::from(490))], "Magnus", Utc::now(), &[]).unwrap();
        let after = paper(&shift.report(&[], &s), &s);
        assert!(after.contains("Counted in the drawer"), "{after}");
        assert!(after.contains("Z   R E P O R T") && !after.contains("X   R E P O R T"), "{after}");
        let difference = after.lines().find(|l| l.contains("Difference")).expect("a difference line");
        assert!(difference.contains("10.00"), "{difference}");
    }
}
