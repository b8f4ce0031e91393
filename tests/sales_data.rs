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

#[wasm_bindgen_test]
fn the_browsers_zones_give_the_shops_offset_and_no_zone_for_a_name_chrono_tz_refuses() {
    use possum_register::deals::ZoneRules;
    use possum_terminal::catalogue::BrowserZones;
    let winter: chrono::DateTime<Utc> = "2026-12-03T05:00:00Z".parse().unwrap();
    let summer: chrono::DateTime<Utc> = "2026-06-03T05:00:00Z".parse().unwrap();
    let hours = |zone: &str, at| BrowserZones.offset(zone, at).map(|o| o.local_minus_utc() / 3600);
    assert_eq!(hours("Europe/Stockholm", winter), Some(1));
    assert_eq!(hours("Europe/Stockholm", summer), Some(2));
    assert_eq!(hours("America/New_York", winter), Some(-5));
    assert_eq!(hours("UTC", winter), Some(0));
    assert_eq!(hours("europe/stockholm", winter), None, "chrono-tz takes names as written");
    assert_eq!(hours("Mars/Olympus", winter), None);
    assert_eq!(hours("", winter), None);
    let s = TerminalSettings { time_zone: "Europe/Stockholm".into(), ..TerminalSettings::default() };
    let late: chrono::DateTime<Utc> = "2026-12-03T23:30:00Z".parse().unwrap();
    let shop = possum_terminal::catalogue::shop_time(late, &s);
    assert_eq!(shop.to_string(), "2026-12-04 00:30:00");
}

fn morning_campaign() -> possum_contract::campaign::Campaign {
    use possum_contract::campaign::{Campaign, CampaignRule, Hours};
    Campaign {
        id: Uuid::from_u128(10),
        name: "Morning underbody wash 39 kr".into(),
        valid_from: "2026-01-01".parse().unwrap(),
        valid_to: "2026-12-31".parse().unwrap(),
        weekdays: vec![1, 2, 3, 4, 5],
        hours: Some(Hours { from: "06:00:00".parse().unwrap(), to: "10:00:00".parse().unwrap() }),
        cash_desks: vec![1],
        price_groups: vec![],
        rule: CampaignRule::FixedPrice { article_number: "X20".into(), price: Decimal::from(39) },
    }
}

fn extra(article: &str, price: u32) -> Product {
    Product {
        id: Uuid::from_u128(u128::from(price)),
        article_number: article.into(),
        barcode: None,
        name: article.into(),
        category_id: Some(Uuid::from_u128(7)),
        prices: vec![GroupPrice { price_group: 1, price: Decimal::from(price) }],
        vat_percent: Decimal::from(25),
        is_wash: false,
        blocked: false,
        sort_order: 0,
    }
}

#[wasm_bindgen_test]
async fn the_sale_screens_offers_come_from_the_cache_and_price_the_cart_in_the_shops_time() {
    use possum_contract::settings::Setting;
    use possum_register::cart::{Article, Cart};
    use possum_register::deals::Verdict;
    use possum_terminal::catalogue::{Catalogue, OwnSales};
    let store = fresh().await;
    let bad = Setting {
        id: Uuid::from_u128(11),
        key: "Campaign:broken".into(),
        value: serde_json::json!({ "Name": "half a campaign" }),
    };
    let zone = Setting { id: Uuid::from_u128(12), key: "TimeZone".into(), value: "Europe/Stockholm".into() };
    apply(&store, page(vec![morning_campaign().to_row(), bad, zone], vec![])).await;
    apply(&store, page(vec![extra("X20", 59)], vec![])).await;
    apply(&store, page(vec![fleet_program()], vec![])).await;
    apply(&store, page(vec![plan(1, "DEM000", SubscriptionStatus::Active)], vec![])).await;
    let catalogue = Catalogue::load(&store).await.unwrap();
    let offers = &catalogue.offers;
    assert_eq!(offers.campaigns, vec![morning_campaign()], "the broken row is skipped alone");
    assert_eq!(offers.problems.len(), 1, "{:?}", offers.problems);
    assert_eq!((offers.programs.len(), offers.plan_count()), (1, 1));

    let s = store.settings().await.unwrap();
    let mut cart = Cart::new(1);
    cart.add(Article::from_product(&extra("X20", 59)), &s).unwrap();
    let own = OwnSales::load(&store).await.unwrap();
    // Thursday 07:30 in Stockholm is 06:30 UTC: the campaign's price.
    let thursday: chrono::DateTime<Utc> = "2026-12-03T06:30:00Z".parse().unwrap();
    catalogue.reprice(&mut cart, 1, &own, thursday, &s);
    assert_eq!(cart.totals(&s).total, Decimal::from(39));
    // 10:30 in Stockholm (09:30 UTC, still before ten in UTC): no longer.
    let later: chrono::DateTime<Utc> = "2026-12-03T09:30:00Z".parse().unwrap();
    catalogue.reprice(&mut cart, 1, &own, later, &s);
    assert_eq!(cart.totals(&s).total, Decimal::from(59));
    let why = catalogue.explain(&cart, 1, &own, later, &s);
    assert!(matches!(why[0].verdict, Verdict::NotInForce(_)), "{why:?}");
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_subscribed_car_is_covered_once_a_day_counting_the_wash_sold_here_offline() {
    use possum_contract::activity::OrderPayment;
    use possum_contract::sale::PaymentMethod;
    use possum_register::subscription::{Car, Refused};
    use possum_terminal::catalogue::{Catalogue, OwnSales};
    let store = fresh().await;
    let (alva, bo) =
        (plan(1, "DEM000", SubscriptionStatus::Active), plan(2, "DEM001", SubscriptionStatus::Paused));
    apply(&store, page(vec![alva.clone(), bo], vec![])).await;
    let catalogue = Catalogue::load(&store).await.unwrap();
    let s = store.settings().await.unwrap();
    let now = Utc::now();
    let car = |plate| Car { plate: Some(plate), tag: None };
    let own = OwnSales::load(&store).await.unwrap();
    let covered = catalogue.wash_cover(car("dem 000"), "W200", &own, now, &s).map(|p| p.id);
    assert_eq!(covered, Ok(alva.id));
    let paused = catalogue.wash_cover(car("DEM001"), "W200", &own, now, &s).unwrap_err();
    assert!(paused.to_string().contains("paused"), "{paused}");
    assert_eq!(catalogue.wash_cover(car("NOP123"), "W200", &own, now, &s), Err(Refused::NoPlan));

    // The wash is sold here offline: the plan, as pulled, does not count it yet.
    let paid = |n| Order {
        customer_id: Some(alva.customer_id),
        payments: vec![OrderPayment {
            method: PaymentMethod::SubscriptionPayment,
            amount: Decimal::from(229),
            tendered: None,
            change: None,
        }],
        ..sale(n, &[("W200", true)])
    };
    store.record_sale(paid, OrderSync::Queued, None, vec![], &s).await.unwrap();
    let own = OwnSales::load(&store).await.unwrap();
    let second = catalogue.wash_cover(car("DEM000"), "W200", &own, now, &s).unwrap_err();
    assert!(second.to_string().contains("used today"), "{second}");
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn clock_events_are_queued_for_the_back_office_and_a_repeat_is_refused_with_nothing_queued() {
    use possum_contract::activity::{EmployeeEvent, EmployeeLog};
    use possum_contract::endpoints::PushKind;
    use possum_register::staff_time;
    let store = fresh().await;
    let (terminal, anna) = (Uuid::from_u128(9), Uuid::from_u128(1));
    let at = |event| staff_time::log(terminal, anna, event, Utc::now());
    store.record_staff_time(&at(EmployeeEvent::ClockIn)).await.unwrap();
    store.record_staff_time(&at(EmployeeEvent::SignIn)).await.unwrap();
    let again = store.record_staff_time(&at(EmployeeEvent::ClockIn)).await.unwrap_err();
    assert!(again.to_string().contains("clocked in already"), "{again}");
    assert!(staff_time::is_clocked_in(&store.staff_clock().await.unwrap(), anna));
    store.record_staff_time(&at(EmployeeEvent::ClockOut)).await.unwrap();
    assert!(!staff_time::is_clocked_in(&store.staff_clock().await.unwrap(), anna));

    let queued = store.outbox().await.unwrap().plain();
    let events: Vec<EmployeeEvent> = queued
        .iter()
        .filter(|e| e.kind == PushKind::EmployeeLog)
        .map(|e| serde_json::from_str::<EmployeeLog>(&e.body).unwrap().event)
        .collect();
    assert_eq!(events, [EmployeeEvent::ClockIn, EmployeeEvent::SignIn, EmployeeEvent::ClockOut]);
    store.delete().await.unwrap();
}
