//! The terminal's reserve of wash-token digits (`possum_contract::wash_token`):
//! which order takes a token from it, which digits it takes, and when the
//! reserve is pulled again before the next pull cycle.
//!
//! A wash that `api/Sale` did not answer with a token (sold offline, split
//! between methods, to a customer created at the till) takes nine digits
//! from the reserve, so its receipt carries a working token at once. The
//! storage takes them in the transaction that stores the order; these rules
//! only decide.

use possum_contract::activity::{Order, OrderKind};
use possum_contract::settings::TerminalSettings;
use possum_contract::wash_token::{compose, ReservedToken, RESERVE_SIZE};

/// The wash program of the first article among `articles` that has one (0
/// when none has): the two digits after the leading 2 of a token. The back
/// office reads an order's program the same way (`wash_tokens::program_of`).
pub fn program_of<'a>(articles: impl IntoIterator<Item = &'a str>, settings: &TerminalSettings) -> u8 {
    articles.into_iter().map(|a| settings.wash_program(a)).find(|p| *p > 0).unwrap_or(0)
}

/// The wash program whose token `order` must take from the reserve, if it
/// must take one: a sale holding a wash, at a cash desk that issues tokens,
/// that carries no token yet (an `api/Sale` answer brings its own).
pub fn wanted(order: &Order, settings: &TerminalSettings) -> Option<u8> {
    let desk = settings.cash_desk(order.client_number)?;
    let wash = order.lines.iter().any(|l| l.is_wash && l.quantity > 0);
    (order.kind == OrderKind::Sale && wash && desk.wash_tokens && order.token.is_none())
        .then(|| program_of(order.lines.iter().map(|l| l.article_number.as_str()), settings))
}

/// The reserved digits the next token takes: the oldest issued (so none
/// waits for ever), ties by digits; rows whose digits make no token are
/// passed over.
pub fn pick(reserve: &[ReservedToken]) -> Option<&ReservedToken> {
    reserve
        .iter()
        .filter(|r| compose(0, &r.digits).is_some())
        .min_by(|a, b| (a.issued_at, &a.digits).cmp(&(b.issued_at, &b.digits)))
}

/// The token the order carries: `program`'s digits, then the picked reserve's.
pub fn token(program: u8, reserved: &ReservedToken) -> Option<String> {
    compose(program, &reserved.digits)
}

/// Whether the reserve should be pulled now rather than at the next cycle:
/// fewer than half of what the back office keeps in it are left.
pub fn needs_refill(available: usize) -> bool {
    available < RESERVE_SIZE / 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use possum_contract::activity::OrderLine;
    use possum_contract::settings::{CashDesk, WashProgram};
    use rust_decimal::Decimal;
    use uuid::Uuid;

    fn settings(tokens: bool) -> TerminalSettings {
        TerminalSettings {
            cash_desks: vec![CashDesk {
                client_number: 1,
                name: "Desk".into(),
                wash_tokens: tokens,
                feedback: false,
                payment_methods: vec![],
                printers: vec![],
                favourites: vec![],
            }],
            wash_programs: vec![
                WashProgram { article_number: "W100".into(), program: 1 },
                WashProgram { article_number: "W200".into(), program: 2 },
            ],
            ..TerminalSettings::default()
        }
    }

    fn line(article: &str, wash: bool, quantity: i32) -> OrderLine {
        OrderLine {
            article_number: article.into(),
            name: article.into(),
            quantity,
            unit_price: Decimal::from(100),
            discount: Decimal::ZERO,
            vat_percent: Decimal::from(25),
            line_total: Decimal::from(100 * quantity),
            is_wash: wash,
            combination_article_number: None,
            promotion: None,
        }
    }

    fn order(lines: Vec<OrderLine>, kind: OrderKind, token: Option<&str>, desk: u8) -> Order {
        Order {
            id: Uuid::nil(),
            kind,
            terminal_id: Uuid::nil(),
            client_number: desk,
            invoice_number: 1,
            created_at: Utc::now(),
            cashier_id: Uuid::nil(),
            cashier_name: "Anna".into(),
            customer_id: None,
            price_group: 1,
            lines,
            rounding: Decimal::ZERO,
            total: Decimal::ZERO,
            vat_total: Decimal::ZERO,
            payments: vec![],
            refund_of: None,
            sold_offline: true,
            token: token.map(str::to_string),
            approval: None,
            register_id: None,
        }
    }

    #[test]
    fn a_wash_without_a_token_at_a_token_desk_takes_one_with_its_program() {
        let s = settings(true);
        let coffee_and_wash = vec![line("C100", false, 1), line("W200", true, 1)];
        let cases: Vec<(&str, Order, &TerminalSettings, Option<u8>)> = vec![
            ("offline wash", order(coffee_and_wash.clone(), OrderKind::Sale, None, 1), &s, Some(2)),
            (
                "a wash of no program",
                order(vec![line("W900", true, 1)], OrderKind::Sale, None, 1),
                &s,
                Some(0),
            ),
            ("api/Sale's token", order(coffee_and_wash.clone(), OrderKind::Sale, Some("2"), 1), &s, None),
            ("no wash", order(vec![line("C100", false, 1)], OrderKind::Sale, None, 1), &s, None),
            ("a refund", order(vec![line("W200", true, -1)], OrderKind::Refund, None, 1), &s, None),
            ("an unknown desk", order(coffee_and_wash.clone(), OrderKind::Sale, None, 9), &s, None),
        ];
        for (what, order, settings, expected) in cases {
            assert_eq!(wanted(&order, settings), expected, "{what}");
        }
        let no_tokens = settings(false);
        assert_eq!(wanted(&order(coffee_and_wash, OrderKind::Sale, None, 1), &no_tokens), None);
    }

    fn reserved(n: u128, digits: &str, minute: u32) -> ReservedToken {
        ReservedToken {
            id: Uuid::from_u128(n),
            digits: digits.into(),
            issued_at: Utc.with_ymd_and_hms(2026, 12, 3, 8, minute, 0).unwrap(),
        }
    }

    #[test]
    fn the_oldest_well_formed_digits_go_first_and_make_a_valid_token() {
        let reserve = vec![
            reserved(1, "555555555", 5),
            reserved(2, "12345", 1),
            reserved(3, "333333333", 2),
            reserved(4, "222222222", 2),
        ];
        let first = pick(&reserve).unwrap();
        assert_eq!(first.id, Uuid::from_u128(4), "oldest, ties by digits, malformed passed over");
        let token = token(2, first).unwrap();
        assert!(possum_contract::sale::is_valid_ean13(&token));
        assert!(token.starts_with("202222222222"));
        assert_eq!(pick(&[reserved(5, "x", 0)]), None);
        assert_eq!(pick(&[]), None);
    }

    #[test]
    fn the_reserve_is_pulled_again_below_half() {
        let table = [(0, true), (9, true), (10, false), (20, false)];
        for (available, refill) in table {
            assert_eq!(needs_refill(available), refill, "{available} left");
        }
    }
}
