//! The cash drawer of a shift: opened with a float, cash put in or taken
//! out with a reason, closed with what was counted, and the X (mid-shift)
//! and Z (end of shift) reports. Every event becomes a `CashDrawerLog`.
//!
//! A shift's sales are the terminal's orders made while it was open; what
//! the drawer should hold is the float, plus cash taken, minus cash paid
//! back, plus cash in, minus cash out.
//!
//! When the drawer itself opens (cash sales and refunds, cash in and out, a
//! manager with a reason, never otherwise) and how each opening is recorded
//! and counted: [`opening`].

pub mod opening;

use crate::money;
use chrono::{DateTime, Utc};
use possum_contract::activity::{CashDrawerEvent, CashDrawerLog, CountedAmount, Order, OrderKind};
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    pub id: Uuid,
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    pub float: Decimal,
    pub moves: Vec<CashMove>,
    pub closing: Option<Closing>,
    /// How often the drawer opened during the shift ([`Shift::drawer_opened`]);
    /// a shift stored before this was counted reads as none.
    #[serde(default)]
    pub drawer_openings: u32,
}

/// Cash put in (positive) or taken out (negative), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashMove {
    pub amount: Decimal,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub by: String,
    pub at: DateTime<Utc>,
    pub counted: Vec<CountedAmount>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawerError {
    NegativeAmount,
    NeedsReason,
    MoreThanInDrawer {
        in_drawer: String,
    },
    Closed,
    NotCounted(&'static str),
    /// Someone other than a manager asked to open the drawer without a sale.
    NotManager,
}

impl std::fmt::Display for DrawerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DrawerError::NegativeAmount => write!(f, "Type an amount of zero or more."),
            DrawerError::NeedsReason => write!(f, "Say why the cash goes in or out."),
            DrawerError::MoreThanInDrawer { in_drawer } => {
                write!(f, "The drawer should hold only {in_drawer}; that cannot be taken out.")
            }
            DrawerError::Closed => write!(f, "The drawer is closed already."),
            DrawerError::NotCounted(method) => write!(f, "Count {method} before closing."),
            DrawerError::NotManager => write!(f, "Only a manager may open the drawer without a sale."),
        }
    }
}

impl std::error::Error for DrawerError {}

/// Who records a drawer event, where and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorder {
    pub terminal_id: Uuid,
    pub user_id: Uuid,
    pub now: DateTime<Utc>,
}

/// What an X or Z report says about a shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub sales: usize,
    pub refunds: usize,
    /// Sales less refunds.
    pub turnover: Decimal,
    /// Per method: what was taken less what was paid back.
    pub by_method: Vec<(PaymentMethod, Decimal)>,
    /// Per VAT rate: gross turnover and the VAT it holds.
    pub vat: Vec<(Decimal, Decimal, Decimal)>,
    pub cash_in: Decimal,
    pub cash_out: Decimal,
    /// Expected per method (cash first), with what was counted once closed.
    pub drawer: Vec<DrawerLine>,
    /// How often the drawer opened during the shift.
    pub drawer_openings: u32,
}

/// What one payment method should come to, and what was counted: nothing
/// before the drawer is closed (an X report says only what is known).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrawerLine {
    pub method: PaymentMethod,
    pub expected: Decimal,
    pub counted: Option<Decimal>,
}

impl Report {
    /// Whether the drawer was counted (it is closed): only then do a report's
    /// "Counted" column and difference mean anything.
    pub fn counted(&self) -> bool {
        !self.drawer.is_empty() && self.drawer.iter().all(|l| l.counted.is_some())
    }

    /// Counted less expected, over every method; `None` until counted.
    pub fn difference(&self) -> Option<Decimal> {
        self.drawer.iter().map(|l| l.counted.map(|c| c - l.expected)).sum()
    }
}

impl Shift {
    pub fn open(float: Decimal, by: &str, now: DateTime<Utc>) -> Result<Shift, DrawerError> {
        if float.is_sign_negative() && !float.is_zero() {
            return Err(DrawerError::NegativeAmount);
        }
        Ok(Shift {
            id: Uuid::new_v4(),
            opened_at: now,
            opened_by: by.into(),
            float,
            moves: vec![],
            closing: None,
            drawer_openings: 0,
        })
    }

    /// Whether `order` was made while this shift's drawer was open.
    pub fn includes(&self, order: &Order) -> bool {
        order.created_at >= self.opened_at && self.closing.as_ref().is_none_or(|c| order.created_at <= c.at)
    }

    /// Puts cash in (`out` false) or takes it out.
    pub fn move_cash(
        &mut self,
        amount: Decimal,
        reason: &str,
        out: bool,
        by: &str,
        now: DateTime<Utc>,
        orders: &[Order],
    ) -> Result<CashMove, DrawerError> {
        if self.closing.is_some() {
            return Err(DrawerError::Closed);
        }
        if amount <= Decimal::ZERO {
            return Err(DrawerError::NegativeAmount);
        }
        if reason.trim().is_empty() {
            return Err(DrawerError::NeedsReason);
        }
        let in_drawer = self.expected_cash(orders);
        if out && amount > in_drawer {
            return Err(DrawerError::MoreThanInDrawer { in_drawer: in_drawer.to_string() });
        }
        let m = CashMove {
            amount: if out { -amount } else { amount },
            reason: reason.trim().into(),
            by: by.into(),
            at: now,
        };
        self.moves.push(m.clone());
        Ok(m)
    }

    fn orders<'a>(&'a self, orders: &'a [Order]) -> impl Iterator<Item = &'a Order> + 'a {
        orders.iter().filter(|o| self.includes(o))
    }

    /// Taken less paid back per method over the shift's orders, cash first.
    fn taken(&self, orders: &[Order]) -> Vec<(PaymentMethod, Decimal)> {
        let mut out = vec![(PaymentMethod::CashPayment, Decimal::ZERO)];
        for p in self.orders(orders).flat_map(|o| &o.payments) {
            match out.iter_mut().find(|(m, _)| *m == p.method) {
                Some((_, sum)) => *sum += p.amount,
                None => out.push((p.method, p.amount)),
            }
        }
        out
    }

    fn moved(&self) -> Decimal {
        self.moves.iter().map(|m| m.amount).sum()
    }

    /// What the drawer should hold in cash now.
    pub fn expected_cash(&self, orders: &[Order]) -> Decimal {
        self.expected(orders)[0].1
    }

    /// What should be there per method: cash in the drawer, the rest as slips and statements.
    pub fn expected(&self, orders: &[Order]) -> Vec<(PaymentMethod, Decimal)> {
        let mut out = self.taken(orders);
        out[0].1 += self.float + self.moved();
        out
    }

    /// Closes the drawer with what was counted; every expected method must be counted.
    pub fn close(
        &mut self,
        counted: &[(PaymentMethod, Decimal)],
        by: &str,
        now: DateTime<Utc>,
        orders: &[Order],
    ) -> Result<Vec<CountedAmount>, DrawerError> {
        if self.closing.is_some() {
            return Err(DrawerError::Closed);
        }
        let mut result = Vec::new();
        for (method, expected) in self.expected(orders) {
            let Some((_, c)) = counted.iter().find(|(m, _)| *m == method) else {
                return Err(DrawerError::NotCounted(crate::payment::label(method)));
            };
            if c.is_sign_negative() && !c.is_zero() {
                return Err(DrawerError::NegativeAmount);
            }
            result.push(CountedAmount { method, expected, counted: *c });
        }
        self.closing = Some(Closing { by: by.into(), at: now, counted: result.clone() });
        Ok(result)
    }

    pub fn report(&self, orders: &[Order], settings: &TerminalSettings) -> Report {
        let mine: Vec<&Order> = self.orders(orders).collect();
        let mut vat: Vec<(Decimal, Decimal, Decimal)> = Vec::new();
        for line in mine.iter().flat_map(|o| &o.lines) {
            match vat.iter_mut().find(|(rate, _, _)| *rate == line.vat_percent) {
                Some((_, gross, _)) => *gross += line.line_total,
                None => vat.push((line.vat_percent, line.line_total, Decimal::ZERO)),
            }
        }
        for (rate, gross, amount) in &mut vat {
            *amount = money::vat_of_gross(*gross, *rate, settings);
        }
        let drawer = match &self.closing {
            Some(c) => c
                .counted
                .iter()
                .map(|c| DrawerLine { method: c.method, expected: c.expected, counted: Some(c.counted) })
                .collect(),
            None => self
                .expected(orders)
                .into_iter()
                .map(|(method, expected)| DrawerLine { method, expected, counted: None })
                .collect(),
        };
        Report {
            sales: mine.iter().filter(|o| o.kind == OrderKind::Sale).count(),
            refunds: mine.iter().filter(|o| o.kind == OrderKind::Refund).count(),
            turnover: mine.iter().map(|o| o.total).sum(),
            by_method: self.taken(orders),
            vat,
            cash_in: self.moves.iter().filter(|m| m.amount > Decimal::ZERO).map(|m| m.amount).sum(),
            cash_out: -self
                .moves
                .iter()
                .filter(|m| m.amount < Decimal::ZERO)
                .map(|m| m.amount)
                .sum::<Decimal>(),
            drawer,
            drawer_openings: self.drawer_openings,
        }
    }

    /// The `PostCashDrawerLog` record of an event of this shift.
    pub fn log(
        &self,
        event: CashDrawerEvent,
        amount: Decimal,
        reason: Option<String>,
        counted: Vec<CountedAmount>,
        by: Recorder,
    ) -> CashDrawerLog {
        CashDrawerLog {
            id: Uuid::new_v4(),
            session_id: self.id,
            terminal_id: by.terminal_id,
            event,
            amount: amount.abs(),
            reason,
            counted,
            user_id: by.user_id,
            created_at: by.now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use possum_contract::activity::{OrderLine, OrderPayment};
    use rust_decimal_macros::dec;

    fn order(
        kind: OrderKind,
        at: DateTime<Utc>,
        payments: Vec<(PaymentMethod, Decimal)>,
        vat: Decimal,
    ) -> Order {
        let total: Decimal = payments.iter().map(|(_, a)| *a).sum();
        Order {
            id: Uuid::new_v4(),
            kind,
            terminal_id: Uuid::nil(),
            client_number: 1,
            invoice_number: 1,
            created_at: at,
            cashier_id: Uuid::nil(),
            cashier_name: "Anna".into(),
            customer_id: None,
            price_group: 1,
            lines: vec![OrderLine {
                article_number: "A".into(),
                name: "A".into(),
                quantity: if kind == OrderKind::Sale { 1 } else { -1 },
                unit_price: total.abs(),
                discount: Decimal::ZERO,
                vat_percent: vat,
                line_total: total,
                is_wash: false,
                combination_article_number: None,
                promotion: None,
            }],
            rounding: Decimal::ZERO,
            total,
            vat_total: Decimal::ZERO,
            payments: payments
                .into_iter()
                .map(|(method, amount)| OrderPayment { method, amount, tendered: None, change: None })
                .collect(),
            refund_of: None,
            sold_offline: false,
            token: None,
            approval: None,
            register_id: None,
        }
    }

    #[test]
    fn the_drawer_expects_float_plus_cash_sales_less_refunds_and_moves_and_reports_the_shift() {
        let t0 = Utc::now();
        let mut shift = Shift::open(dec!(500), "Magnus", t0).unwrap();
        let orders = vec![
            order(
                OrderKind::Sale,
                t0 - Duration::minutes(5),
                vec![(PaymentMethod::CashPayment, dec!(999))],
                dec!(25),
            ),
            order(
                OrderKind::Sale,
                t0 + Duration::minutes(1),
                vec![(PaymentMethod::CashPayment, dec!(149))],
                dec!(25),
            ),
            order(
                OrderKind::Sale,
                t0 + Duration::minutes(2),
                vec![(PaymentMethod::CashPayment, dec!(50)), (PaymentMethod::CardPayment, dec!(75))],
                dec!(12),
            ),
            order(
                OrderKind::Refund,
                t0 + Duration::minutes(3),
                vec![(PaymentMethod::CashPayment, dec!(-25))],
                dec!(12),
            ),
        ];
        shift
            .move_cash(dec!(100), "Change from the bank", false, "Magnus", t0 + Duration::minutes(4), &orders)
            .unwrap();
        assert_eq!(
            shift.move_cash(dec!(50), " ", true, "Magnus", t0, &orders),
            Err(DrawerError::NeedsReason)
        );
        assert!(matches!(
            shift.move_cash(dec!(5000), "Bank", true, "Magnus", t0, &orders),
            Err(DrawerError::MoreThanInDrawer { .. })
        ));
        shift
            .move_cash(dec!(200), "To the safe", true, "Magnus", t0 + Duration::minutes(5), &orders)
            .unwrap();
        // 500 + 149 + 50 − 25 + 100 − 200; the sale before opening is not this shift's.
        assert_eq!(shift.expected_cash(&orders), dec!(574));
        assert_eq!(
            shift.expected(&orders),
            vec![(PaymentMethod::CashPayment, dec!(574)), (PaymentMethod::CardPayment, dec!(75))]
        );

        let x = shift.report(&orders, &TerminalSettings::default());
        assert_eq!(
            (x.sales, x.refunds, x.turnover, x.cash_in, x.cash_out),
            (2, 1, dec!(249), dec!(100), dec!(200))
        );
        assert_eq!(
            x.by_method,
            vec![(PaymentMethod::CashPayment, dec!(174)), (PaymentMethod::CardPayment, dec!(75))]
        );
        assert_eq!(x.vat, vec![(dec!(25), dec!(149), dec!(29.80)), (dec!(12), dec!(100), dec!(10.71))]);
        // Nothing was counted yet: the X report knows only what is expected.
        assert!(!x.counted());
        assert_eq!(x.difference(), None);
        assert_eq!(
            x.drawer,
            [
                DrawerLine { method: PaymentMethod::CashPayment, expected: dec!(574), counted: None },
                DrawerLine { method: PaymentMethod::CardPayment, expected: dec!(75), counted: None },
            ]
        );

        assert_eq!(
            shift.close(
                &[(PaymentMethod::CashPayment, dec!(570))],
                "Magnus",
                t0 + Duration::minutes(9),
                &orders
            ),
            Err(DrawerError::NotCounted("Card"))
        );
        let counted = shift
            .close(
                &[(PaymentMethod::CashPayment, dec!(570)), (PaymentMethod::CardPayment, dec!(75))],
                "Magnus",
                t0 + Duration::minutes(9),
                &orders,
            )
            .unwrap();
        assert_eq!(
            counted[0],
            CountedAmount { method: PaymentMethod::CashPayment, expected: dec!(574), counted: dec!(570) }
        );
        let z = shift.report(&orders, &TerminalSettings::default());
        assert!(z.counted());
        assert_eq!(z.difference(), Some(dec!(-4)));
        assert_eq!(z.drawer[0].counted, Some(dec!(570)));
        // A sale after closing belongs to the next shift.
        let later = order(
            OrderKind::Sale,
            t0 + Duration::minutes(10),
            vec![(PaymentMethod::CashPayment, dec!(10))],
            dec!(25),
        );
        assert!(!shift.includes(&later));
        assert_eq!(shift.move_cash(dec!(1), "x", false, "Magnus", t0, &orders), Err(DrawerError::Closed));
    }

    #[test]
    fn a_log_carries_the_shift_and_an_unsigned_amount() {
        let shift = Shift::open(dec!(300), "Anna", Utc::now()).unwrap();
        let log = shift.log(
            CashDrawerEvent::CashOut,
            dec!(-50),
            Some("Safe".into()),
            vec![],
            Recorder { terminal_id: Uuid::nil(), user_id: Uuid::nil(), now: Utc::now() },
        );
        assert_eq!((log.session_id, log.amount, log.event), (shift.id, dec!(50), CashDrawerEvent::CashOut));
        assert_eq!(Shift::open(dec!(-1), "Anna", Utc::now()), Err(DrawerError::NegativeAmount));
    }
}
