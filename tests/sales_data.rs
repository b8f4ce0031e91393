//! What the sale screen sells with, in headless Chromium: discount programs
//! and subscriptions cached with their tombstones, the upgrade from version 5
//! that keeps the cache, the wash-token reserve taken in the sale's own
//! transaction (never one set twice, also from two connections), and staff
//! time queued in the outbox.

use chrono::Utc;
use indexed_db_futures::prelude::*;
use possum_contract::activity::{Order, OrderKind, OrderLine};
use possum_contract::catalogue::{GroupPrice, Product};
use possum_contract::endpoints::PullModule;
use possum_contract::loyalty::{DiscountProgram, ProgramDiscount, Subscription, SubscriptionStatus};
use possum_contract::settings::{CashDesk, TerminalSettings, WashProgram};
use possum_contract::sync::SyncPage;
use possum_contract::wash_token::{parse, ReservedToken};
use possum_terminal::storage::cache::{indexes, store_name, stored_page, Cached, Marker, BY_ID};
use possum_terminal::storage::ledger::OrderSync;
use possum_terminal::storage::Storage;
use rust_decimal::Decimal;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh() -> Storage {
    Storage::open(&format!("possum-test-sales-data-{}", Uuid::new_v4())).await.expect("open IndexedDB")
}

fn page<T>(items: Vec<T>, deleted: Vec<Uuid>) -> SyncPage<T> {
    SyncPage {
        items,
        deleted,
        next_last_executed_date: Utc::now(),
        next_after_id: None,
        has_more: false,
        server_time: Utc::now(),
    }
}

async fn apply<T: Cached>(store: &Storage, p: SyncPage<T>) {
    let previous = store.marker(T::MODULE).await.unwrap();
    let marker = Marker::after(previous.as_ref(), &p, Utc::now());
    store.apply_page(T::MODULE, stored_page(p).unwrap(), &marker).await.expect("apply a page");
}

fn fleet_program() -> DiscountProgram {
    DiscountProgram {
        id: Uuid::from_u128(50),
        name: "Fleet 10 % on extras".into(),
        customer_groups: vec!["Fleet".into()],
        customer_ids: vec![],
        discounts: vec![ProgramDiscount {
            category_id: Some(Uuid::from_u128(7)),
            article_number: None,
            percent: Decimal::from(10),
        }],
    }
}

fn plan(n: u128, plate: &str, status: SubscriptionStatus) -> Subscription {
    Subscription {
        id: Uuid::from_u128(n),
        customer_id: Uuid::from_u128(1000 + n),
        plan: "Wash club".into(),
        license_plate: Some(plate.into()),
        card_uid: Some(3_735_928_559 + n as u64),
        article_numbers: vec!["W200".into(), "W300".into()],
        status,
        valid_until: "2099-12-31".parse().unwrap(),
        washes_per_day: 1,
        last_wash_day: None,
        washes_on_last_day: 0,
    }
}

#[wasm_bindgen_test]
async fn programs_and_subscriptions_are_cached_found_by_plate_and_tag_and_tombstones_remove_them() {
    let store = fresh().await;
    apply(&store, page(vec![fleet_program()], vec![])).await;
    let (active, paused) =
        (plan(1, "DEM000", SubscriptionStatus::Active), plan(2, "DEM001", SubscriptionStatus::Paused));
    apply(&store, page(vec![active.clone(), paused.clone()], vec![])).await;
    assert_eq!(store.all::<DiscountProgram>().await, Ok(vec![fleet_program()]));
    assert_eq!(store.count(PullModule::Subscriptions).await, Ok(2));
    assert_eq!(store.find::<Subscription>("by_plate", "DEM001").await, Ok(Some(paused.clone())));
    assert_eq!(store.find::<Subscription>("by_uid", "3735928560").await, Ok(Some(active.clone())));

    // The paused plan is resumed, the program ended: a changed row and a tombstone.
    let resumed = Subscription { status: SubscriptionStatus::Active, ..paused.clone() };
    apply(&store, page(vec![resumed.clone()], vec![])).await;
    apply(&store, page::<DiscountProgram>(vec![], vec![fleet_program().id])).await;
    assert_eq!(store.all::<DiscountProgram>().await, Ok(vec![]));
    assert_eq!(store.find::<Subscription>("by_plate", "DEM001").await, Ok(Some(resumed)));
    apply(&store, page::<Subscription>(vec![], vec![active.id])).await;
    assert_eq!(store.find::<Subscription>("by_plate", "DEM000").await, Ok(None));
    assert_eq!(store.count(PullModule::Subscriptions).await, Ok(1));
    assert!(store.marker(PullModule::Subscriptions).await.unwrap().is_some());
    store.delete().await.unwrap();
}

/// The modules a version 5 database had (before programs and subscriptions).
const VERSION_5_MODULES: [PullModule; 7] = [
    PullModule::Settings,
    PullModule::Users,
    PullModule::Categories,
    PullModule::Products,
    PullModule::ProductCombinations,
    PullModule::Customers,
    PullModule::DepositHistory,
];

#[wasm_bindgen_test]
async fn a_version_5_database_upgrades_and_keeps_its_cache_ledger_and_markers() {
    let name = format!("possum-test-v5-{}", Uuid::new_v4());
    // Version 5 as it was: no program, subscription or reserve store.
    let db = indexed_db_futures::database::Database::open(&name)
        .with_version(5u32)
        .with_on_upgrade_needed(|_, db| {
            for store in ["session", "markers", "staging"] {
                db.create_object_store(store).build()?;
            }
            possum_terminal::storage::ledger::create_stores(&db, &[])?;
            for module in VERSION_5_MODULES {
                let store = db.create_object_store(store_name(module)).with_key_path("id".into()).build()?;
                store.create_index(BY_ID.0, BY_ID.1.into()).with_multi_entry(true).build()?;
                for (index, field) in indexes(module) {
                    store.create_index(*index, (*field).into()).with_multi_entry(true).build()?;
                }
            }
            Ok(())
        })
        .await
        .unwrap();
    db.close();
    // The version 5 database, as a tablet of that version used it.
    let v5 = Storage::open_at(&name, 5).await.unwrap();
    assert_eq!(v5.db_version(), 5);
    let wash = Product {
        id: Uuid::from_u128(1),
        article_number: "W200".into(),
        barcode: None,
        name: "Premium wash".into(),
        category_id: None,
        prices: vec![GroupPrice { price_group: 1, price: "229.00".parse().unwrap() }],
        vat_percent: Decimal::from(25),
        is_wash: true,
        blocked: false,
        sort_order: 0,
    };
    apply(&v5, page(vec![wash.clone()], vec![])).await;
    let marker = v5.marker(PullModule::Products).await.unwrap();
    let sold =
        v5.record_order(|n| sale(n, &[("W200", true)]), OrderSync::Queued, None, vec![]).await.unwrap();
    drop(v5);

    let upgraded = Storage::open(&name).await.unwrap();
    assert_eq!(upgraded.db_version(), possum_terminal::storage::DB_VERSION);
    let names = upgraded.store_names();
    for expected in ["cache:discount_programs", "cache:subscriptions", "wash_tokens"] {
        assert!(names.contains(&expected.to_string()), "{expected} in {names:?}");
    }
    assert_eq!(upgraded.all::<Product>().await, Ok(vec![wash]));
    assert_eq!(upgraded.marker(PullModule::Products).await, Ok(marker), "no full pull after the update");
    assert_eq!(upgraded.order(sold.order.id).await, Ok(Some(sold)));
    assert_eq!(upgraded.unsent_orders().await.unwrap().len(), 1);
    // The new stores work at once.
    apply(&upgraded, page(vec![plan(1, "DEM000", SubscriptionStatus::Active)], vec![])).await;
    assert_eq!(upgraded.count(PullModule::Subscriptions).await, Ok(1));
    upgraded.delete().await.unwrap();
}

fn settings() -> TerminalSettings {
    TerminalSettings {
        cash_desks: vec![CashDesk {
            client_number: 1,
            name: "Desk 1".into(),
            wash_tokens: true,
            feedback: false,
            payment_methods: vec![],
            printers: vec![],
            favourites: vec![],
        }],
        wash_programs: vec![WashProgram { article_number: "W200".into(), program: 2 }],
        ..TerminalSettings::default()
    }
}

fn sale(number: i64, articles: &[(&str, bool)]) -> Order {
    Order {
        id: Uuid::new_v4(),
        kind: OrderKind::Sale,
        terminal_id: Uuid::from_u128(9),
        client_number: 1,
        invoice_number: number,
        created_at: Utc::now(),
        cashier_id: Uuid::from_u128(8),
        cashier_name: "Anna".into(),
        customer_id: None,
        price_group: 1,
        lines: articles
            .iter()
            .map(|(article, wash)| OrderLine {
                article_number: article.to_string(),
                name: article.to_string(),
                quantity: 1,
                unit_price: Decimal::from(229),
                discount: Decimal::ZERO,
                vat_percent: Decimal::from(25),
                line_total: Decimal::from(229),
                is_wash: *wash,
                combination_article_number: None,
                promotion: None,
            })
            .collect(),
        rounding: Decimal::ZERO,
        total: Decimal::from(229) * Decimal::from(articles.len() as u32),
        vat_total: Decimal::ZERO,
        payments: vec![],
        refund_of: None,
        sold_offline: true,
        token: None,
        approval: None,
        register_id: None,
    }
}

fn reserved(n: u128, digits: &str) -> ReservedToken {
    ReservedToken { id: Uuid::from_u128(n), digits: digits.into(), issued_at: Utc::now() }
}

async fn pull_reserve(store: &Storage, p: SyncPage<ReservedToken>, taken: &[(String, Uuid)]) {
    let previous = store.reserve_marker().await.unwrap();
    let marker = Marker::after(previous.as_ref(), &p, Utc::now());
    store.apply_reserve(&p, &marker, taken).await.expect("apply the reserve");
}

#[wasm_bindgen_test]
async fn a_wash_sale_takes_one_reserved_set_as_it_is_stored_and_two_sales_never_share_one() {
    let name = format!("possum-test-reserve-{}", Uuid::new_v4());
    let store = Storage::open(&name).await.unwrap();
    let s = settings();
    pull_reserve(
        &store,
        page(vec![reserved(1, "111111111"), reserved(2, "222222222"), reserved(3, "333333333")], vec![]),
        &[],
    )
    .await;
    // Two tabs sell a wash each at the same moment, each on its own connection.
    let other_tab = Storage::open(&name).await.unwrap();
    let (a, b) = futures::join!(
        store.record_sale(
            |n| sale(n, &[("C100", false), ("W200", true)]),
            OrderSync::Queued,
            None,
            vec![],
            &s
        ),
        other_tab.record_sale(|n| sale(n, &[("W200", true)]), OrderSync::Queued, None, vec![], &s),
    );
    let (a, b) = (a.unwrap().order, b.unwrap().order);
    let (ta, tb) = (a.token.clone().expect("a token"), b.token.clone().expect("a token"));
    assert_ne!(parse(&ta).unwrap().1, parse(&tb).unwrap().1, "one set, one sale");
    assert_eq!(parse(&ta).unwrap().0, 2, "the wash program's digits");
    // The stored and queued orders carry the token the receipt shows.
    assert_eq!(store.order(a.id).await.unwrap().unwrap().order.token, Some(ta.clone()));
    let queued = store.unsent_orders().await.unwrap();
    assert!(queued.iter().any(|o| o.token.as_deref() == Some(tb.as_str())));
    assert_eq!(store.reserve_count().await.unwrap().available, 1);

    // No wash, no token; a refund takes none either.
    let coffee = store.record_sale(|n| sale(n, &[("C100", false)]), OrderSync::Queued, None, vec![], &s);
    assert_eq!(coffee.await.unwrap().order.token, None);
    let refund = Order { kind: OrderKind::Refund, ..sale(0, &[("W200", true)]) };
    let refunded =
        store.record_order(|n| Order { invoice_number: n, ..refund }, OrderSync::Queued, None, vec![]);
    assert_eq!(refunded.await.unwrap().order.token, None);
    assert_eq!(store.reserve_count().await.unwrap().available, 1);

    // The last set, then none: the sale is stored without one (the back office issues it).
    let last = store.record_sale(|n| sale(n, &[("W200", true)]), OrderSync::Queued, None, vec![], &s);
    assert!(last.await.unwrap().order.token.is_some());
    let dry = store.record_sale(|n| sale(n, &[("W200", true)]), OrderSync::Queued, None, vec![], &s);
    let dry = dry.await.unwrap();
    assert_eq!(dry.order.token, None);
    assert_eq!(store.order(dry.order.id).await.unwrap().map(|o| o.order.id), Some(dry.order.id));
    drop(other_tab);
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_taken_set_stays_taken_until_its_tombstone_even_when_pulled_again() {
    let store = fresh().await;
    let s = settings();
    pull_reserve(&store, page(vec![reserved(1, "111111111"), reserved(2, "222222222")], vec![]), &[]).await;
    let sold = store.record_sale(|n| sale(n, &[("W200", true)]), OrderSync::Queued, None, vec![], &s);
    let token = sold.await.unwrap().order.token.unwrap();
    let taken_id = if parse(&token).unwrap().1 == "111111111" { 1 } else { 2 };
    // A whole pull sends both sets again: the taken one is not offered twice.
    store.forget_reserve_marker().await.unwrap();
    assert_eq!(store.reserve_marker().await, Ok(None));
    pull_reserve(&store, page(vec![reserved(1, "111111111"), reserved(2, "222222222")], vec![]), &[]).await;
    assert_eq!(store.reserve_count().await.unwrap().available, 1);
    assert!(store.reserve().await.unwrap().iter().all(|r| r.id != Uuid::from_u128(taken_id)));
    // The order arrived: the back office's tombstone removes the set for good.
    pull_reserve(&store, page(vec![reserved(3, "333333333")], vec![Uuid::from_u128(taken_id)]), &[]).await;
    let count = store.reserve_count().await.unwrap();
    assert_eq!((count.held, count.available), (2, 2));
    // A set an unsent order carries arrives taken (a reserve lost and pulled whole).
    let unsent = Uuid::new_v4();
    pull_reserve(&store, page(vec![reserved(4, "444444444")], vec![]), &[("444444444".into(), unsent)]).await;
    let count = store.reserve_count().await.unwrap();
    assert_eq!((count.held, count.available), (3, 2));
    store.delete().await.unwrap();
}
