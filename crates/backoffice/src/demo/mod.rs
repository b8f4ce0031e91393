//! The demo car wash, and large generated tenants for benchmarks.
//! The fixtures a tester needs are listed in `docs/demo-data.md`.

pub mod commerce;

use crate::auth::add_terminal;
use crate::error::ApiResult;
use crate::hashing::hash_secret;
use crate::store::sql::Tx;
use crate::store::{clock, entity, Store, TenantInfo};
use chrono::{Datelike, Local, NaiveDate};
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

fn users() -> Vec<User> {
    let user = |name: &str, role, card: &str, pin: &str, active| User {
        id: id(&format!("user:{card}")),
        name: name.into(),
        role,
        cashier_card_number: Some(card.into()),
        pin_hash: Some(hash_secret(pin)),
        active,
    };
    vec![
        user("Anna Andersson", Role::Cashier, "1001", "1234", true),
        user("Magnus Manager", Role::Manager, "2001", "24682468", true),
        user("Ada Admin", Role::Admin, "3001", "99999999", true),
        user("Fred Former", Role::Cashier, "4001", "1111", false),
    ]
}

fn categories() -> Vec<Category> {
    [("Washes", "#1e6fd9"), ("Extras", "#2e7d32"), ("Car care", "#b45309"), ("Café", "#7b1fa2")]
        .iter()
        .enumerate()
        .map(|(i, (name, color))| Category {
            id: id(&format!("category:{name}")),
            name: (*name).into(),
            parent_id: None,
            sort_order: i as i32,
            color: Some((*color).into()),
        })
        .collect()
}

fn products() -> Vec<Product> {
    let cat = |name: &str| Some(id(&format!("category:{name}")));
    let product = |n: i32,
                   article: &str,
                   name: &str,
                   category: &str,
                   p: &[(u8, &str)],
                   vat: &str,
                   is_wash: bool,
                   blocked: bool| Product {
        id: id(&format!("product:{article}")),
        article_number: article.into(),
        barcode: Some(ean13(731_000_000_000 + n as u64)),
        name: name.into(),
        category_id: cat(category),
        prices: prices(p),
        vat_percent: d(vat),
        is_wash,
        blocked,
        sort_order: n,
    };
    vec![
        product(
            1,
            "W100",
            "Basic wash",
            "Washes",
            &[(1, "149.00"), (2, "129.00"), (3, "119.00")],
            "25",
            true,
            false,
        ),
        product(
            2,
            "W200",
            "Premium wash",
            "Washes",
            &[(1, "229.00"), (2, "199.00"), (3, "189.00")],
            "25",
            true,
            false,
        ),
        product(
            3,
            "W300",
            "Ultimate wash",
            "Washes",
            &[(1, "299.00"), (2, "259.00"), (3, "249.00")],
            "25",
            true,
            false,
        ),
        product(4, "X10", "Wheel wash", "Extras", &[(1, "49.00"), (2, "39.00")], "25", false, false),
        product(5, "X20", "Underbody wash", "Extras", &[(1, "59.00"), (2, "49.00")], "25", false, false),
        product(6, "X30", "Hot wax", "Extras", &[(1, "79.00"), (2, "69.00")], "25", false, false),
        product(7, "S100", "Microfibre cloth", "Car care", &[(1, "89.90")], "25", false, false),
        product(8, "S200", "Washer fluid 5 l", "Car care", &[(1, "99.50")], "25", false, false),
        product(9, "S300", "Tyre shine", "Car care", &[(1, "129.00")], "25", false, false),
        product(10, "S900", "Carnauba wax (discontinued)", "Car care", &[(1, "49.00")], "25", false, true),
        product(11, "C100", "Coffee", "Café", &[(1, "25.00")], "12", false, false),
        product(12, "C200", "Cinnamon bun", "Café", &[(1, "32.50")], "12", false, false),
        product(13, "M030", "Wash club, 30 days", "Washes", &[(1, "399.00")], "25", false, false),
    ]
}

fn combinations() -> Vec<ProductCombination> {
    let combo = |article: &str, name: &str, p: &[(u8, &str)], parts: &[(&str, i32)]| ProductCombination {
        id: id(&format!("combination:{article}")),
        article_number: article.into(),
        name: name.into(),
        category_id: Some(id("category:Washes")),
        prices: prices(p),
        parts: parts
            .iter()
            .map(|(a, q)| CombinationPart { article_number: (*a).into(), quantity: *q })
            .collect(),
        blocked: false,
    };
    vec![
        combo("K200", "Premium wash + hot wax", &[(1, "269.00"), (2, "239.00")], &[("W200", 1), ("X30", 1)]),
        combo(
            "K300",
            "Ultimate + wheels + underbody",
            &[(1, "379.00")],
            &[("W300", 1), ("X10", 1), ("X20", 1)],
        ),
    ]
}

fn birthday_in_1980(day: NaiveDate) -> NaiveDate {
    day.with_year(1980).unwrap_or_else(|| NaiveDate::from_ymd_opt(1980, 2, 28).expect("a date"))
}

fn customers(today: NaiveDate) -> Vec<Customer> {
    let base = |card: &str, name: &str| Customer {
        card_number: Some(card.into()),
        ..Customer::new(id(&format!("customer:{card}")), name)
    };
    let mut list = vec![
        Customer {
            card_uid: Some(3_735_928_559),
            license_plate: Some("ABC123".into()),
            email: Some("eva.ek@example.com".into()),
            phone: Some("+46701234567".into()),
            birthday: NaiveDate::from_ymd_opt(1985, 5, 17),
            price_group: Some(2),
            balance: d("500.00"),
            ..base("10000001", "Eva Ek")
        },
        Customer {
            license_plate: Some("FLT001".into()),
            price_group: Some(3),
            credit_line: d("5000.00"),
            balance: d("-4900.00"),
            ..base("10000002", "Fleet Logistics AB")
        },
        Customer {
            license_plate: Some("LCK999".into()),
            locked: true,
            balance: d("100.00"),
            ..base("10000003", "Lars Lock")
        },
        Customer { birthday: Some(birthday_in_1980(today)), ..base("10000004", "Berit Birthday") },
        Customer { ..base("10000005", "Nils Nobirthday") },
        Customer {
            birthday: Some(birthday_in_1980(today + chrono::Duration::days(60))),
            ..base("10000006", "Olle Outside")
        },
        Customer { balance: d("20.00"), ..base("10000007", "Petra Prepaid") },
        Customer {
            allowed_clients: vec![2],
            balance: d("300.00"),
            license_plate: Some("KSK222".into()),
            ..base("10000008", "Karl Kiosk")
        },
        Customer {
            birthday: Some(birthday_in_1980(today)),
            last_birthday_wash: Some(today),
            ..base("10000009", "Astrid Already")
        },
        Customer {
            credit_line: d("2000.00"),
            license_plate: Some("CRD100".into()),
            ..base("10000010", "Carl Credit")
        },
    ];
    let first = ["Alva", "Bo", "Cecilia", "David", "Elin", "Filip", "Greta", "Hugo", "Ida", "Jonas"];
    let last = ["Berg", "Holm", "Lind", "Nyström", "Sjöberg"];
    for n in 0..40u64 {
        let card = format!("{}", 10_000_100 + n);
        list.push(Customer {
            license_plate: Some(format!("DEM{n:03}")),
            balance: Decimal::from(n * 25),
            ..base(&card, &format!("{} {}", first[(n % 10) as usize], last[(n / 10 % 5) as usize]))
        });
    }
    list
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
