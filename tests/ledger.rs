//! The outbox and the sale ledger in headless Chromium: invoice numbers, one
//! transaction per sale, settling a flush round, and the one-flusher lock.

mod support;

use chrono::Utc;
use possum_contract::activity::{Order, OrderKind, OrderReceipt};
use possum_contract::endpoints::PushKind;
use possum_register::outbox::{next_batch, Entry, State};
use possum_terminal::browser::tabs;
use possum_terminal::storage::ledger::{OrderSync, Settlement};
use possum_terminal::storage::Storage;
use rust_decimal::Decimal;
use std::cell::Cell;
use std::rc::Rc;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh() -> Storage {
    Storage::open(&format!("possum-test-ledger-{}", Uuid::new_v4())).await.expect("open IndexedDB")
}

fn order(terminal: Uuid, number: i64) -> Order {
    Order {
        id: Uuid::new_v4(),
        kind: OrderKind::Sale,
        terminal_id: terminal,
        client_number: 1,
        invoice_number: number,
        created_at: Utc::now(),
        cashier_id: Uuid::new_v4(),
        cashier_name: "Anna".into(),
        customer_id: None,
        price_group: 1,
        lines: vec![],
        rounding: Decimal::ZERO,
        total: Decimal::ONE_HUNDRED,
        vat_total: Decimal::from(20),
        payments: vec![],
        refund_of: None,
        sold_offline: true,
        token: None,
        approval: None,
        register_id: None,
    }
}

#[wasm_bindgen_test]
async fn sales_get_unique_numbers_and_one_pending_invoice_counter() {
    let storage = fresh().await;
    let terminal = Uuid::new_v4();
    // Three sales at once, as from a fast double tap or two tabs.
    let (a, b, c) = futures::join!(
        storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]),
        storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]),
        storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]),
    );
    let mut numbers = vec![
        a.unwrap().order.invoice_number,
        b.unwrap().order.invoice_number,
        c.unwrap().order.invoice_number,
    ];
    numbers.sort();
    assert_eq!(numbers, [1, 2, 3]);

    let queue = storage.outbox().await.unwrap();
    let kinds: Vec<PushKind> = queue.entries.iter().map(|(_, e)| e.kind).collect();
    assert_eq!(kinds.iter().filter(|k| **k == PushKind::Order).count(), 3);
    // Only the newest counter waits; older pending ones were replaced.
    let counters: Vec<&Entry> =
        queue.entries.iter().map(|(_, e)| e).filter(|e| e.kind == PushKind::InvoiceCounter).collect();
    assert_eq!(counters.len(), 1);
    assert!(counters[0].body.contains("\"LastInvoiceNumber\":3"));
    // Queue order is kept across reads, and orders are planned first.
    let plain = queue.plain();
    let (kind, batch) = next_batch(&plain, 500).unwrap();
    assert_eq!((kind, batch.len()), (PushKind::Order, 3));
    storage.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_wiped_tablet_resumes_after_the_back_offices_invoice_numbers_and_never_goes_back() {
    let storage = fresh().await;
    let terminal = Uuid::new_v4();
    // The back office has seen up to 41 from this terminal; the tablet remembers nothing.
    assert_eq!(storage.resume_invoice_numbers(41).await, Ok(Some(0)));
    let next = storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]).await.unwrap();
    assert_eq!(next.order.invoice_number, 42);
    // A lower or equal number from the back office (orders still unsent) changes nothing.
    assert_eq!(storage.resume_invoice_numbers(41).await, Ok(None));
    assert_eq!(storage.resume_invoice_numbers(42).await, Ok(None));
    let after = storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]).await.unwrap();
    assert_eq!(after.order.invoice_number, 43);
    storage.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn settling_removes_delivered_records_and_marks_rejected_ones() {
    let storage = fresh().await;
    let terminal = Uuid::new_v4();
    let good = storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]).await.unwrap();
    let bad = storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]).await.unwrap();
    let queue = storage.outbox().await.unwrap();
    let good_seq = queue.seq_of(good.order.id).unwrap();
    let bad_seq = queue.seq_of(bad.order.id).unwrap();
    let mut rejected = queue.entries.iter().find(|(s, _)| *s == bad_seq).unwrap().1.clone();
    rejected.state = State::Attention;
    rejected.last_error = Some("Total is wrong".into());
    let receipt = OrderReceipt {
        order_id: good.order.id,
        token: Some("7310000000010".into()),
        feedback_portal_url: None,
    };
    storage
        .settle(Settlement {
            remove: vec![good_seq],
            update: vec![(bad_seq, rejected)],
            orders: vec![
                (good.order.id, OrderSync::Delivered, Some(receipt), None),
                (bad.order.id, OrderSync::Attention, None, Some("Total is wrong".into())),
            ],
        })
        .await
        .unwrap();
    let queue = storage.outbox().await.unwrap();
    assert!(queue.seq_of(good.order.id).is_none());
    assert_eq!(queue.entries.iter().find(|(s, _)| *s == bad_seq).unwrap().1.state, State::Attention);
    let delivered = storage.order(good.order.id).await.unwrap().unwrap();
    assert_eq!(
        (delivered.sync, delivered.order.token.as_deref()),
        (OrderSync::Delivered, Some("7310000000010"))
    );
    let refused = storage.order(bad.order.id).await.unwrap().unwrap();
    assert_eq!((refused.sync, refused.problem.as_deref()), (OrderSync::Attention, Some("Total is wrong")));
    storage.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_version_3_database_upgrades_and_keeps_its_queue_and_sales() {
    let name = format!("possum-test-ledger-upgrade-{}", Uuid::new_v4());
    let v3 = Storage::open_at(&name, 3).await.unwrap();
    assert!(!v3.store_names().contains(&"staging".to_string()));
    let sold = v3.record_order(|n| order(Uuid::new_v4(), n), OrderSync::Queued, None, vec![]).await.unwrap();
    let queued = v3.outbox().await.unwrap().plain();
    drop(v3);

    let current = Storage::open(&name).await.unwrap();
    assert!(current.store_names().contains(&"staging".to_string()));
    assert_eq!(current.outbox().await.unwrap().plain(), queued);
    assert_eq!(current.order(sold.order.id).await.unwrap().map(|o| o.order), Some(sold.order));
    current.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn only_one_flush_runs_at_a_time() {
    let running = Rc::new(Cell::new(0u32));
    let most = Rc::new(Cell::new(0u32));
    let work = |running: Rc<Cell<u32>>, most: Rc<Cell<u32>>| async move {
        running.set(running.get() + 1);
        most.set(most.get().max(running.get()));
        support::sleep(50).await;
        running.set(running.get() - 1);
    };
    let (first, second) = futures::join!(
        tabs::exclusively(work(running.clone(), most.clone())),
        tabs::exclusively(work(running.clone(), most.clone())),
    );
    assert!(first ^ second, "exactly one ran: {first} {second}");
    assert_eq!(most.get(), 1);
    // Once released, the lock is free again.
    assert!(tabs::exclusively(async {}).await);
}

#[wasm_bindgen_test]
async fn a_tab_hears_the_other_tabs_announcements_not_its_own() {
    let heard = Rc::new(Cell::new(0u32));
    let counter = heard.clone();
    let _listener = tabs::listen(move || counter.set(counter.get() + 1)).expect("BroadcastChannel");
    // This tab's own sale: its status already shows it, no reload of the whole outbox.
    tabs::announce();
    support::sleep(100).await;
    assert_eq!(heard.get(), 0);
    // Another tab (a channel of its own, with its own name) changed the outbox.
    let other = web_sys::BroadcastChannel::new("possum-outbox").unwrap();
    other.post_message(&wasm_bindgen::JsValue::from_str("another-tab")).unwrap();
    other.close();
    support::sleep(100).await;
    assert_eq!(heard.get(), 1);
}

#[wasm_bindgen_test]
async fn the_stored_queue_is_planned_in_the_seed_order_with_dependencies() {
    let storage = fresh().await;
    let now = Utc::now();
    let entry = |kind, depends_on| Entry::new(Uuid::new_v4(), kind, "{}".into(), depends_on, now);
    let log = entry(PushKind::DeviceLog, None);
    let customer = entry(PushKind::Customer, None);
    let order = entry(PushKind::Order, Some(customer.id));
    let swish = entry(PushKind::SwishPayment, Some(order.id));
    let open = entry(PushKind::OpenOrder, None);
    storage
        .enqueue(&[log.clone(), swish.clone(), order.clone(), customer.clone(), open.clone()])
        .await
        .unwrap();
    // Sent round by round, each round planned from what IndexedDB holds.
    let mut rounds = Vec::new();
    loop {
        let queue = storage.outbox().await.unwrap();
        let plain = queue.plain();
        let Some((kind, batch)) = next_batch(&plain, 500) else { break };
        rounds.push((kind, batch.iter().map(|e| e.id).collect::<Vec<_>>()));
        let remove = batch.iter().map(|e| queue.seq_of(e.id).unwrap()).collect();
        storage.settle(Settlement { remove, ..Default::default() }).await.unwrap();
    }
    let expected = vec![
        (PushKind::OpenOrder, vec![open.id]),
        // The order waits for its customer, the payment for its order; diagnostics go last.
        (PushKind::Customer, vec![customer.id]),
        (PushKind::Order, vec![order.id]),
        (PushKind::SwishPayment, vec![swish.id]),
        (PushKind::DeviceLog, vec![log.id]),
    ];
    assert_eq!(rounds, expected);
    storage.delete().await.unwrap();
}

#[wasm_bindgen_test]
fn failures_are_classified_for_retry() {
    use possum_register::outbox::Failure;
    use possum_terminal::error::AppError;
    let refused = |status| AppError::Refused { status, message: String::new() };
    assert_eq!(AppError::Network("down".into()).failure(), Failure::Transient);
    assert_eq!(AppError::Server(503).failure(), Failure::Transient);
    assert_eq!(refused(429).failure(), Failure::Transient);
    assert_eq!(refused(408).failure(), Failure::Transient);
    assert_eq!(AppError::Unauthorized.failure(), Failure::Unauthorized);
    assert_eq!(refused(400).failure(), Failure::Permanent);
    assert_eq!(refused(413).failure(), Failure::Permanent);
}

#[wasm_bindgen_test]
async fn the_status_reads_heads_and_the_bodies_only_of_records_that_need_attention() {
    let storage = fresh().await;
    let terminal = Uuid::new_v4();
    storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]).await.unwrap();
    let refused =
        storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]).await.unwrap();
    let queue = storage.outbox().await.unwrap();
    let seq = queue.seq_of(refused.order.id).unwrap();
    let mut entry = queue.entries.iter().find(|(s, _)| *s == seq).unwrap().1.clone();
    entry.state = State::Attention;
    entry.last_error = Some("Refused.".into());
    storage.settle(Settlement { update: vec![(seq, entry.clone())], ..Default::default() }).await.unwrap();

    let view = storage.outbox_view().await.unwrap();
    let summary = view.summary();
    // Two orders and one invoice counter (the newest replaced the first).
    assert_eq!((summary.pending, summary.attention), (2, 1));
    assert_eq!(view.attention, vec![(seq, entry)], "in full, body included");
    assert_eq!(view.ids_of(PushKind::Order).count(), 2);
    storage.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn after_a_sale_the_status_reads_only_the_newer_records_and_ends_as_a_full_read() {
    let storage = fresh().await;
    let terminal = Uuid::new_v4();
    for _ in 0..3 {
        storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]).await.unwrap();
    }
    let mut view = storage.outbox_view().await.unwrap();
    let before = view.last_seq();
    storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]).await.unwrap();

    let newer = storage.outbox_view_after(before).await.unwrap();
    // The new order and its invoice counter, nothing older.
    assert_eq!(newer.heads.len(), 2);
    assert!(newer.heads.iter().all(|(seq, _)| *seq > before));
    view.followed_by(newer);
    let full = storage.outbox_view().await.unwrap();
    assert_eq!(view, full, "the older pending invoice counter is replaced in the view as on disk");
    assert_eq!((view.summary().pending, view.ids_of(PushKind::Order).count()), (5, 4));
    assert_eq!(storage.outbox_view_after(view.last_seq()).await.unwrap(), Default::default());
    storage.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_record_queued_before_heads_and_bodies_were_split_is_still_read_and_sent() {
    use indexed_db_futures::prelude::*;
    let name = format!("possum-test-ledger-old-{}", Uuid::new_v4());
    let storage = Storage::open(&name).await.unwrap();
    drop(storage);
    let entry =
        Entry::new(Uuid::new_v4(), PushKind::DeviceLog, r#"{"Message":"old"}"#.into(), None, Utc::now());
    let db = indexed_db_futures::database::Database::open(&name).await.unwrap();
    let tx = db
        .transaction("outbox")
        .with_mode(indexed_db_futures::transaction::TransactionMode::Readwrite)
        .build()
        .unwrap();
    let row = js_sys::Object::new();
    js_sys::Reflect::set(&row, &"id".into(), &entry.id.to_string().into()).unwrap();
    js_sys::Reflect::set(&row, &"json".into(), &serde_json::to_string(&entry).unwrap().into()).unwrap();
    tx.object_store("outbox").unwrap().add(wasm_bindgen::JsValue::from(row)).primitive().unwrap();
    tx.commit().await.unwrap();
    db.close();

    let storage = Storage::open(&name).await.unwrap();
    assert_eq!(storage.outbox().await.unwrap().plain(), vec![entry.clone()]);
    let view = storage.outbox_view().await.unwrap();
    assert_eq!((view.summary().pending, view.heads[0].1.id), (1, entry.id));
    storage.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn the_history_reads_the_newest_orders_from_a_list_kept_with_them() {
    let storage = fresh().await;
    let terminal = Uuid::new_v4();
    for _ in 0..5 {
        storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]).await.unwrap();
    }
    let newest: Vec<i64> =
        storage.recent_orders(3).await.unwrap().iter().map(|o| o.order.invoice_number).collect();
    assert_eq!(newest, [5, 4, 3]);
    assert_eq!(storage.recent_orders(50).await.unwrap().len(), 5, "each order once");
    // A tablet upgraded from before the list: it is rebuilt from the orders.
    storage.remove_value("recent-orders").await.unwrap();
    let rebuilt: Vec<i64> =
        storage.recent_orders(10).await.unwrap().iter().map(|o| o.order.invoice_number).collect();
    assert_eq!(rebuilt.len(), 5);
    assert_eq!(rebuilt.iter().copied().max(), Some(5));
    storage.delete().await.unwrap();
}

/// Counts the announcements another tab would hear (a channel object of its own).
struct OtherTab {
    heard: Rc<Cell<u32>>,
    channel: web_sys::BroadcastChannel,
    _on_message: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl OtherTab {
    fn listen() -> Self {
        use wasm_bindgen::JsCast;
        let heard = Rc::new(Cell::new(0u32));
        let counter = heard.clone();
        let channel = web_sys::BroadcastChannel::new("possum-outbox").unwrap();
        let on_message = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |_: web_sys::MessageEvent| counter.set(counter.get() + 1),
        );
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Self { heard, channel, _on_message: on_message }
    }

    async fn heard(&self) -> u32 {
        support::sleep(100).await;
        self.heard.replace(0)
    }
}

impl Drop for OtherTab {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

#[wasm_bindgen_test]
async fn every_write_to_the_outbox_is_announced_to_the_other_tabs_a_new_customer_too() {
    use possum_contract::customer::Customer;
    let storage = fresh().await;
    let other = OtherTab::listen();
    // A customer created at the till: it was the one write that went unannounced.
    let customer = Customer::new(Uuid::new_v4(), "Eva Lund");
    let change = possum_register::new_customer::creation(&customer, Uuid::new_v4(), Utc::now());
    storage.create_customer(&customer, &change).await.unwrap();
    assert_eq!(other.heard().await, 1, "a new customer");

    let terminal = Uuid::new_v4();
    let sold = storage.record_order(|n| order(terminal, n), OrderSync::Queued, None, vec![]).await.unwrap();
    assert_eq!(other.heard().await, 1, "a sale");
    let log = Entry::new(Uuid::new_v4(), PushKind::DeviceLog, "{}".into(), None, Utc::now());
    storage.enqueue(&[log]).await.unwrap();
    assert_eq!(other.heard().await, 1, "a device log");
    let seq = storage.outbox().await.unwrap().seq_of(sold.order.id).unwrap();
    storage.settle(Settlement { remove: vec![seq], ..Settlement::default() }).await.unwrap();
    assert_eq!(other.heard().await, 1, "a settled flush round");

    // A write that queues nothing is no news.
    storage.save_cart(&possum_register::cart::Cart::new(1)).await.unwrap();
    storage.resume_invoice_numbers(1_000).await.unwrap();
    assert_eq!(other.heard().await, 0);
    drop(other);
    storage.delete().await.unwrap();
}
