//! Golden files: what a sale, a refund, a copy and an X report send to a
//! printer at 58 and 80 mm, pinned byte for byte in `tests/golden/`:
//! `NAME.bin` (ESC/POS, PC858), `NAME.xml` (ePOS-Print) and `NAME.txt` (a
//! preview to review). After a deliberate change, regenerate and review the diff:
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test -p possum-print --test golden
//! ```

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use possum_contract::activity::Order;
use possum_contract::journal::{JournalEntry, JournalKind, GENESIS_HASH};
use possum_contract::printers::CodePage;
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use possum_print::receipt::{self, Mark, Receipt, RegisterFacts};
use possum_print::report::{self, DayPaper, DayReportKind, XReport};
use possum_print::{epos, esc_pos, Document, Paper, Words};
use possum_register::drawer::{Recorder, Shift};
use possum_register::journal::{day_report, receipt_data, GrandTotals};
use pretty_assertions::assert_eq;
use rust_decimal_macros::dec;
use serde_json::{json, Value};
use std::path::PathBuf;

fn settings() -> TerminalSettings {
    TerminalSettings {
        company_name: "Tvätthallen i Östersund AB".into(),
        receipt_header: "Storgatan 1\n831\u{00A0}30 Östersund\nTel. 063-12 34 56".into(),
        receipt_footer: "Välkommen åter!\nÖppet alla dagar 07\u{2013}22".into(),
        cash_rounding: dec!(1),
        ..TerminalSettings::default()
    }
}

fn local(hour: u32, minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 14).unwrap().and_hms_opt(hour, minute, 0).unwrap()
}

fn line(name: &str, quantity: i32, price: &str, discount: &str, vat: &str, total: &str, wash: bool) -> Value {
    json!({
        "ArticleNumber": name.to_uppercase(), "Name": name, "Quantity": quantity, "UnitPrice": price,
        "Discount": discount, "VatPercent": vat, "LineTotal": total, "IsWash": wash,
        "CombinationArticleNumber": null
    })
}

/// An order as the terminal stores it: `fields` over a sale's defaults. Read
/// from JSON, so a field added to `Order` with a default leaves the fixtures be.
fn order(fields: Value) -> Order {
    let mut order = json!({
        "Id": "00000000-0000-0000-0000-000000000001", "Kind": "Sale",
        "TerminalId": "11111111-1111-1111-1111-111111111111", "ClientNumber": 1,
        "CashierId": "22222222-2222-2222-2222-222222222222", "CashierName": "Åsa Öberg",
        "CustomerId": null, "PriceGroup": 1, "Rounding": "0", "RefundOf": null,
        "SoldOffline": false, "Token": null
    });
    for (key, value) in fields.as_object().expect("fields").clone() {
        order[key] = value;
    }
    serde_json::from_value(order).expect("the fixture is an order")
}

fn payment(method: u8, amount: &str, tendered: Option<&str>, change: Option<&str>) -> Value {
    json!([{ "Method": method, "Amount": amount, "Tendered": tendered, "Change": change }])
}

/// A wash, a discounted line and a coffee at 12 % VAT, paid in cash (rounded to whole kronor).
fn sale() -> Order {
    order(json!({
        "InvoiceNumber": 1042, "CreatedAt": "2026-03-14T09:32:00Z",
        "Lines": [
            line("Tvätt Premium inkl. vax", 1, "299", "0", "25", "299.00", true),
            line("Däckglans", 2, "59", "10.00", "25", "108.00", false),
            line("Kaffe & kanelbulle", 1, "45.50", "0", "12", "45.50", false),
        ],
        "Rounding": "0.50", "Total": "453.00", "VatTotal": "86.28",
        "Payments": payment(0, "453.00", Some("500.00"), Some("47.00")),
        "Token": "7310000000010"
    }))
}

/// One tyre shine paid back in cash.
fn refund() -> Order {
    order(json!({
        "Id": "00000000-0000-0000-0000-000000000002", "Kind": "Refund",
        "InvoiceNumber": 1043, "CreatedAt": "2026-03-14T10:05:00Z",
        "Lines": [line("Däckglans", -1, "59", "0", "25", "-59.00", false)],
        "Total": "-59.00", "VatTotal": "-11.80", "Payments": payment(0, "-59.00", None, None)
    }))
}

fn card_sale() -> Order {
    order(json!({
        "Id": "00000000-0000-0000-0000-000000000003",
        "InvoiceNumber": 1044, "CreatedAt": "2026-03-14T10:20:00Z",
        "Lines": [line("Tvätt Bas", 1, "149", "0", "25", "149.00", true)],
        "Total": "149.00", "VatTotal": "29.80", "Payments": payment(1, "149.00", None, None),
        "Token": "7310000000027"
    }))
}

const FEEDBACK: &str = "https://feedback.possum.example/r/6f9619ff-8b86-d011-b42d-00cf4fc964ff";

fn documents(paper: Paper) -> Vec<(&'static str, Document)> {
    let s = settings();
    let (sale, refund) = (sale(), refund());
    let first = Receipt {
        feedback_url: Some(FEEDBACK.into()),
        drawer_attached: true,
        ..Receipt::new(&sale, &s, local(10, 32))
    };
    let copy = Receipt { mark: Mark::Copy, ..first.clone() };
    let paid_back = Receipt { drawer_attached: true, ..Receipt::new(&refund, &s, local(11, 5)) };

    let opened = Utc.with_ymd_and_hms(2026, 3, 14, 7, 0, 0).unwrap();
    let mut shift = Shift::open(dec!(500), "Magnus", opened).expect("a float");
    let orders = vec![self::sale(), self::refund(), card_sale()];
    let at = Utc.with_ymd_and_hms(2026, 3, 14, 10, 30, 0).unwrap();
    let cash_in = shift.move_cash(dec!(200), "Växel från banken", false, "Magnus", at, &orders).unwrap();
    let cash_out = shift.move_cash(dec!(300), "Till kassaskåpet", true, "Magnus", at, &orders).unwrap();
    // The drawer opened for the cash sale, the cash refund and both moves; not for the card sale.
    let by = Recorder { terminal_id: uuid::Uuid::nil(), user_id: uuid::Uuid::nil(), now: at };
    let openings: Vec<_> = orders
        .iter()
        .filter_map(|o| by.order_opening(o))
        .chain([by.cash_move_opening(&cash_in), by.cash_move_opening(&cash_out)])
        .collect();
    for opening in &openings {
        shift.drawer_opened(opening);
    }
    let x = shift.report(&orders, &s);
    assert_eq!(x.drawer_openings, 4);
    assert_eq!(x.by_method[1], (PaymentMethod::CardPayment, dec!(149.00)), "the report covers the card sale");
    let x_report = XReport {
        z: false,
        report: &x,
        settings: &s,
        opened_at: local(8, 0),
        opened_by: "Magnus".into(),
        printed_at: local(12, 0),
        words: &Words::ENGLISH,
    };
    // The same sale as a Swedish shop's register prints it, and a training receipt.
    let swedish_settings = TerminalSettings {
        organisation_number: "556677-8899".into(),
        sales_address: "Storgatan 1, 831 30 Östersund".into(),
        receipt_header: "Tel. 063-12 34 56".into(),
        ..s.clone()
    };
    let facts = RegisterFacts {
        register_id: "POSSUM-TVATTHALLEN-0001".into(),
        control_unit_id: "POSSUM-SM-3F2A9C1B77E0".into(),
        control_code: "MEUCIQDJ1n3Jq0n2k4dE3sPq0l4mQ5y1o3L6v8h2dE9nC4f5a".into(),
    };
    let swedish = Receipt {
        register: Some(facts.clone()),
        words: &Words::SWEDISH,
        feedback_url: Some(FEEDBACK.into()),
        drawer_attached: true,
        ..Receipt::new(&sale, &swedish_settings, local(10, 32))
    };
    let training = Receipt { mark: Mark::Training, ..swedish.clone() };
    // A Z report from the register's journal of the day.
    let group = |a: &str| Some(if a.starts_with("TVÄTT") { "Tvätt" } else { "Butik" }.to_string());
    let entry = |seq: u64, kind: JournalKind, order: &Order| JournalEntry {
        id: uuid::Uuid::from_u128(u128::from(seq)),
        register_id: facts.register_id.clone(),
        seq,
        at: order.created_at,
        kind,
        data: receipt_data(order, kind, &facts.register_id, group, &swedish_settings).0,
        prev_hash: GENESIS_HASH.into(),
        hash: String::new(),
        control_code: None,
    };
    let day = vec![
        entry(1, JournalKind::Sale, &self::sale()),
        entry(2, JournalKind::Copy, &self::sale()),
        entry(3, JournalKind::Return, &self::refund()),
        entry(4, JournalKind::Sale, &card_sale()),
        entry(5, JournalKind::Training, &card_sale()),
    ];
    let before = GrandTotals { sales: dec!(125000.00), returns: dec!(1200.00) };
    let z = day_report(&day, before, &swedish_settings);
    let z_paper = DayPaper {
        kind: DayReportKind::Z { number: 58 },
        report: &z,
        settings: &swedish_settings,
        register_id: &facts.register_id,
        day: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
        printed_at: local(21, 5),
        float: dec!(500),
        words: &Words::SWEDISH,
    };
    vec![
        ("sale", receipt::layout(&first, paper)),
        ("refund", receipt::layout(&paid_back, paper)),
        ("copy", receipt::layout(&copy, paper)),
        ("x-report", report::layout(&x_report, paper)),
        ("sale-sv", receipt::layout(&swedish, paper)),
        ("training-sv", receipt::layout(&training, paper)),
        ("z-report-sv", report::day_layout(&z_paper, paper)),
    ]
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name)
}

/// Compares `actual` with the golden file, or writes it under `UPDATE_GOLDEN=1`.
fn check(name: &str, actual: &[u8]) {
    let path = golden(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|_| {
        panic!("{} is missing: UPDATE_GOLDEN=1 cargo test -p possum-print --test golden", path.display())
    });
    if name.ends_with(".bin") {
        if let Some(at) = expected.iter().zip(actual).position(|(e, a)| e != a) {
            let around = |b: &[u8]| format!("{:02X?}", &b[at.saturating_sub(8)..(at + 8).min(b.len())]);
            panic!("{name} differs at byte {at}: expected {} got {}", around(&expected), around(actual));
        }
        assert_eq!(expected.len(), actual.len(), "{name} length");
    } else {
        assert_eq!(String::from_utf8_lossy(&expected), String::from_utf8_lossy(actual), "{name}");
    }
}

#[test]
fn every_document_matches_its_golden_files_at_58_and_80_mm() {
    for paper in Paper::ALL {
        for (case, doc) in documents(paper) {
            let name = format!("{case}-{}mm", paper.mm());
            check(&format!("{name}.txt"), doc.preview().as_bytes());
            check(&format!("{name}.xml"), epos::encode(&doc).as_bytes());
            check(&format!("{name}.bin"), &esc_pos::encode(&doc, &CodePage::Pc858).unwrap());
        }
    }
}

#[test]
fn the_sale_receipt_carries_what_the_issue_asks_for() {
    let docs = documents(Paper::Mm58);
    let sale = &docs[0].1;
    let bytes = esc_pos::encode(sale, &CodePage::Pc858).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"\x1Bt\x13"), "PC858 selected");
    assert!(has(b"Tv\x84tthallen i \x99stersund AB"), "Swedish letters in PC858");
    assert!(has(b"831 30 \x99stersund"), "the no-break space printed as a space");
    assert!(has(b"07-22"), "the en dash printed as a hyphen");
    assert!(has(b"\x1Dk\x027310000000010\0"), "the token as the printer's EAN-13");
    assert!(has(
        &[&b"\x1D(k"[..], &[(FEEDBACK.len() + 3) as u8, 0, 49, 80, 48], FEEDBACK.as_bytes()].concat()
    ));
    assert!(bytes.starts_with(b"\x1B@\x1Bt\x13\x1Bp\x00\x32\x64"), "the drawer opens first");
    assert!(bytes.ends_with(b"\x1DVA\x00"), "cut at the end");
    let text = sale.preview();
    assert!(text.contains("VAT 25% of SEK 407.00  SEK 81.40"), "{text}");
    assert!(text.contains("VAT 12% of SEK 45.50    SEK 4.88"), "{text}");
    for line in text.lines().filter(|l| !l.starts_with('[')) {
        let printed = line.rsplit_once("  [").map_or(line, |(printed, _)| printed);
        assert!(printed.chars().count() <= 32, "{line:?} is wider than 58 mm paper");
    }
    let copy = docs[2].1.preview();
    assert_eq!(copy.matches("C O P Y  [double]").count(), 2, "{copy}");
    assert!(!copy.contains("[drawer kick]"), "a copy never opens the drawer");
}

#[test]
fn a_swedish_receipt_carries_what_skvfs_2014_9_asks_for() {
    let docs = documents(Paper::Mm80);
    let swedish = docs[4].1.preview();
    for fact in [
        "Tvätthallen i Östersund AB",
        "Org.nr 556677-8899",
        "Storgatan 1, 831 30 Östersund",
        "Kvittonr",
        "2026-03-14 10:32",
        "Kassa",
        "POSSUM-TVATTHALLEN-0001",
        "Moms 25% av 407,00 kr",
        "81,40 kr",
        "ATT BETALA",
        "453,00 kr",
        "Kontant",
        "Kontrollenhet",
        "POSSUM-SM-3F2A9C1B77E0",
        "Kontrollkod",
    ] {
        assert!(swedish.contains(fact), "{fact:?} missing:\n{swedish}");
    }
    let training = docs[5].1.preview();
    assert_eq!(training.matches("Ö V N I N G  [double]").count(), 2, "{training}");
    assert!(!training.contains("[drawer kick]"), "training moves no money");
    let z = docs[6].1.preview();
    for fact in [
        "Z - D A G R A P P O R T",
        "Rapportnr",
        "Växelkassa",
        "Lådöppningar",
        "Kopior",
        "Övningskvitton",
        "Ej avslutade köp",
        "Grand total",
        "Netto",
    ] {
        assert!(z.contains(fact), "{fact:?} missing:\n{z}");
    }
}
