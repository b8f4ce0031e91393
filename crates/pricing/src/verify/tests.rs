//! Table tests of the back office's checks: what a till produces passes, and
//! each way a terminal could bend an amount is refused with its reason.

use super::*;
use crate::article::{Article, Part};
use crate::lines::{order_lines, vat_total, Sold};
use crate::money::round_cash;
use possum_contract::activity::{Order, OrderKind, OrderLine, OrderPayment};
use possum_contract::catalogue::GroupPrice;
use possum_contract::sale::{PaymentMethod, SaleItem};
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use uuid::Uuid;

fn settings() -> TerminalSettings {
    TerminalSettings { cash_rounding: Decimal::ONE, ..TerminalSettings::default() }
}

fn product(number: &str, prices: &[(u8, Decimal)], vat: Decimal, wash: bool) -> Article {
    Article {
        article_number: number.into(),
        name: number.into(),
        prices: prices.iter().map(|(g, p)| GroupPrice { price_group: *g, price: *p }).collect(),
        vat_percent: vat,
        is_wash: wash,
        blocked: false,
        parts: vec![],
    }
}

fn book() -> PriceBook {
    let mut book = PriceBook::new();
    let w100 = product("W100", &[(1, dec!(149)), (2, dec!(129)), (3, dec!(119))], dec!(25), true);
    let w200 = product("W200", &[(1, dec!(229)), (2, dec!(199))], dec!(25), true);
    let x30 = product("X30", &[(1, dec!(79)), (2, dec!(69))], dec!(25), false);
    let coffee = product("C100", &[(1, dec!(25))], dec!(12), false);
    let part = |a: &Article| Part {
        article_number: a.article_number.clone(),
        name: a.name.clone(),
        quantity: 1,
        list_price: a.prices[0].price,
        vat_percent: a.vat_percent,
        is_wash: a.is_wash,
    };
    let k200 = Article {
        article_number: "K200".into(),
        name: "Premium + wax".into(),
        prices: vec![
            GroupPrice { price_group: 1, price: dec!(269) },
            GroupPrice { price_group: 2, price: dec!(239) },
        ],
        vat_percent: dec!(25),
        is_wash: true,
        blocked: false,
        parts: vec![part(&w200), part(&x30)],
    };
    for a in [w100, w200, x30, coffee, k200] {
        book.add_article(a);
    }
    book
}

/// The order lines a till makes of (article, quantity, sold unit price) in `group`.
fn lines(group: u8, sold: &[(&str, i32, Decimal)]) -> Vec<OrderLine> {
    let book = book();
    sold.iter()
        .flat_map(|(number, quantity, unit)| {
            let article = book.article(number).unwrap();
            let list = article.price(group, &settings()).unwrap();
            order_lines(&Sold::plain(article, *quantity, list, *unit), &settings())
        })
        .collect()
}

fn order(kind: OrderKind, lines: Vec<OrderLine>, method: PaymentMethod) -> Order {
    let s = settings();
    let sum: Decimal = lines.iter().map(|l| l.line_total).sum();
    let total = if method == PaymentMethod::CashPayment { round_cash(sum, &s) } else { sum };
    Order {
        id: Uuid::new_v4(),
        kind,
        terminal_id: Uuid::nil(),
        client_number: 1,
        invoice_number: 1,
        created_at: chrono::Utc::now(),
        cashier_id: Uuid::nil(),
        cashier_name: "Anna".into(),
        customer_id: None,
        price_group: 1,
        vat_total: vat_total(&lines, &s),
        rounding: total - sum,
        total,
        lines,
        payments: vec![OrderPayment { method, amount: total, tendered: None, change: None }],
        refund_of: None,
        sold_offline: false,
        token: None,
        approval: None,
        register_id: None,
    }
}

fn thursday_noon() -> crate::promotions::Moment {
    crate::promotions::Moment { local: "2026-12-03T12:00:00".parse().unwrap(), desk: 1, price_group: 1 }
}

fn none() -> PromotionBook {
    PromotionBook::none(thursday_noon())
}

fn check(lines: &[OrderLine], group: u8, entitled: u8) -> Result<LinesCheck, Refusal> {
    sold_lines(lines, group, entitled, false, &book(), &none(), &settings())
}

#[test]
fn what_a_till_makes_at_list_prices_passes_without_approval() {
    let sold = lines(1, &[("W100", 2, dec!(149)), ("C100", 1, dec!(25)), ("K200", 3, dec!(269))]);
    let result = check(&sold, 1, 1).unwrap();
    assert!(result.has_wash && !result.needs_approval && result.stale.is_empty(), "{result:?}");
    assert_eq!(result.given_away, Decimal::ZERO);
    assert_eq!(totals(&order(OrderKind::Sale, sold, PaymentMethod::CardPayment), &settings()), Ok(()));
}

#[test]
fn each_way_of_bending_a_line_is_refused_with_its_reason() {
    let good = lines(1, &[("W100", 1, dec!(149))]);
    let edit = |f: &dyn Fn(&mut OrderLine)| {
        let mut l = good.clone();
        f(&mut l[0]);
        l
    };
    let cases: Vec<(&str, Vec<OrderLine>, &str)> = vec![
        (
            "unit price of 1.00",
            edit(&|l| {
                l.unit_price = dec!(1);
                l.line_total = dec!(1);
            }),
            "not its price in price group 1",
        ),
        ("total not qty × price − discount", edit(&|l| l.line_total = dec!(5000)), "LineTotal is not"),
        (
            "negative discount",
            edit(&|l| {
                l.discount = dec!(-10);
                l.line_total = dec!(159);
            }),
            "LineTotal is not",
        ),
        ("unknown article", edit(&|l| l.article_number = "NOPE".into()), "is not in the catalogue"),
        ("wrong VAT", edit(&|l| l.vat_percent = dec!(6)), "VatPercent"),
        ("a wash claimed not a wash", edit(&|l| l.is_wash = false), "IsWash"),
        (
            "too much off",
            edit(&|l| {
                l.discount = dec!(100);
                l.line_total = dec!(49);
            }),
            "more than 50%",
        ),
        ("a combination as a plain line", edit(&|l| l.article_number = "K200".into()), "is a combination"),
    ];
    for (what, sold, reason) in cases {
        let refusal = check(&sold, 1, 1).expect_err(what);
        assert!(refusal.to_string().contains(reason), "{what}: {refusal}");
        assert!(refusal.place.starts_with("Lines[0]"), "{what}: {refusal}");
    }
}

#[test]
fn a_discount_or_a_price_group_the_customer_is_not_entitled_to_needs_an_approval() {
    let discounted = lines(1, &[("W100", 1, dec!(120))]);
    let d = check(&discounted, 1, 1).unwrap();
    assert!(d.needs_approval);
    assert_eq!(d.given_away, dec!(29));
    // Fleet prices for anyone: W100 at 119 instead of 149.
    let fleet = lines(3, &[("W100", 1, dec!(119))]);
    let f = check(&fleet, 3, 1).unwrap();
    assert!(f.needs_approval);
    assert_eq!(f.given_away, dec!(30));
    // The fleet customer's own group needs none.
    assert!(!check(&fleet, 3, 3).unwrap().needs_approval);
    // A price raised by hand needs one too, and gives nothing away.
    let raised = check(&lines(1, &[("W100", 1, dec!(159))]), 1, 1).unwrap();
    assert!(raised.needs_approval);
    assert_eq!(raised.given_away, Decimal::ZERO);
}

#[test]
fn a_combination_must_be_shared_out_as_the_catalogue_says() {
    let sold = lines(1, &[("K200", 1, dec!(269))]);
    assert!(check(&sold, 1, 1).is_ok());
    // Money moved from the wash (25 %) to the wax, same total.
    let mut moved = sold.clone();
    moved[0].line_total -= dec!(10);
    moved[0].discount += dec!(10);
    moved[1].line_total += dec!(10);
    moved[1].unit_price += dec!(10);
    assert!(check(&moved, 1, 1).unwrap_err().to_string().contains("shared out"));
    // A part missing.
    assert!(check(&sold[..1], 1, 1).unwrap_err().to_string().contains("parts"));
    // A combination sold below its price needs an approval.
    assert!(check(&lines(1, &[("K200", 1, dec!(200))]), 1, 1).unwrap().needs_approval);
}

#[test]
fn an_older_price_within_the_window_is_taken_as_sold_and_reported() {
    let mut book = book();
    book.add_earlier_price("W100", 1, dec!(139));
    let sold_old = {
        let article = book.article("W100").unwrap().clone();
        order_lines(&Sold::plain(&article, 2, dec!(139), dec!(139)), &settings())
    };
    let result = sold_lines(&sold_old, 1, 1, false, &book, &none(), &settings()).unwrap();
    assert!(!result.needs_approval);
    assert_eq!(result.stale.len(), 1);
    assert_eq!(result.stale[0].difference(), Some(dec!(-20)));
    assert_eq!(result.stale[0].reason, StaleReason::PriceChanged);
    // A price it never had is refused.
    let mut never = sold_old.clone();
    never[0].unit_price = dec!(138);
    never[0].discount = dec!(-2);
    assert!(sold_lines(&never, 1, 1, false, &book, &none(), &settings()).is_err());
}

#[test]
fn totals_are_the_sum_of_the_lines_paid_exactly() {
    let s = settings();
    let good = order(
        OrderKind::Sale,
        lines(1, &[("W100", 1, dec!(149)), ("C100", 1, dec!(25))]),
        PaymentMethod::CashPayment,
    );
    assert_eq!(totals(&good, &s), Ok(()));
    let bend = |f: &dyn Fn(&mut Order)| {
        let mut o = good.clone();
        f(&mut o);
        totals(&o, &s).unwrap_err().place
    };
    assert_eq!(bend(&|o| o.total = dec!(1)), "Total");
    assert_eq!(bend(&|o| o.vat_total = dec!(0)), "VatTotal");
    assert_eq!(bend(&|o| o.rounding = dec!(0.4)), "Rounding");
    assert_eq!(bend(&|o| o.payments[0].amount = dec!(100)), "Payments");
    assert_eq!(bend(&|o| o.invoice_number = i64::MAX), "InvoiceNumber");
    assert!(bend(&|o| o.lines[0].line_total = dec!(-149)).starts_with("Lines[0]"));
    let mut card = order(OrderKind::Sale, lines(1, &[("C100", 1, dec!(25))]), PaymentMethod::CardPayment);
    card.rounding = dec!(0.5);
    card.total += dec!(0.5);
    card.payments[0].amount = card.total;
    assert_eq!(totals(&card, &s).unwrap_err().place, "Rounding");
}

fn refund_of(sale: &Order, lines: Vec<OrderLine>, method: PaymentMethod) -> Order {
    let negated = lines
        .into_iter()
        .map(|l| OrderLine { quantity: -l.quantity, line_total: -l.line_total, ..l })
        .collect();
    let mut refund = order(OrderKind::Refund, negated, method);
    refund.payments[0].amount = refund.total;
    refund.refund_of = Some(sale.id);
    refund.customer_id = sale.customer_id;
    refund
}

#[test]
fn a_refund_is_bounded_by_its_sale_in_money_and_goes_back_the_way_it_was_paid() {
    let s = settings();
    let sale = order(OrderKind::Sale, lines(1, &[("W100", 1, dec!(149))]), PaymentMethod::CardPayment);
    let honest = refund_of(&sale, sale.lines.clone(), PaymentMethod::CardPayment);
    assert_eq!(refund_of_sale(&honest, &sale, &[], &s).unwrap().given_back, dec!(149));
    // 5,000 back for a 149 wash.
    let mut greedy = honest.clone();
    greedy.lines[0].line_total = dec!(-5000);
    assert!(refund_of_sale(&greedy, &sale, &[], &s).unwrap_err().to_string().contains("more than was paid"));
    // To another customer.
    let mut elsewhere = honest.clone();
    elsewhere.customer_id = Some(Uuid::new_v4());
    assert_eq!(refund_of_sale(&elsewhere, &sale, &[], &s).unwrap_err().place, "CustomerId");
    // A card sale back in cash, unless the tenant allows it.
    let cash = refund_of(&sale, sale.lines.clone(), PaymentMethod::CashPayment);
    assert!(refund_of_sale(&cash, &sale, &[], &s).unwrap_err().to_string().contains("did not pay this sale"));
    let allowing = TerminalSettings { cash_refunds_allowed: true, ..s.clone() };
    assert!(refund_of_sale(&cash, &sale, &[], &allowing).is_ok());
    // To a prepaid account the sale did not use.
    let prepaid = refund_of(&sale, sale.lines.clone(), PaymentMethod::PrepaidPayment);
    assert!(refund_of_sale(&prepaid, &sale, &[], &s).is_err());
    // Twice.
    assert!(
        refund_of_sale(&honest, &sale, std::slice::from_ref(&honest), &s).is_ok(),
        "the same refund again is itself"
    );
    let again = refund_of(&sale, sale.lines.clone(), PaymentMethod::CardPayment);
    assert!(refund_of_sale(&again, &sale, &[honest], &s)
        .unwrap_err()
        .to_string()
        .contains("refunded already"));
}

#[test]
fn partial_cash_refunds_may_each_round_but_never_run_away() {
    let s = settings();
    let sale = order(OrderKind::Sale, lines(1, &[("C100", 3, dec!(10.50))]), PaymentMethod::CashPayment);
    assert_eq!(sale.total, dec!(32));
    let mut earlier = vec![];
    for _ in 0..3 {
        let one = lines(1, &[("C100", 1, dec!(10.50))]);
        let refund = refund_of(&sale, one, PaymentMethod::CashPayment);
        assert_eq!(refund.total, dec!(-11));
        refund_of_sale(&refund, &sale, &earlier, &s).unwrap();
        earlier.push(refund);
    }
}

#[test]
fn a_refund_without_a_receipt_is_catalogue_priced_bounded_and_never_to_an_account() {
    let s = settings();
    let book = book();
    let refund = |sold: &[(&str, i32, Decimal)], method| {
        let ls = lines(1, sold)
            .into_iter()
            .map(|l| OrderLine { quantity: -l.quantity, line_total: -l.line_total, ..l })
            .collect();
        order(OrderKind::Refund, ls, method)
    };
    assert!(refund_without_receipt(
        &refund(&[("W100", 1, dec!(149))], PaymentMethod::CashPayment),
        1,
        &book,
        &s
    )
    .is_ok());
    let to_account = refund(&[("W100", 1, dec!(149))], PaymentMethod::PrepaidPayment);
    assert!(refund_without_receipt(&to_account, 1, &book, &s)
        .unwrap_err()
        .to_string()
        .contains("never to a customer account"));
    let big = refund(&[("W100", 4, dec!(149))], PaymentMethod::CashPayment);
    assert_eq!(refund_without_receipt(&big, 1, &book, &s).unwrap_err().place, "Total");
    let mut invented = refund(&[("W100", 1, dec!(149))], PaymentMethod::CashPayment);
    invented.lines[0].unit_price = dec!(400);
    invented.lines[0].line_total = dec!(-400);
    assert!(refund_without_receipt(&invented, 1, &book, &s).is_err());
}

#[test]
fn sale_items_charge_catalogue_prices_unless_a_manager_approved() {
    let s = settings();
    let book = book();
    let item =
        |a: &str, q: i32, p: Decimal| SaleItem { article_number: Some(a.into()), quantity: q, price: p };
    let ok = sale_items(
        &[item("W100", 2, dec!(149)), item("K200", 1, dec!(269))],
        1,
        1,
        false,
        &book,
        &none(),
        &s,
    )
    .unwrap();
    assert_eq!((ok.total, ok.washes, ok.needs_approval), (dec!(567), 3, false));
    let free = sale_items(&[item("W100", 1, dec!(0))], 1, 1, false, &book, &none(), &s).unwrap_err();
    assert!(matches!(free, ItemsError::Price(r) if r.place == "Items[0] (W100)"));
    let approved = sale_items(&[item("W100", 1, dec!(120))], 1, 1, true, &book, &none(), &s).unwrap();
    assert_eq!((approved.total, approved.given_away), (dec!(120), dec!(29)));
    assert!(matches!(
        sale_items(&[item("W100", 1, dec!(10))], 1, 1, true, &book, &none(), &s),
        Err(ItemsError::Price(_))
    ));
    assert!(matches!(
        sale_items(&[item("W100", 1, dec!(119))], 3, 1, false, &book, &none(), &s),
        Err(ItemsError::Price(_))
    ));
    assert!(sale_items(&[item("W100", 1, dec!(119))], 3, 3, false, &book, &none(), &s).is_ok());
    let unknown: Vec<SaleItem> = (0..400).map(|n| item(&format!("U{n}"), 1, dec!(1))).collect();
    assert!(
        matches!(sale_items(&unknown, 1, 1, false, &book, &none(), &s), Err(ItemsError::NotFound(v)) if v.len() == 400)
    );
    // Selling at default prices to a customer of a cheaper group needs nobody's approval.
    assert!(
        !sale_items(&[item("W100", 1, dec!(149))], 1, 3, false, &book, &none(), &s).unwrap().needs_approval
    );
    let many: Vec<SaleItem> = (0..501).map(|_| item("W100", 1, dec!(149))).collect();
    assert!(matches!(sale_items(&many, 1, 1, false, &book, &none(), &s), Err(ItemsError::Bounds(_))));
}

mod promotion_claims {
    use super::*;
    use crate::promotions::{best_deals, Buyer, Item};
    use possum_contract::campaign::{Campaign, CampaignRule};
    use possum_contract::loyalty::{DiscountProgram, ProgramDiscount};

    const WASHES: Uuid = Uuid::from_u128(7);

    fn campaign(id: u128, rule: CampaignRule) -> Campaign {
        Campaign {
            id: Uuid::from_u128(id),
            name: format!("Campaign {id}"),
            valid_from: "2026-12-01".parse().unwrap(),
            valid_to: "2026-12-31".parse().unwrap(),
            weekdays: vec![],
            hours: None,
            cash_desks: vec![],
            price_groups: vec![],
            rule,
        }
    }

    fn washes_book() -> PriceBook {
        let mut b = book();
        for a in ["W100", "W200"] {
            b.set_category(a, WASHES);
        }
        b
    }

    /// The lines a till makes of `sold` with the promotions' best deals applied.
    fn till_lines(
        sold: &[(&str, i32)],
        campaigns: &[Campaign],
        programs: &[DiscountProgram],
        buyer: Option<&Buyer>,
    ) -> Vec<OrderLine> {
        let b = washes_book();
        let items: Vec<Item> = sold
            .iter()
            .enumerate()
            .map(|(k, (n, q))| {
                let a = b.article(n).unwrap();
                Item {
                    key: k as u32,
                    article_number: n.to_string(),
                    category: b.category(n),
                    quantity: *q,
                    list_price: a.price(1, &settings()).unwrap(),
                    vat_percent: a.vat_percent,
                }
            })
            .collect();
        let outcome = best_deals(&items, campaigns, programs, thursday_noon(), buyer, &settings());
        items
            .iter()
            .flat_map(|it| {
                let a = b.article(&it.article_number).unwrap();
                let deal = outcome.deal(it.key).map(|d| (&d.promotion, d.discount));
                order_lines(
                    &Sold {
                        article: a,
                        quantity: it.quantity,
                        list_price: it.list_price,
                        unit_price: it.list_price,
                        promotion: deal,
                    },
                    &settings(),
                )
            })
            .collect()
    }

    fn promos(campaigns: &[Campaign], programs: &[DiscountProgram], buyer: Option<Buyer>) -> PromotionBook {
        PromotionBook {
            campaigns: campaigns.iter().map(|c| (c.clone(), true)).collect(),
            programs: programs.to_vec(),
            buyer,
            moment: thursday_noon(),
        }
    }

    #[test]
    fn what_the_till_applies_the_back_office_accepts_without_an_approval() {
        let ten = campaign(1, CampaignRule::PercentOff { category_id: WASHES, percent: dec!(10) });
        let bundle = campaign(
            2,
            CampaignRule::Bundle { article_numbers: vec!["W200".into(), "C100".into()], price: dec!(199) },
        );
        let lines =
            till_lines(&[("W200", 2), ("C100", 1), ("W100", 1)], &[ten.clone(), bundle.clone()], &[], None);
        assert!(lines.iter().all(|l| l.promotion.is_some()), "{lines:#?}");
        let result =
            sold_lines(&lines, 1, 1, false, &washes_book(), &promos(&[ten, bundle], &[], None), &settings())
                .unwrap();
        assert!(!result.needs_approval && result.stale.is_empty(), "{result:?}");
        assert_eq!(result.given_away, Decimal::ZERO);
    }

    #[test]
    fn a_claim_that_does_not_hold_is_refused_and_an_ended_campaign_is_reported() {
        let ten = campaign(1, CampaignRule::PercentOff { category_id: WASHES, percent: dec!(10) });
        let lines = till_lines(&[("W100", 1)], std::slice::from_ref(&ten), &[], None);
        // Not in force on the order's day (the campaign's dates moved).
        let later = Campaign { valid_from: "2026-12-10".parse().unwrap(), ..ten.clone() };
        let refused = sold_lines(
            &lines,
            1,
            1,
            false,
            &washes_book(),
            &promos(std::slice::from_ref(&later), &[], None),
            &settings(),
        );
        assert!(refused.unwrap_err().to_string().contains("not in force"));
        // The version in force then is kept (as it was): accepted, reported.
        let mut both = promos(&[later], &[], None);
        both.campaigns.push((ten.clone(), false));
        let stale = sold_lines(&lines, 1, 1, false, &washes_book(), &both, &settings()).unwrap();
        assert_eq!(stale.stale[0].reason, StaleReason::CampaignChanged);
        // More off than the campaign gives.
        let mut greedy = lines.clone();
        greedy[0].discount += dec!(20);
        greedy[0].line_total -= dec!(20);
        assert!(sold_lines(&greedy, 1, 1, false, &washes_book(), &promos(&[ten], &[], None), &settings())
            .is_err());
    }

    #[test]
    fn a_program_is_only_the_customers_and_a_free_unit_costs_a_credit() {
        let fleet = DiscountProgram {
            id: Uuid::from_u128(9),
            name: "Fleet".into(),
            customer_groups: vec!["Fleet".into()],
            customer_ids: vec![],
            discounts: vec![ProgramDiscount {
                category_id: Some(WASHES),
                article_number: None,
                percent: dec!(15),
            }],
        };
        let buyer = Buyer { id: Uuid::from_u128(99), group: Some("Fleet".into()), free_credits: vec![] };
        let lines = till_lines(&[("W100", 1)], &[], std::slice::from_ref(&fleet), Some(&buyer));
        assert!(sold_lines(
            &lines,
            1,
            1,
            false,
            &washes_book(),
            &promos(&[], std::slice::from_ref(&fleet), Some(buyer.clone())),
            &settings()
        )
        .is_ok());
        let stranger = Buyer { group: None, ..buyer.clone() };
        assert!(sold_lines(
            &lines,
            1,
            1,
            false,
            &washes_book(),
            &promos(&[], &[fleet], Some(stranger)),
            &settings()
        )
        .is_err());

        let fifth = campaign(5, CampaignRule::EveryNthFree { article_numbers: vec!["W100".into()], n: 5 });
        let with_credit = Buyer { free_credits: vec![(fifth.id, 1)], ..buyer.clone() };
        let lines = till_lines(&[("W100", 2)], std::slice::from_ref(&fifth), &[], Some(&with_credit));
        let ok = sold_lines(
            &lines,
            1,
            1,
            false,
            &washes_book(),
            &promos(std::slice::from_ref(&fifth), &[], Some(with_credit)),
            &settings(),
        )
        .unwrap();
        assert_eq!(ok.credits_used, vec![(fifth.id, 1)]);
        assert!(ok.stale.is_empty());
        // Another terminal used the credit first: taken as sold, and listed.
        let spent =
            sold_lines(&lines, 1, 1, false, &washes_book(), &promos(&[fifth], &[], Some(buyer)), &settings())
                .unwrap();
        assert_eq!(spent.stale[0].reason, StaleReason::FreeWithoutCredit);
    }
}
