//! The receipt of a sale or a refund, and its copy: what the on-screen receipt
//! (`src/screens/receipt.rs`) shows, laid out for 58 or 80 mm paper.
//!
//! [`Receipt`] is filled by the caller; a new fact on the receipt (issue 20's
//! organisation number, register id, control code, a training mark) is a new
//! field here and a few lines in [`layout`], and its words go in [`Words`].

use crate::document::{Document, Paper, Size, Style};
use crate::words::Words;
use chrono::NaiveDateTime;
use possum_contract::activity::{Order, OrderKind};
use possum_contract::settings::TerminalSettings;
use possum_register::drawer::opening::OpeningCause;
use possum_register::money;
use rust_decimal::Decimal;

/// Everything a receipt prints.
#[derive(Debug, Clone)]
pub struct Receipt<'a> {
    pub order: &'a Order,
    pub settings: &'a TerminalSettings,
    /// When the order was made, on the shop's clock (this crate knows no time zones).
    pub local_time: NaiveDateTime,
    /// The EAN-13 wash token, printed as a barcode.
    pub token: Option<String>,
    /// The feedback portal link, printed as a QR code.
    pub feedback_url: Option<String>,
    /// Say that the wash token comes later (a wash sold offline).
    pub token_pending: bool,
    /// What kind of paper this is: the original, a copy (KOPIA), a training
    /// receipt (ÖVNING) or a pro forma (EJ KVITTO). Anything but the original
    /// is marked in letters twice the height of the amounts and opens no drawer.
    pub mark: Mark,
    /// The register that issued it and the control unit's code (SKVFS 2014:9).
    pub register: Option<RegisterFacts>,
    /// The cash drawer hangs on the printer this goes to.
    pub drawer_attached: bool,
    pub words: &'a Words,
}

/// What kind of paper a receipt is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mark {
    #[default]
    Original,
    Copy,
    Training,
    ProForma,
}

/// The register and control unit facts a Swedish receipt carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterFacts {
    pub register_id: String,
    pub control_unit_id: String,
    pub control_code: String,
}

impl<'a> Receipt<'a> {
    /// The receipt of `order` as first printed: its own token, the wash token
    /// pending when a wash was sold offline without one, English words.
    pub fn new(order: &'a Order, settings: &'a TerminalSettings, local_time: NaiveDateTime) -> Self {
        let has_wash = order.kind == OrderKind::Sale && order.lines.iter().any(|l| l.is_wash);
        Receipt {
            order,
            settings,
            local_time,
            token: order.token.clone(),
            feedback_url: None,
            token_pending: has_wash && order.token.is_none() && order.sold_offline,
            mark: Mark::Original,
            register: None,
            drawer_attached: false,
            words: &Words::ENGLISH,
        }
    }

    /// Whether printing this receipt opens the drawer: money went in or out of
    /// it (a cash sale or a cash refund: `possum_register::drawer::opening`,
    /// the one rule), it is not a copy, and the drawer hangs on this printer.
    pub fn opens_drawer(&self) -> bool {
        self.drawer_attached && self.mark == Mark::Original && OpeningCause::of_order(self.order).is_some()
    }

    fn money(&self, amount: Decimal) -> String {
        money::format_in(amount, self.settings, self.words.lang)
    }
}

/// One line at the top of a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderLine {
    pub text: String,
    /// The shop's name, printed large.
    pub heading: bool,
}

/// Letters and digits only, lower case: how header lines are compared
/// ("Org.nr 556000-0000" repeats "Org. nr: 5560000000").
fn bare(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The top of a receipt, on paper and on the screen: the shop's name
/// (large), the sales address, the organisation number, then the settings'
/// receipt header, each of its lines on a line of its own.
///
/// Nothing is printed twice (issue 19): a header whose first line starts
/// with the shop's name takes the name's place (so "Demo Car Wash AB" is the
/// heading, not "Demo Car Wash" and then "Demo Car Wash AB"), and a header
/// line that repeats the address (or a part of it) or the organisation
/// number is left out. Empty lines and the spaces around lines go.
pub fn header_lines(settings: &TerminalSettings, words: &Words) -> Vec<HeaderLine> {
    let mut header: Vec<&str> =
        settings.receipt_header.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let company = settings.company_name.trim();
    let (address, org_nr) = (settings.sales_address.trim(), settings.organisation_number.trim());
    let mut out = Vec::new();
    let name = match header.first() {
        Some(first) if !company.is_empty() && bare(first).starts_with(&bare(company)) => {
            Some(header.remove(0))
        }
        _ => Some(company).filter(|c| !c.is_empty()),
    };
    if let Some(name) = name {
        out.push(HeaderLine { text: name.to_string(), heading: true });
    }
    if !address.is_empty() {
        out.push(HeaderLine { text: address.to_string(), heading: false });
    }
    if !org_nr.is_empty() {
        out.push(HeaderLine { text: format!("{} {}", words.org_nr, org_nr), heading: false });
    }
    let (address, org_nr, name) = (bare(address), bare(org_nr), name.map(bare).unwrap_or_default());
    let repeats = |line: &str| {
        let line = bare(line);
        line.is_empty()
            || line == name
            || (line.chars().count() >= 4 && address.contains(&line))
            || (!org_nr.is_empty() && line.contains(&org_nr))
    };
    out.extend(
        header.into_iter().filter(|l| !repeats(l)).map(|l| HeaderLine { text: l.into(), heading: false }),
    );
    out
}

/// The VAT of each rate: (rate, gross of its lines, the VAT in it), in the order the rates first appear.
pub fn vat_by_rate(order: &Order, settings: &TerminalSettings) -> Vec<(Decimal, Decimal, Decimal)> {
    let mut rates: Vec<(Decimal, Decimal)> = Vec::new();
    for line in &order.lines {
        match rates.iter_mut().find(|(rate, _)| *rate == line.vat_percent) {
            Some((_, gross)) => *gross += line.line_total,
            None => rates.push((line.vat_percent, line.line_total)),
        }
    }
    rates.into_iter().map(|(rate, gross)| (rate, gross, money::vat_of_gross(gross, rate, settings))).collect()
}

pub fn layout(receipt: &Receipt<'_>, paper: Paper) -> Document {
    let (r, w, o) = (receipt, receipt.words, receipt.order);
    let mut doc = Document::new(paper);
    if r.opens_drawer() {
        doc.drawer_kick();
    }
    let heading = Style::CENTER.bold().size(Size::DoubleHeight);
    for line in header_lines(r.settings, w) {
        doc.text(&line.text, if line.heading { heading } else { Style::CENTER });
    }
    doc.blank();
    doc.text(if o.kind == OrderKind::Refund { w.refund } else { w.receipt }, Style::CENTER.bold());
    copy_mark(r, &mut doc);
    doc.pair(w.invoice, &o.invoice_number.to_string(), Style::PLAIN)
        .pair(w.date, &r.local_time.format("%Y-%m-%d %H:%M").to_string(), Style::PLAIN)
        .pair(w.cashier, &o.cashier_name, Style::PLAIN);
    if let Some(facts) = &r.register {
        doc.pair(w.register, &facts.register_id, Style::PLAIN);
    }
    if o.sold_offline {
        doc.text(w.sold_offline, Style::PLAIN);
    }
    doc.rule();
    for line in &o.lines {
        doc.pair(&format!("{} x {}", line.quantity, line.name), &r.money(line.line_total), Style::PLAIN);
        if !line.discount.is_zero() {
            let why = line.promotion.as_ref().map_or(w.discount, |p| p.name.as_str());
            doc.pair(&format!("  {why}"), &r.money(-line.discount), Style::PLAIN);
        }
    }
    doc.rule();
    if !o.rounding.is_zero() {
        doc.pair(w.rounding, &r.money(o.rounding), Style::PLAIN);
    }
    doc.pair(w.total, &r.money(o.total), Style::PLAIN.bold());
    for (rate, gross, vat) in vat_by_rate(o, r.settings) {
        doc.pair(
            &format!("{} {}% {} {}", w.vat, rate.normalize(), w.of, r.money(gross)),
            &r.money(vat),
            Style::PLAIN,
        );
    }
    for p in &o.payments {
        doc.pair(w.method(p.method), &r.money(p.amount), Style::PLAIN);
        if let Some(tendered) = p.tendered {
            doc.pair(&format!("  {}", w.received), &r.money(tendered), Style::PLAIN);
        }
        if let Some(change) = p.change {
            doc.pair(&format!("  {}", w.change), &r.money(change), Style::PLAIN);
        }
    }
    codes(r, &mut doc);
    if let Some(facts) = &r.register {
        doc.blank()
            .pair(w.control_unit, &facts.control_unit_id, Style::PLAIN)
            .text(&format!("{} {}", w.control_code, facts.control_code), Style::PLAIN);
    }
    if !r.settings.receipt_footer.trim().is_empty() {
        doc.blank().text(&r.settings.receipt_footer, Style::CENTER);
    }
    copy_mark(r, &mut doc);
    doc.cut();
    doc
}

/// A copy's, a training receipt's or a pro forma's mark, in letters twice the
/// height (and width) of the amounts.
fn copy_mark(r: &Receipt<'_>, doc: &mut Document) {
    let mark = match r.mark {
        Mark::Original => return,
        Mark::Copy => r.words.copy,
        Mark::Training => r.words.training,
        Mark::ProForma => r.words.pro_forma,
    };
    doc.text(mark, Style::CENTER.bold().size(Size::Double));
}

/// The wash token and the feedback link, each as the printer's own code and in
/// words; a token or link a code cannot hold is printed in words alone.
fn codes(r: &Receipt<'_>, doc: &mut Document) {
    if let Some(token) = &r.token {
        doc.blank().text(r.words.wash_token, Style::CENTER.bold());
        if doc.ean13(token).is_err() {
            doc.text(token, Style::CENTER);
        }
    } else if r.token_pending {
        doc.blank().text(r.words.token_pending, Style::CENTER);
    }
    if let Some(url) = &r.feedback_url {
        doc.blank().text(r.words.feedback, Style::CENTER);
        if doc.qr(url).is_err() {
            doc.text(url, Style::CENTER);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Block;

    fn order(kind: OrderKind, method: &str) -> Order {
        let lines = if kind == OrderKind::Sale {
            r#"[{"ArticleNumber":"W1","Name":"Tvätt","Quantity":1,"UnitPrice":"149","Discount":"0","VatPercent":"25","LineTotal":"149","IsWash":true,"CombinationArticleNumber":null}]"#
        } else {
            r#"[{"ArticleNumber":"W1","Name":"Tvätt","Quantity":-1,"UnitPrice":"149","Discount":"0","VatPercent":"25","LineTotal":"-149","IsWash":true,"CombinationArticleNumber":null}]"#
        };
        let sign = if kind == OrderKind::Sale { "" } else { "-" };
        serde_json::from_str(&format!(
            r#"{{"Id":"00000000-0000-0000-0000-000000000001","Kind":"{kind:?}","TerminalId":"00000000-0000-0000-0000-000000000002",
            "ClientNumber":1,"InvoiceNumber":7,"CreatedAt":"2026-03-14T09:32:00Z","CashierId":"00000000-0000-0000-0000-000000000003",
            "CashierName":"Anna","CustomerId":null,"PriceGroup":1,"Lines":{lines},"Rounding":"0","Total":"{sign}149",
            "VatTotal":"{sign}29.80","Payments":[{{"Method":{method},"Amount":"{sign}149","Tendered":null,"Change":null}}],
            "RefundOf":null,"SoldOffline":true,"Token":null}}"#
        ))
        .unwrap()
    }

    fn kicks(doc: &Document) -> bool {
        doc.blocks().contains(&Block::DrawerKick)
    }

    #[test]
    fn the_drawer_opens_on_cash_with_a_drawer_and_never_on_a_copy_or_a_card() {
        let settings = TerminalSettings::default();
        let at = NaiveDateTime::default();
        let (cash_sale, card_sale) = (order(OrderKind::Sale, "0"), order(OrderKind::Sale, "1"));
        let cash_refund = order(OrderKind::Refund, "0");
        let with_drawer = |o| Receipt { drawer_attached: true, ..Receipt::new(o, &settings, at) };
        assert!(kicks(&layout(&with_drawer(&cash_sale), Paper::Mm80)));
        assert!(kicks(&layout(&with_drawer(&cash_refund), Paper::Mm80)));
        assert!(!kicks(&layout(&with_drawer(&card_sale), Paper::Mm80)));
        assert!(!kicks(&layout(&Receipt { mark: Mark::Copy, ..with_drawer(&cash_sale) }, Paper::Mm80)));
        assert!(!kicks(&layout(&Receipt { mark: Mark::Training, ..with_drawer(&cash_sale) }, Paper::Mm80)));
        assert!(!kicks(&layout(&Receipt::new(&cash_sale, &settings, at), Paper::Mm80)));
        // The pulse goes first, so the drawer is open while the receipt prints.
        assert_eq!(layout(&with_drawer(&cash_sale), Paper::Mm58).blocks()[0], Block::DrawerKick);
    }

    fn texts(settings: &TerminalSettings) -> Vec<String> {
        header_lines(settings, &Words::SWEDISH).into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn the_header_keeps_its_lines_and_prints_the_shop_name_once() {
        let demo = TerminalSettings {
            company_name: "Demo Car Wash".into(),
            sales_address: "Storgatan 1, 211 22 Malmö".into(),
            organisation_number: "556000-0000".into(),
            receipt_header:
                "Demo Car Wash\nStorgatan 1\n211 22 Malmö\nOrg.nr: 556000-0000\nOpen every day 7–21\n".into(),
            ..TerminalSettings::default()
        };
        assert_eq!(
            texts(&demo),
            ["Demo Car Wash", "Storgatan 1, 211 22 Malmö", "Org.nr 556000-0000", "Open every day 7–21"]
        );
        let lines = header_lines(&demo, &Words::SWEDISH);
        assert!(lines[0].heading && lines[1..].iter().all(|l| !l.heading));
        // On paper too: one line each, the name once.
        let sale = order(OrderKind::Sale, "0");
        let paper = layout(&Receipt::new(&sale, &demo, NaiveDateTime::default()), Paper::Mm80).preview();
        assert_eq!(paper.matches("Demo Car Wash").count(), 1, "{paper}");
        // (The en dash prints as a hyphen: `text::printable`.)
        assert!(paper.lines().any(|l| l.trim() == "Open every day 7-21"), "{paper}");

        // A fuller name at the top of the header takes the name's place.
        let fuller = TerminalSettings {
            receipt_header: "  Demo Car Wash AB \r\n\nTel. 040-12 34 56".into(),
            sales_address: String::new(),
            ..demo.clone()
        };
        assert_eq!(texts(&fuller), ["Demo Car Wash AB", "Org.nr 556000-0000", "Tel. 040-12 34 56"]);
        // A header that does not start with the name leaves it as it is.
        let plain = TerminalSettings { receipt_header: "Open 7–21\nWelcome".into(), ..demo };
        assert_eq!(
            texts(&plain),
            ["Demo Car Wash", "Storgatan 1, 211 22 Malmö", "Org.nr 556000-0000", "Open 7–21", "Welcome"]
        );
        assert!(texts(&TerminalSettings::default()).is_empty());
    }

    #[test]
    fn a_wash_sold_offline_says_its_token_comes_later_and_a_bad_token_is_printed_in_words() {
        let settings = TerminalSettings::default();
        let sale = order(OrderKind::Sale, "0");
        let receipt = Receipt::new(&sale, &settings, NaiveDateTime::default());
        assert!(receipt.token_pending);
        assert!(layout(&receipt, Paper::Mm80).preview().contains("The wash token will be issued"));
        let bad = Receipt { token: Some("7310000000017".into()), ..receipt.clone() };
        let doc = layout(&bad, Paper::Mm80);
        assert!(!doc.blocks().iter().any(|b| matches!(b, Block::Ean13(_))));
        assert!(doc.preview().contains("7310000000017"));
        let long_link =
            Receipt { feedback_url: Some(format!("https://x.example/{}", "a".repeat(400))), ..receipt };
        let doc = layout(&long_link, Paper::Mm58);
        assert!(!doc.blocks().iter().any(|b| matches!(b, Block::Qr(_))), "too long for a QR code");
        assert!(doc.preview().contains("https://x.example/aaaa"));
    }
}
