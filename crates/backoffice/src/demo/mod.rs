//! The demo car wash, and large generated tenants for benchmarks.
//! The fixtures a tester needs are listed in `docs/demo-data.md`.

pub mod commerce;
mod shop;

use shop::{categories, combinations, customers, products, users};

use crate::auth::add_terminal;
use crate::error::ApiResult;
use crate::store::sql::Tx;
use crate::store::{clock, entity, Store, TenantInfo};
use chrono::{Local, NaiveDate};
use possum_contract::catalogue::*;
use possum_contract::customer::{Customer, DepositHistory, DepositKind};
use possum_contract::sale::{ean13_check_digit, PaymentMethod};
use possum_contract::settings::*;
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

pub const DEMO_TENANT: &str = "demo";
/// The seed's own sample login (000, step 1).
pub const DEMO_USERNAME: &str = "terminal.user@possum.com";
pub const DEMO_PASSWORD: &str = "SuperSecret123!";
pub const KIOSK_USERNAME: &str = "kiosk.terminal@possum.com";

pub(crate) fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a literal amount")
}

fn prices(list: &[(u8, &str)]) -> Vec<GroupPrice> {
    list.iter().map(|(g, p)| GroupPrice { price_group: *g, price: d(p) }).collect()
}

/// A valid EAN-13 from twelve leading digits.
pub fn ean13(first12: u64) -> String {
    let text = format!("{first12:012}");
    let digits: [u8; 12] = std::array::from_fn(|i| text.as_bytes()[i] - b'0');
    format!("{text}{}", ean13_check_digit(&digits))
}

/// Ids derived from a name, so the demo data is the same on every machine.
pub(crate) fn id(name: &str) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("possum-demo:{name}").as_bytes())
}

pub fn demo_settings() -> TerminalSettings {
    use PaymentMethod::*;
    TerminalSettings {
        company_name: "Demo Car Wash".into(),
        currency: "SEK".into(),
        prices_include_vat: true,
        price_decimals: 2,
        rounding_mode: RoundingMode::HalfUp,
        cash_rounding: Decimal::ONE,
        default_price_group: 1,
        price_groups: vec![
            PriceGroup { number: 1, name: "Standard".into() },
            PriceGroup { number: 2, name: "Member".into() },
            PriceGroup { number: 3, name: "Fleet".into() },
        ],
        cash_desks: vec![
            CashDesk {
                client_number: 1,
                name: "Shop counter".into(),
                wash_tokens: true,
                feedback: true,
                payment_methods: vec![
                    CashPayment,
                    CardPayment,
                    CreditPayment,
                    PrepaidPayment,
                    SwishPayment,
                    BirthdayWashPayment,
                    SubscriptionPayment,
                ],
                printers: vec![],
                favourites: ["W100", "W200", "W300", "K200", "C100", "X30"].map(String::from).to_vec(),
            },
            CashDesk {
                client_number: 2,
                name: "Wash lane kiosk".into(),
                wash_tokens: true,
                feedback: false,
                payment_methods: vec![
                    CardPayment,
                    CreditPayment,
                    PrepaidPayment,
                    SwishPayment,
                    SubscriptionPayment,
                ],
                printers: vec![],
                favourites: vec![],
            },
        ],
        feedback_portal_base_url: "https://feedback.possum.example/demo-car-wash".into(),
        birthday_wash: BirthdayWashPeriod { days_before: 3, days_after: 7 },
        sync_interval_seconds: 60,
        receipt_header: "Open every day 7–21".into(),
        organisation_number: "556000-0000".into(),
        sales_address: "Storgatan 1, 211 22 Malmö".into(),
        receipt_language: "sv".into(),
        receipt_footer: "Thank you for washing with us!".into(),
        wash_programs: commerce::wash_programs(),
        plans: commerce::plans(),
        ..TerminalSettings::default()
    }
}

/// Writes a tenant's reference data in one transaction.
fn write_reference(
    store: &Store,
    tenant: &TenantInfo,
    settings: &TerminalSettings,
    mut write_more: impl FnMut(&Tx<'_>, i64) -> ApiResult<()> + Send,
) -> ApiResult<()> {
    let db = store.tenant(tenant.id)?;
    db.write_blocking(|tx| {
        let stamp = clock::next_stamp(tx)?;
        for row in settings.to_rows(|key| id(&format!("setting:{key}"))) {
            entity::upsert(tx, stamp, &row)?;
        }
        for row in users() {
            entity::upsert(tx, stamp, &row)?;
        }
        for row in categories() {
            entity::upsert(tx, stamp, &row)?;
        }
        write_more(tx, stamp)
    })
}

/// Creates the demo car wash unless it exists. Answers whether it created it.
pub fn ensure_demo(store: &Store) -> ApiResult<bool> {
    // Instances starting together over one PostgreSQL create it once.
    store.exclusively("demo", || create_demo(store))
}

fn create_demo(store: &Store) -> ApiResult<bool> {
    if store.find_tenant(DEMO_TENANT)?.is_some() {
        return Ok(false);
    }
    let tenant = store.create_tenant(DEMO_TENANT)?;
    let today = Local::now().date_naive();
    write_reference(store, &tenant, &demo_settings(), |tx, stamp| {
        for row in products() {
            entity::upsert(tx, stamp, &row)?;
        }
        for row in combinations() {
            entity::upsert(tx, stamp, &row)?;
        }
        let mut people = customers(today);
        commerce::write(tx, stamp, today, &mut people)?;
        for row in people {
            entity::upsert(tx, stamp, &row)?;
        }
        let eva = id("customer:10000001");
        entity::upsert(
            tx,
            stamp,
            &DepositHistory {
                id: id("deposit:eva"),
                customer_id: eva,
                kind: DepositKind::Deposit,
                amount: d("500.00"),
                balance_after: d("500.00"),
                created_at: clock::to_datetime(clock::now_us()),
                note: Some("Prepaid top-up".into()),
                order_id: None,
            },
        )?;
        Ok(())
    })?;
    add_terminal(store, tenant.id, DEMO_USERNAME, DEMO_PASSWORD, 1, "Shop counter terminal")?;
    add_terminal(store, tenant.id, KIOSK_USERNAME, DEMO_PASSWORD, 2, "Wash lane kiosk terminal")?;
    Ok(true)
}

/// A tenant with `products` products and `customers` customers, for benchmarks.
pub fn generate(
    store: &Store,
    name: &str,
    username: &str,
    password: &str,
    product_count: u32,
    customer_count: u32,
) -> ApiResult<TenantInfo> {
    let tenant = store.create_tenant(name)?;
    let category_ids: Vec<Uuid> = categories().iter().map(|c| c.id).collect();
    let words = [
        "Wash", "Wax", "Foam", "Polish", "Cloth", "Brush", "Shine", "Fluid", "Spray", "Kit", "Care", "Shield",
    ];
    let colours = ["Red", "Blue", "Green", "Black", "White", "Silver", "Gold", "Orange"];
    write_reference(store, &tenant, &demo_settings(), |tx, stamp| {
        for n in 0..product_count {
            let cents = 1_000 + (u64::from(n) * 7_919) % 99_000;
            let product = Product {
                id: Uuid::new_v4(),
                article_number: format!("P{n:06}"),
                barcode: Some(ean13(200_000_000_000 + u64::from(n))),
                name: format!("{} {} {}", colours[n as usize % 8], words[n as usize / 8 % 12], n),
                category_id: Some(category_ids[n as usize % category_ids.len()]),
                prices: vec![
                    GroupPrice { price_group: 1, price: Decimal::new(cents as i64, 2) },
                    GroupPrice { price_group: 2, price: Decimal::new((cents * 9 / 10) as i64, 2) },
                ],
                vat_percent: Decimal::from(25),
                is_wash: n % 50 == 0,
                blocked: n % 997 == 0,
                sort_order: n as i32,
            };
            entity::upsert(tx, stamp, &product)?;
        }
        // Names and plates as a shop has them: names repeat, plates do not ("ABC 123").
        let first = [
            "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Anders", "Sara", "Per", "Lena",
            "Nils", "Emma", "Olof", "Ida", "Karl",
        ];
        let last = [
            "Andersson",
            "Johansson",
            "Karlsson",
            "Nilsson",
            "Eriksson",
            "Larsson",
            "Olsson",
            "Persson",
            "Svensson",
            "Gustafsson",
            "Pettersson",
            "Jonsson",
            "Lindberg",
            "Lindqvist",
            "Berg",
            "Holm",
            "Lund",
            "Sandberg",
            "Ek",
            "Wallin",
        ];
        let letter = |i: u32| char::from(b'A' + (i % 26) as u8);
        for n in 0..customer_count {
            let customer = Customer {
                id: Uuid::new_v4(),
                name: format!(
                    "{} {}",
                    first[n as usize % first.len()],
                    last[n as usize / first.len() % last.len()]
                ),
                card_number: Some(format!("{}", 50_000_000 + n)),
                card_uid: Some(u64::from(n) + 1_000_000),
                license_plate: Some(format!(
                    "{}{}{} {:03}",
                    letter(n / 26_000),
                    letter(n / 1_000),
                    letter(n / 26_000 / 26),
                    n % 1_000
                )),
                email: None,
                phone: None,
                birthday: NaiveDate::from_ymd_opt(1950 + (n % 50) as i32, 1 + n % 12, 1 + n % 28),
                price_group: None,
                credit_line: Decimal::ZERO,
                balance: Decimal::from(n % 1000),
                locked: n % 500 == 0,
                allowed_clients: vec![],
                last_birthday_wash: None,
                loyalty: vec![],
            };
            entity::upsert(tx, stamp, &customer)?;
        }
        Ok(())
    })?;
    add_terminal(store, tenant.id, username, password, 1, "Benchmark terminal")?;
    Ok(tenant)
}
