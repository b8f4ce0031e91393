//! The X report (mid-shift) on paper: the shift's counts and turnover, the
//! takings per payment method, VAT per rate, cash moved in and out, and what
//! the drawer should hold, from `possum_register::drawer::Report`.

use crate::document::{Document, Paper, Size, Style};
use crate::words::Words;
use chrono::NaiveDateTime;
use possum_contract::settings::TerminalSettings;
use possum_register::drawer::Report;
use possum_register::money;

/// Everything an X report prints.
#[derive(Debug, Clone)]
pub struct XReport<'a> {
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
    let fmt = |amount| money::format(amount, s);
    let time = |t: NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
    let mut doc = Document::new(paper);
    doc.text(w.x_report, Style::CENTER.bold().size(Size::Double));
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
        .rule()
        .text(w.expected_in_drawer, Style::PLAIN.bold());
    for counted in &x.report.drawer {
        doc.pair(w.method(counted.method), &fmt(counted.expected), Style::PLAIN);
    }
    doc.cut();
    doc
}
