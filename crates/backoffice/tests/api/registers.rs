//! Registers and the journal (SKVFS 2014:9): each tablet its own register
//! and receipt series, a journal chained by hashes and signed by the
//! register's control unit, Z reports in turn, and the XML export verified.

use crate::common::*;
use crate::money::{accepted, refused};
use crate::till::Till;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::EncodePublicKey;
use possum_backoffice::{admin, demo};
use possum_contract::activity::PushResponse;
use possum_contract::endpoints::PushKind;
use possum_contract::journal::{canonical_json, continues, JournalEntry, JournalKind, GENESIS_HASH};
use possum_contract::register::{ControlData, Register, REGISTER};
use possum_contract::sale::PaymentMethod;
use serde_json::{json, Value};
use sha2::Digest;

fn sha(text: &str) -> String {
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

/// A tablet: its device id and its signing module's key, the journal it writes.
struct Tablet {
    device: uuid::Uuid,
    key: SigningKey,
    register: Option<Register>,
    entries: Vec<JournalEntry>,
}

impl Tablet {
    fn new() -> Self {
        Self {
            device: uuid::Uuid::new_v4(),
            key: SigningKey::random(&mut rand::rngs::OsRng),
            register: None,
            entries: vec![],
        }
    }

    fn public_key(&self) -> String {
        let der = self.key.verifying_key().to_public_key_der().unwrap();
        base64::engine::general_purpose::STANDARD.encode(der.as_bytes())
    }

    async fn enrol(&mut self, server: &Server, t: &Terminal) -> Register {
        let body = json!({"DeviceId": self.device, "PublicKey": self.public_key()});
        let response = server.post_json(t, REGISTER, &body).send().await.unwrap();
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        let register: Register = response.json().await.unwrap();
        self.register = Some(register.clone());
        register
    }

    fn id(&self) -> String {
        self.register.as_ref().unwrap().register_id.clone()
    }

    /// The next entry of the chain; a receipt kind carries its control data and code.
    fn write(&mut self, kind: JournalKind, mut data: Value, receipt: Option<(i64, &str)>) -> JournalEntry {
        let (seq, prev) =
            self.entries.last().map_or((1, GENESIS_HASH.to_string()), |e| (e.seq + 1, e.hash.clone()));
        let at = chrono::Utc::now();
        let code = receipt.map(|(number, total)| {
            let control = ControlData {
                organisation_number: "556000-0000".into(),
                register_id: self.id(),
                receipt_number: number,
                at: chrono::DateTime::from_timestamp(at.timestamp(), 0).unwrap(),
                kind: format!("{kind:?}"),
                total: total.parse().unwrap(),
                vat: vec![("25".parse().unwrap(), "29.80".parse().unwrap())],
            };
            let signature: Signature = self.key.sign(control.canonical().as_bytes());
            data["Control"] = serde_json::to_value(&control).unwrap();
            base64::engine::general_purpose::STANDARD.encode(signature.to_bytes())
        });
        let mut entry = JournalEntry {
            id: uuid::Uuid::new_v4(),
            register_id: self.id(),
            seq,
            at,
            kind,
            data,
            prev_hash: prev,
            hash: String::new(),
            control_code: code,
        };
        entry.hash = sha(&entry.canonical());
        self.entries.push(entry.clone());
        entry
    }
}

async fn push_journal(server: &Server, t: &Terminal, entries: &[JournalEntry]) -> PushResponse {
    let body = serde_json::to_value(entries).unwrap();
    let response = server.post_json(t, PushKind::Journal.path(), &body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn each_tablet_is_its_own_register_with_its_own_receipt_series() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let (mut a, mut b) = (Tablet::new(), Tablet::new());
    let first = a.enrol(&server, &t).await;
    assert_eq!(first.register_id, "POSSUM-DEMO-0001");
    assert!(first.control_unit_id.starts_with("POSSUM-SM-"));
    assert_eq!(a.enrol(&server, &t).await, first, "enrolling again answers the same register");
    assert_eq!(b.enrol(&server, &t).await.register_id, "POSSUM-DEMO-0002");
    // Two tablets on one login: both sell invoice 1 in their own series.
    let till = Till::open(&server, &t).await;
    let mut on_a = till.sale(&till.cart(&[("C100", 1)]), PaymentMethod::CardPayment);
    on_a.register_id = Some(a.id());
    on_a.invoice_number = 1;
    let mut on_b = till.sale(&till.cart(&[("C100", 1)]), PaymentMethod::CardPayment);
    on_b.register_id = Some(b.id());
    on_b.invoice_number = 1;
    accepted(&server, &t, &on_a).await;
    accepted(&server, &t, &on_b).await;
    let mut again = till.sale(&till.cart(&[("C100", 1)]), PaymentMethod::CardPayment);
    again.register_id = Some(a.id());
    again.invoice_number = 1;
    assert!(refused(&server, &t, &again).await.contains("already used"));
    // The owner's list of registers, to register each with Skatteverket.
    let listed = admin::report(&server.state.store, demo::DEMO_TENANT, "registers").unwrap();
    let ids: Vec<_> =
        listed.iter().map(|r| (r["RegisterId"].as_str(), r["LastReceiptReceived"].as_i64())).collect();
    assert_eq!(ids, [(Some("POSSUM-DEMO-0001"), Some(1)), (Some("POSSUM-DEMO-0002"), Some(1))]);
    assert_eq!(listed[0]["ControlUnitId"], json!(first.control_unit_id));
    // Another login's register is not this one's.
    let kiosk = server.sign_in(demo::KIOSK_USERNAME, demo::DEMO_PASSWORD).await;
    let mut foreign = till.sale(&till.cart(&[("C100", 1)]), PaymentMethod::CardPayment);
    foreign.register_id = Some(a.id());
    foreign.client_number = 2;
    foreign.terminal_id = kiosk.claims.terminal;
    foreign.payments[0].method = PaymentMethod::CardPayment;
    assert!(refused(&server, &kiosk, &foreign).await.contains("not a register of this terminal login"));
    // A key that is not one is refused.
    let bad = json!({"DeviceId": uuid::Uuid::new_v4(), "PublicKey": "bm90IGEga2V5"});
    assert_eq!(server.post_json(&t, REGISTER, &bad).send().await.unwrap().status(), 400);
}

#[tokio::test]
async fn a_journal_that_does_not_chain_or_is_not_signed_is_refused_naming_the_entry() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let mut tablet = Tablet::new();
    tablet.enrol(&server, &t).await;
    let sale = tablet.write(JournalKind::Sale, json!({"Receipt": {"Number": 1}}), Some((1, "149.00")));
    let copy = tablet.write(JournalKind::Copy, json!({"Receipt": {"Number": 1}}), Some((1, "149.00")));
    let drawer = tablet.write(JournalKind::DrawerOpened, json!({"Reason": "Change"}), None);
    let answer = push_journal(&server, &t, &[sale.clone(), copy.clone(), drawer.clone()]).await;
    assert_eq!(answer.acknowledged.len(), 3, "{:?}", answer.rejected);
    // A gap: entry 5 where 4 is due.
    let _skipped = tablet.write(JournalKind::XReport, json!({}), None);
    let after_gap = tablet.write(JournalKind::XReport, json!({}), None);
    let answer = push_journal(&server, &t, &[after_gap]).await;
    let why = &answer.rejected[0].message;
    assert!(
        why.contains(&tablet.id()) && why.contains("entry 5") && why.contains("where entry 4 was due"),
        "{why}"
    );
    // A changed entry, and a receipt whose code is not the register's.
    tablet.entries.truncate(3);
    let mut changed = tablet.write(JournalKind::Sale, json!({"Receipt": {"Number": 2}}), Some((2, "149.00")));
    changed.data["Receipt"]["Number"] = json!(3);
    assert!(push_journal(&server, &t, &[changed]).await.rejected[0]
        .message
        .contains("does not match its hash"));
    tablet.entries.truncate(3);
    let other = Tablet::new();
    let mut forged = tablet.write(JournalKind::Sale, json!({"Receipt": {"Number": 2}}), Some((2, "149.00")));
    let control: ControlData = serde_json::from_value(forged.data["Control"].clone()).unwrap();
    let signature: Signature = other.key.sign(control.canonical().as_bytes());
    forged.control_code = Some(base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()));
    forged.hash = sha(&forged.canonical());
    assert!(push_journal(&server, &t, &[forged]).await.rejected[0].message.contains("not the register's"));
}

fn z(number: i64, day: &str, before: (&str, &str), after: (&str, &str)) -> Value {
    json!({"Number": number, "Day": day,
        "GrandTotalsBefore": {"Sales": before.0, "Returns": before.1},
        "GrandTotals": {"Sales": after.0, "Returns": after.1}})
}

#[tokio::test]
async fn a_z_report_is_taken_once_a_day_and_its_grand_totals_continue() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let mut tablet = Tablet::new();
    tablet.enrol(&server, &t).await;
    let first =
        tablet.write(JournalKind::ZReport, z(1, "2026-12-02", ("0", "0"), ("1000.00", "50.00")), None);
    assert_eq!(push_journal(&server, &t, &[first]).await.acknowledged.len(), 1);
    let twice = tablet.write(
        JournalKind::ZReport,
        z(2, "2026-12-02", ("1000.00", "50.00"), ("1200.00", "50.00")),
        None,
    );
    assert!(push_journal(&server, &t, &[twice]).await.rejected[0]
        .message
        .contains("already taken on 2026-12-02"));
    tablet.entries.pop();
    let skipped = tablet.write(
        JournalKind::ZReport,
        z(3, "2026-12-03", ("1000.00", "50.00"), ("1200.00", "50.00")),
        None,
    );
    assert!(push_journal(&server, &t, &[skipped]).await.rejected[0]
        .message
        .contains("where Z report 2 was due"));
    tablet.entries.pop();
    let reset = tablet.write(JournalKind::ZReport, z(2, "2026-12-03", ("0", "0"), ("200.00", "0")), None);
    assert!(push_journal(&server, &t, &[reset]).await.rejected[0].message.contains("do not continue"));
    tablet.entries.pop();
    let next = tablet.write(
        JournalKind::ZReport,
        z(2, "2026-12-03", ("1000.00", "50.00"), ("1200.00", "50.00")),
        None,
    );
    assert_eq!(push_journal(&server, &t, &[next]).await.acknowledged.len(), 1);
}

#[tokio::test]
async fn the_exported_journal_verifies_chain_and_signatures() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let mut tablet = Tablet::new();
    tablet.enrol(&server, &t).await;
    let entries = vec![
        tablet.write(
            JournalKind::Sale,
            json!({"Receipt": {"Number": 1, "Lines": [{"Name": "Tvätt", "Total": "149.00"}]}}),
            Some((1, "149.00")),
        ),
        tablet.write(JournalKind::Training, json!({"Receipt": {"Number": 2}}), Some((2, "25.00"))),
        tablet.write(
            JournalKind::PriceChange,
            json!({"Article": "W100", "From": "149.00", "To": "139.00"}),
            None,
        ),
    ];
    assert_eq!(push_journal(&server, &t, &entries).await.acknowledged.len(), 3);
    let today = chrono::Utc::now().date_naive();
    let xml =
        admin::export_journal(&server.state.store, demo::DEMO_TENANT, &tablet.id(), today, today).unwrap();

    // An auditor's check, from the XML alone.
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut public_key = String::new();
    let mut read: Vec<JournalEntry> = Vec::new();
    let mut pending: Option<JournalEntry> = None;
    let mut in_data = false;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"Journal" => {
                for a in e.attributes() {
                    let a = a.unwrap();
                    if a.key.as_ref() == b"PublicKey" {
                        public_key = a.unescape_value().unwrap().to_string();
                    }
                }
            }
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"Entry" => {
                let mut attribute = std::collections::HashMap::new();
                for a in e.attributes() {
                    let a = a.unwrap();
                    attribute.insert(
                        String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                        a.unescape_value().unwrap().to_string(),
                    );
                }
                pending = Some(JournalEntry {
                    id: attribute["Id"].parse().unwrap(),
                    register_id: tablet.id(),
                    seq: attribute["Seq"].parse().unwrap(),
                    at: attribute["At"].parse().unwrap(),
                    kind: serde_json::from_value(json!(attribute["Kind"])).unwrap(),
                    data: Value::Null,
                    prev_hash: attribute["PrevHash"].clone(),
                    hash: attribute["Hash"].clone(),
                    control_code: attribute.get("ControlCode").cloned(),
                });
            }
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"Data" => in_data = true,
            quick_xml::events::Event::Text(text) if in_data => {
                let data: Value = serde_json::from_str(&text.unescape().unwrap()).unwrap();
                assert_eq!(
                    canonical_json(&data),
                    text.unescape().unwrap(),
                    "the data is written canonically"
                );
                pending.as_mut().unwrap().data = data;
            }
            quick_xml::events::Event::End(e) if e.name().as_ref() == b"Data" => in_data = false,
            quick_xml::events::Event::End(e) if e.name().as_ref() == b"Entry" => {
                read.push(pending.take().unwrap())
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(read.len(), 3);
    let mut last: Option<(u64, String)> = None;
    for entry in &read {
        continues(last.as_ref().map(|(s, h)| (*s, h.as_str())), entry, sha).unwrap();
        if let Some(code) = &entry.control_code {
            let control: ControlData = serde_json::from_value(entry.data["Control"].clone()).unwrap();
            possum_backoffice::registers::verify_code(&public_key, &control, code).unwrap();
        }
        last = Some((entry.seq, entry.hash.clone()));
    }
    // One letter changed in the export is caught.
    let mut tampered = read[0].clone();
    tampered.data["Receipt"]["Lines"][0]["Total"] = json!("14.00");
    assert!(continues(None, &tampered, sha).is_err());
}
