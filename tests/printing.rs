//! The printing layer in headless Chromium, each transport stubbed at the
//! browser's edge (`tests/printing/stubs.js`): `navigator.serial`,
//! `navigator.usb` and `fetch` are replaced on the page, so everything of
//! ours between the job and the device API runs for real: choosing the
//! printer, the layout, the encoding, the status questions, the deadline,
//! closing the device.

use js_sys::{Array, Reflect};
use possum_contract::activity::Order;
use possum_contract::printers::{CodePage, Connection, Printer, PrinterRole};
use possum_contract::settings::TerminalSettings;
use possum_print::jobs::Printout;
use possum_print::receipt::{self, Mark, Receipt};
use possum_print::status::PrinterProblem;
use possum_print::{epos, esc_pos, Paper, Words};
use possum_terminal::printing::remembered::{self, DeviceId};
use possum_terminal::printing::{self, fallback, Job, PrintError, PrintOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/printing/stubs.js")]
extern "C" {
    #[wasm_bindgen(js_name = installSerial)]
    fn install_serial(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = installUsb)]
    fn install_usb(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = installFetch)]
    fn install_fetch(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = installPrintDialog)]
    fn install_print_dialog() -> JsValue;
    #[wasm_bindgen(js_name = hideDevices)]
    fn hide_devices();
}

fn js(value: serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap()
}

/// A recorded value as JSON, to compare.
fn json(value: JsValue) -> serde_json::Value {
    serde_json::from_str(&String::from(js_sys::JSON::stringify(&value).unwrap())).unwrap()
}

fn field(log: &JsValue, name: &str) -> JsValue {
    Reflect::get(log, &name.into()).unwrap()
}

fn count(log: &JsValue, name: &str) -> u32 {
    field(log, name).as_f64().unwrap() as u32
}

/// Each write (serial) as bytes.
fn writes(log: &JsValue) -> Vec<Vec<u8>> {
    Array::from(&field(log, "writes"))
        .iter()
        .map(|w| Array::from(&w).iter().map(|b| b.as_f64().unwrap() as u8).collect())
        .collect()
}

/// A printer answering "online, drawer closed; cover closed; paper present".
fn ready() -> serde_json::Value {
    serde_json::json!({ "1": 0x16, "2": 0x12, "4": 0x12 })
}

fn order(method: u8) -> Order {
    serde_json::from_value(serde_json::json!({
        "Id": "00000000-0000-0000-0000-000000000001", "Kind": "Sale",
        "TerminalId": "11111111-1111-1111-1111-111111111111", "ClientNumber": 1, "InvoiceNumber": 1042,
        "CreatedAt": "2026-03-14T09:32:00Z", "CashierId": "22222222-2222-2222-2222-222222222222",
        "CashierName": "Åsa Öberg", "CustomerId": null, "PriceGroup": 1,
        "Lines": [{ "ArticleNumber": "W1", "Name": "Tvätt Premium", "Quantity": 1, "UnitPrice": "149",
            "Discount": "0", "VatPercent": "25", "LineTotal": "149", "IsWash": true,
            "CombinationArticleNumber": null }],
        "Rounding": "0", "Total": "149", "VatTotal": "29.80",
        "Payments": [{ "Method": method, "Amount": "149", "Tendered": null, "Change": null }],
        "RefundOf": null, "SoldOffline": false, "Token": "7310000000010"
    }))
    .unwrap()
}

fn printer(name: &str, connection: Connection) -> Printer {
    Printer {
        name: name.into(),
        role: PrinterRole::Receipt,
        connection,
        address: Some("192.168.1.50:8008".into()),
        baud_rate: Some(19_200),
        paper_width_mm: 58,
        code_page: CodePage::Pc865,
        cash_drawer: true,
    }
}

fn settings() -> TerminalSettings {
    TerminalSettings { company_name: "Tvätthallen i Östersund AB".into(), ..TerminalSettings::default() }
}

/// The ESC/POS bytes of `order`'s receipt on `printer`, as the service should make them.
fn expected_job(order: &Order, printer: &Printer) -> Vec<u8> {
    let s = settings();
    let r = Receipt { drawer_attached: printer.cash_drawer, ..Receipt::new(order, &s, Default::default()) };
    esc_pos::encode(&receipt::layout(&r, Paper::Mm58), &printer.code_page).unwrap()
}

fn fast() -> PrintOptions {
    PrintOptions { deadline_ms: 1_500 }
}

#[wasm_bindgen_test]
async fn a_cash_receipt_goes_to_the_serial_printer_after_its_status_and_kicks_the_drawer() {
    let log = install_serial(&js(serde_json::json!({
        "ports": [{ "info": { "usbVendorId": 0x067b, "usbProductId": 0x2303 } }], "status": ready()
    })));
    let till = printer("Serial till", Connection::Serial);
    remembered::forget(&till);
    let (sale, s) = (order(0), settings());
    let job = Job::Receipt(Receipt::new(&sale, &s, Default::default()));
    let printed = printing::print(&job, std::slice::from_ref(&till), fast()).await.unwrap();
    assert!(printed.drawer_kicked, "a cash sale on the drawer's printer kicks it");
    assert_eq!((printed.printer.as_str(), printed.warnings.len()), ("Serial till", 0));
    assert_eq!(json(field(&log, "opened")), serde_json::json!([19_200]));
    let written = writes(&log);
    // DLE EOT 1, 2, 4 first, then the job, byte for byte what possum-print makes.
    assert_eq!(&written[..3], &[vec![0x10, 0x04, 1], vec![0x10, 0x04, 2], vec![0x10, 0x04, 4]]);
    assert_eq!(written[3], expected_job(&sale, &till));
    assert_eq!(&written[3][..5], &[0x1B, b'@', 0x1B, b't', 5], "PC865 as the row says");
    assert_eq!(&written[3][5..10], &esc_pos::DRAWER_KICK);
    assert_eq!(count(&log, "closed"), 1, "the port is closed (streams released) after the job");
}

#[wasm_bindgen_test]
async fn a_card_receipt_kicks_no_drawer() {
    let log = install_serial(&js(serde_json::json!({ "ports": [{ "info": {} }], "status": ready() })));
    let till = printer("Card till", Connection::Serial);
    let (sale, s) = (order(1), settings());
    let job = Job::Receipt(Receipt::new(&sale, &s, Default::default()));
    let printed = printing::print(&job, std::slice::from_ref(&till), fast()).await.unwrap();
    assert!(!printed.drawer_kicked);
    assert!(!writes(&log)[3].windows(5).any(|w| w == esc_pos::DRAWER_KICK));
}

#[wasm_bindgen_test]
async fn out_of_paper_or_cover_open_on_serial_sends_nothing_and_says_so() {
    // n=2: cover open (bit 2) and stopped for paper end (bit 5).
    let log = install_serial(&js(serde_json::json!({
        "ports": [{ "info": {} }], "status": { "1": 0x1E, "2": 0x36, "4": 0x7E }
    })));
    let till = printer("Empty till", Connection::Serial);
    let (sale, s) = (order(0), settings());
    let job = Job::Receipt(Receipt::new(&sale, &s, Default::default()));
    let error = printing::print(&job, std::slice::from_ref(&till), fast()).await.unwrap_err();
    assert_eq!(
        error,
        PrintError::Printer(vec![
            PrinterProblem::PaperEnd,
            PrinterProblem::CoverOpen,
            PrinterProblem::Offline
        ])
    );
    assert_eq!(writes(&log).len(), 3, "only the status questions went out");
    assert_eq!(count(&log, "closed"), 1);
    // The cash is taken all the same: the drawer alone opens with the real-time pulse.
    let opened = printing::print(&Job::OpenDrawer, std::slice::from_ref(&till), fast()).await.unwrap();
    assert!(opened.drawer_kicked);
    assert_eq!(writes(&log)[3], esc_pos::DRAWER_PULSE_REAL_TIME.to_vec(), "no status questions first");
    assert_eq!((writes(&log).len(), count(&log, "closed")), (4, 2));
    let words = error.words(&Words::ENGLISH, Printout::Sale);
    assert!(
        words.starts_with("The printer is out of paper: put in a new roll. The printer's cover is open"),
        "{words}"
    );
    assert!(words.ends_with(
        "The sale is complete. Print the receipt in the browser, or again later from the history."
    ));
    assert!(error.words(&Words::SWEDISH, Printout::Sale).contains("slut på papper"));
    let refund = error.words(&Words::ENGLISH, Printout::Refund);
    assert!(refund.ends_with(
        "The refund is complete. Print its receipt in the browser, or again later from the history."
    ));
}

#[wasm_bindgen_test]
async fn a_serial_printer_that_vanishes_or_hangs_mid_job_is_reported_and_the_port_let_go() {
    let till = printer("Flaky till", Connection::Serial);
    let (sale, s) = (order(0), settings());
    let job = Job::Receipt(Receipt::new(&sale, &s, Default::default()));
    let printers = std::slice::from_ref(&till);

    let log = install_serial(&js(
        serde_json::json!({ "ports": [{ "info": {} }], "status": ready(), "loseOnWrite": 4 }),
    ));
    let error = printing::print(&job, printers, fast()).await.unwrap_err();
    assert!(matches!(&error, PrintError::Gone(m) if m.contains("lost")), "{error:?}");
    assert!(error.may_have_printed());
    assert_eq!(count(&log, "closed"), 1);

    let log = install_serial(&js(
        serde_json::json!({ "ports": [{ "info": {} }], "status": ready(), "hangOnWrite": 4 }),
    ));
    let started = js_sys::Date::now();
    let error = printing::print(&job, printers, PrintOptions { deadline_ms: 300 }).await.unwrap_err();
    let took = js_sys::Date::now() - started;
    assert_eq!(error, PrintError::Timeout(300));
    assert!((300.0..1_500.0).contains(&took), "the deadline held: {took} ms");
    assert_eq!(count(&log, "closed"), 1, "a hung write does not keep the port");
}

#[wasm_bindgen_test]
async fn a_serial_printer_that_never_answers_status_is_printed_to_blind_and_garbage_is_refused() {
    let till = printer("One-way till", Connection::Serial);
    let (sale, s) = (order(0), settings());
    let job = Job::Receipt(Receipt::new(&sale, &s, Default::default()));
    let log = install_serial(&js(serde_json::json!({ "ports": [{ "info": {} }], "status": null })));
    let printed = printing::print(&job, std::slice::from_ref(&till), fast()).await.unwrap();
    assert!(printed.drawer_kicked);
    let written = writes(&log);
    assert_eq!((written.len(), &written[1]), (2, &expected_job(&sale, &till)), "one question, then the job");

    let log = install_serial(&js(serde_json::json!({ "ports": [{ "info": {} }], "status": { "1": 0xFF } })));
    let error = printing::print(&job, std::slice::from_ref(&till), fast()).await.unwrap_err();
    assert!(matches!(&error, PrintError::Garbage(m) if m.contains("0xff")), "{error:?}");
    assert_eq!((writes(&log).len(), count(&log, "closed")), (1, 1));
}

#[wasm_bindgen_test]
async fn the_remembered_port_is_chosen_among_several_and_an_unpaired_printer_says_so() {
    let till = printer("Paired till", Connection::Serial);
    let ports = serde_json::json!([
        { "info": { "usbVendorId": 0x0403, "usbProductId": 0x6001 } },
        { "info": { "usbVendorId": 0x067b, "usbProductId": 0x2303 } }
    ]);
    install_serial(&js(serde_json::json!({ "ports": ports, "status": ready() })));
    remembered::forget(&till);
    let (sale, s) = (order(0), settings());
    let job = Job::Receipt(Receipt::new(&sale, &s, Default::default()));
    let printers = std::slice::from_ref(&till);
    assert_eq!(printing::print(&job, printers, fast()).await.unwrap_err(), PrintError::NotPaired);

    // Staff pick the second port in the browser's picker; it is remembered on this tablet.
    let log = install_serial(&js(serde_json::json!({ "ports": ports, "status": ready(), "pick": 1 })));
    printing::pair(&till).await.unwrap();
    assert_eq!(count(&log, "requested"), 1);
    assert_eq!(
        remembered::recall(&till),
        Some(DeviceId { vendor_id: Some(0x067b), product_id: Some(0x2303), serial_number: None })
    );
    // The picked port is the stub's second: the first (the live one) stays unopened.
    printing::print(&job, printers, fast()).await.unwrap();
    assert_eq!(
        json(field(&log, "openedPorts")),
        serde_json::json!([1]),
        "the remembered port, not the first"
    );

    let log = install_serial(&js(serde_json::json!({ "ports": ports, "pickerCancelled": true })));
    assert_eq!(printing::pair(&till).await.unwrap_err(), PrintError::NotPaired);
    assert_eq!(count(&log, "requested"), 1);
    remembered::forget(&till);

    hide_devices();
    assert_eq!(
        printing::print(&job, printers, fast()).await.unwrap_err(),
        PrintError::Unsupported("Web Serial")
    );
    let usb = printer("USB till", Connection::Usb);
    assert_eq!(
        printing::print(&job, std::slice::from_ref(&usb), fast()).await.unwrap_err(),
        PrintError::Unsupported("WebUSB")
    );
}

#[wasm_bindgen_test]
fn a_device_is_picked_by_its_ids_or_as_the_only_one() {
    let id = |v: u16, p: u16, s: Option<&str>| DeviceId {
        vendor_id: Some(v),
        product_id: Some(p),
        serial_number: s.map(str::to_string),
    };
    let granted = [id(0x04b8, 0x0e15, Some("A")), id(0x04b8, 0x0e15, Some("B")), id(0x0519, 0x0001, None)];
    assert_eq!(remembered::pick(Some(&id(0x04b8, 0x0e15, Some("B"))), &granted), Some(1));
    assert_eq!(remembered::pick(Some(&id(0x0519, 0x0001, None)), &granted), Some(2));
    assert_eq!(remembered::pick(Some(&id(0x1111, 0x0001, None)), &granted), None);
    assert_eq!(remembered::pick(None, &granted), None, "several and none remembered: ask");
    assert_eq!(remembered::pick(None, &granted[2..]), Some(0));
    assert_eq!(remembered::pick(Some(&DeviceId::default()), &granted[..1]), Some(0), "a port without ids");
}

fn usb_transfers(log: &JsValue) -> Vec<(u8, Vec<u8>)> {
    Array::from(&field(log, "transfers"))
        .iter()
        .map(|t| {
            let bytes = Array::from(&field(&t, "bytes")).iter().map(|b| b.as_f64().unwrap() as u8).collect();
            (field(&t, "endpoint").as_f64().unwrap() as u8, bytes)
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_usb_printer_gets_the_job_on_its_bulk_out_endpoint_in_whole_packets() {
    let log = install_usb(&js(serde_json::json!({ "status": ready(), "packetSize": 64 })));
    let till = Printer { paper_width_mm: 58, ..printer("USB till", Connection::Usb) };
    remembered::forget(&till);
    // A long receipt (many lines) is more than one transfer.
    let mut sale = order(0);
    let line = sale.lines[0].clone();
    sale.lines = (0..160).map(|_| line.clone()).collect();
    let s = settings();
    let job = Job::Receipt(Receipt::new(&sale, &s, Default::default()));
    let printed = printing::print(&job, std::slice::from_ref(&till), fast()).await.unwrap();
    assert!(printed.drawer_kicked);
    assert_eq!(json(field(&log, "selected")), serde_json::json!([1]), "configuration 1 chosen");
    assert_eq!(json(field(&log, "claimed")), serde_json::json!([0]));
    assert_eq!(json(field(&log, "released")), serde_json::json!([0]));
    assert_eq!(count(&log, "closed"), 1);
    let transfers = usb_transfers(&log);
    assert!(transfers.iter().all(|(endpoint, bytes)| *endpoint == 1 && bytes.len() <= 4_096));
    let job_bytes: Vec<u8> = transfers[3..].iter().flat_map(|(_, b)| b.clone()).collect();
    assert!(transfers.len() > 4, "{} transfers", transfers.len());
    assert_eq!(transfers[3].1.len(), 4_096);
    assert_eq!(job_bytes, expected_job(&sale, &till));
}

#[wasm_bindgen_test]
async fn a_usb_printer_with_its_cover_open_a_stall_or_no_printer_interface_is_an_error() {
    let till = printer("USB till", Connection::Usb);
    let (sale, s) = (order(0), settings());
    let job = Job::Receipt(Receipt::new(&sale, &s, Default::default()));
    let printers = std::slice::from_ref(&till);

    let log = install_usb(&js(serde_json::json!({ "status": { "1": 0x1E, "2": 0x16, "4": 0x12 } })));
    let error = printing::print(&job, printers, fast()).await.unwrap_err();
    assert_eq!(error, PrintError::Printer(vec![PrinterProblem::CoverOpen, PrinterProblem::Offline]));
    assert_eq!((usb_transfers(&log).len(), count(&log, "closed")), (3, 1), "the questions, no job");

    let log = install_usb(&js(serde_json::json!({ "status": ready(), "stallOnTransfer": 4 })));
    let error = printing::print(&job, printers, fast()).await.unwrap_err();
    assert!(matches!(&error, PrintError::Gone(m) if m.contains("stall")), "{error:?}");
    assert_eq!(count(&log, "closed"), 1);

    let log = install_usb(&js(serde_json::json!({ "status": ready(), "noPrinterInterface": true })));
    let error = printing::print(&job, printers, fast()).await.unwrap_err();
    assert!(matches!(&error, PrintError::Gone(m) if m.contains("no printer interface")), "{error:?}");
    assert_eq!(count(&log, "closed"), 1, "opened, found wanting, closed");

    // Silent on bulk IN: printed blind within the deadline; closing ends the waiting transfer.
    let log = install_usb(&js(serde_json::json!({ "status": null })));
    assert!(printing::print(&job, printers, fast()).await.unwrap().drawer_kicked);
    assert_eq!(count(&log, "closed"), 1);
}

fn epos_answer(success: bool, code: &str, status: u32) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><response success="{success}" code="{code}" status="{status}" battery="0" xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"/></s:Body></s:Envelope>"#
    )
}

fn requests(log: &JsValue) -> Vec<JsValue> {
    Array::from(&field(log, "requests")).iter().collect()
}

fn restore(log: &JsValue) {
    let restore: js_sys::Function = field(log, "restore").into();
    restore.call0(&JsValue::NULL).unwrap();
}

#[wasm_bindgen_test]
async fn a_network_printer_gets_epos_print_xml_and_its_answer_is_read() {
    let till = Printer { paper_width_mm: 80, ..printer("Network till", Connection::Network) };
    let (sale, s) = (order(0), settings());
    let receipt = Receipt::new(&sale, &s, Default::default());
    let job = Job::Receipt(receipt.clone());
    let printers = std::slice::from_ref(&till);

    // Printed, the drawer pulsed (pin 3 now low), the roll nearly empty.
    let log = install_fetch(&js(serde_json::json!({ "body": epos_answer(true, "", 0x0002_0002) })));
    let printed = printing::print(&job, printers, PrintOptions { deadline_ms: 5_000 }).await;
    restore(&log);
    let printed = printed.unwrap();
    assert!(printed.drawer_kicked);
    assert_eq!(printed.warnings, vec![PrinterProblem::PaperNearEnd]);
    let request = &requests(&log)[0];
    assert_eq!(
        field(request, "url").as_string().unwrap(),
        "http://192.168.1.50:8008/cgi-bin/epos/service.cgi?devid=local_printer&timeout=4000"
    );
    assert_eq!(field(request, "method").as_string().unwrap(), "POST");
    assert_eq!(field(request, "contentType").as_string().unwrap(), epos::CONTENT_TYPE);
    let r = Receipt { drawer_attached: true, ..receipt };
    assert_eq!(field(request, "body").as_string().unwrap(), epos::encode(&receipt::layout(&r, Paper::Mm80)));

    // A copy: no pulse.
    let log = install_fetch(&js(serde_json::json!({ "body": epos_answer(true, "", 6) })));
    let copy = Job::Receipt(Receipt { mark: Mark::Copy, ..Receipt::new(&sale, &s, Default::default()) });
    let printed = printing::print(&copy, printers, fast()).await;
    restore(&log);
    assert!(!printed.unwrap().drawer_kicked);
    assert!(!field(&requests(&log)[0], "body").as_string().unwrap().contains("<pulse"));
}

#[wasm_bindgen_test]
async fn a_network_printer_that_is_silent_answers_garbage_refuses_or_cannot_be_reached() {
    let till = printer("Network till", Connection::Network);
    let (sale, s) = (order(0), settings());
    let job = Job::Receipt(Receipt::new(&sale, &s, Default::default()));
    let printers = std::slice::from_ref(&till);
    let attempt = |options: serde_json::Value, deadline_ms: u32| {
        let log = install_fetch(&js(options));
        let job = job.clone();
        async move {
            let result = printing::print(&job, printers, PrintOptions { deadline_ms }).await;
            restore(&log);
            (result.map(|p| p.printer), log)
        }
    };

    let started = js_sys::Date::now();
    let (result, log) = attempt(serde_json::json!({ "hang": true }), 400).await;
    let took = js_sys::Date::now() - started;
    assert_eq!(result, Err(PrintError::Timeout(400)));
    assert!((400.0..2_000.0).contains(&took), "the deadline held: {took} ms");
    assert_eq!(count(&log, "aborted"), 1, "the request was aborted, not left hanging");

    let (result, _) = attempt(serde_json::json!({ "body": "\u{0}\u{17}<<?\n" }), 2_000).await;
    assert!(matches!(&result, Err(PrintError::Garbage(_))), "{result:?}");
    let (result, _) =
        attempt(serde_json::json!({ "body": "<html><body>502 Bad Gateway</body></html>" }), 2_000).await;
    assert!(matches!(&result, Err(PrintError::Garbage(_))), "{result:?}");

    let paper_end = 0x0000_0008 | 0x0008_0000 | 0x0000_0004;
    let (result, _) =
        attempt(serde_json::json!({ "body": epos_answer(false, "EPTR_REC_EMPTY", paper_end) }), 2_000).await;
    assert_eq!(result, Err(PrintError::Printer(vec![PrinterProblem::PaperEnd, PrinterProblem::Offline])));
    let (result, _) =
        attempt(serde_json::json!({ "body": epos_answer(false, "SchemaError", 6) }), 2_000).await;
    assert_eq!(result, Err(PrintError::Refused("SchemaError".into())));
    let (result, _) = attempt(serde_json::json!({ "body": "", "status": 500 }), 2_000).await;
    assert_eq!(result, Err(PrintError::Refused("HTTP 500".into())));
    let (result, _) = attempt(serde_json::json!({ "unreachable": true }), 2_000).await;
    assert!(matches!(&result, Err(PrintError::Unreachable(_))), "{result:?}");
}

#[wasm_bindgen_test]
fn misconfigured_rows_are_skipped_and_the_right_printer_is_chosen() {
    let (sale, s) = (order(0), settings());
    let receipt_job = Job::Receipt(Receipt::new(&sale, &s, Default::default()));
    let broken = Printer { paper_width_mm: 76, ..printer("Broken", Connection::Usb) };
    let plain = Printer { cash_drawer: false, ..printer("Plain", Connection::Usb) };
    let drawer = printer("Drawer", Connection::Serial);
    let bay = Printer { role: PrinterRole::BayTicket, cash_drawer: false, ..printer("Bay", Connection::Usb) };
    let desk = [broken.clone(), plain.clone(), drawer.clone(), bay.clone()];
    assert_eq!(printing::choose(&desk, &receipt_job).unwrap().name, "Drawer", "the drawer's printer first");
    assert_eq!(printing::choose(&desk, &Job::OpenDrawer).unwrap().name, "Drawer");
    assert_eq!(printing::choose(&[broken.clone(), plain.clone()], &receipt_job).unwrap().name, "Plain");
    assert_eq!(
        printing::choose(std::slice::from_ref(&bay), &receipt_job),
        Err(PrintError::NoPrinter("receipts"))
    );
    assert_eq!(
        printing::choose(std::slice::from_ref(&plain), &Job::OpenDrawer),
        Err(PrintError::NoPrinter("the cash drawer"))
    );
    let error = printing::choose(&[broken, bay.clone()], &receipt_job).unwrap_err();
    assert_eq!(
        error,
        PrintError::Misconfigured(vec![
            "Broken: 76 mm is not a paper width receipts are laid out for (58 or 80 mm).".into()
        ])
    );
    assert!(error.words(&Words::ENGLISH, Printout::Sale).starts_with("The printer's settings are wrong"));
    // A report goes to the report printer, else the receipt printer; a
    // receipt only to a receipt printer. Otherwise the browser prints it.
    let office =
        Printer { role: PrinterRole::Report, cash_drawer: false, ..printer("Office", Connection::Usb) };
    assert!(printing::prints_on_desk(std::slice::from_ref(&plain), PrinterRole::Report));
    assert!(printing::prints_on_desk(std::slice::from_ref(&office), PrinterRole::Report));
    assert!(!printing::prints_on_desk(std::slice::from_ref(&office), PrinterRole::Receipt));
    assert!(!printing::prints_on_desk(std::slice::from_ref(&bay), PrinterRole::Report));
    assert!(printing::desk_printers(&s, 1).is_empty(), "a desk not in the settings has no printers");
}

#[wasm_bindgen_test]
async fn the_drawer_alone_and_the_status_check_print_nothing() {
    let log = install_fetch(&js(serde_json::json!({ "body": epos_answer(true, "", 6) })));
    let till = printer("Network till", Connection::Network);
    let printed = printing::print(&Job::OpenDrawer, std::slice::from_ref(&till), fast()).await;
    let checked = printing::check(&till, fast()).await;
    restore(&log);
    assert!(printed.unwrap().drawer_kicked);
    assert_eq!(checked, Ok(vec![]));
    let bodies: Vec<String> = requests(&log).iter().map(|r| field(r, "body").as_string().unwrap()).collect();
    assert!(bodies[0].contains("<pulse") && !bodies[0].contains("<text") && !bodies[0].contains("<cut"));
    assert!(!bodies[1].contains("<pulse") && !bodies[1].contains("<text"));
}

#[wasm_bindgen_test]
fn the_fallback_is_the_browsers_print_dialog() {
    let log = install_print_dialog();
    fallback::print_dialog().unwrap();
    assert_eq!(count(&log, "opened"), 1);
}
