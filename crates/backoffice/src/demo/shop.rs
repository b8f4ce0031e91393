//! The demo car wash's staff, catalogue and customers: the fixtures
//! `docs/demo-data.md` lists. Change one, change that document too.

use super::{d, ean13, id, prices};
use crate::hashing::hash_secret;
use chrono::{Datelike, NaiveDate};
use possum_contract::catalogue::*;
use possum_contract::customer::Customer;
use rust_decimal::Decimal;

pub(super) fn users() -> Vec<User> {
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

pub(super) fn categories() -> Vec<Category> {
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

pub(super) fn products() -> Vec<Product> {
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

pub(super) fn combinations() -> Vec<ProductCombination> {
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

pub(super) fn customers(today: NaiveDate) -> Vec<Customer> {
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
