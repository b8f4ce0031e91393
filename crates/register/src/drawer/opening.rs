//! When the cash drawer opens, and the record of each opening (issue 21).
//!
//! The drawer opens when cash goes in or out of it, and otherwise only when
//! a manager opens it and says why: a cash sale, a cash refund, cash in,
//! cash out, a manager's "open drawer" with a reason. Never for a card or
//! Swish sale, a copy, a training receipt or a report. The Swedish rules
//! (SKVFS 2014:9) count drawer openings in the X and Z reports, so every
//! opening is recorded: an [`Opening`] made by the [`Recorder`] becomes the
//! register's `DrawerOpened` journal entry ([`Opening::journal_data`]), which
//! `journal::day_report` counts, and is counted on the shift
//! ([`Shift::drawer_opened`]) for the shift's own X and Z reports.
//!
//! An opening is recorded when the pulse went to the printer the drawer
//! hangs on (the print answered): a receipt that failed to print opened
//! nothing, and the cashier asks a manager to open the drawer instead.

use super::{CashMove, DrawerError, Recorder, Shift};
use chrono::{DateTime, Utc};
use possum_contract::activity::{CashDrawerEvent, CashDrawerLog, Order, OrderKind};
use possum_contract::catalogue::Role;
use possum_contract::sale::PaymentMethod;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

/// Why the drawer opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OpeningCause {
    CashSale,
    CashRefund,
    CashIn,
    CashOut,
    /// A manager's "open drawer", with a reason.
    Manager,
}

impl OpeningCause {
    /// Whether `order` moves cash through the drawer, and so opens it: a sale
    /// or a refund with a cash payment of more than nothing. A card, Swish,
    /// account or voucher payment (alone) moves no cash.
    pub fn of_order(order: &Order) -> Option<OpeningCause> {
        let cash =
            order.payments.iter().any(|p| p.method == PaymentMethod::CashPayment && !p.amount.is_zero());
        match (cash, order.kind) {
            (false, _) => None,
            (true, OrderKind::Sale) => Some(OpeningCause::CashSale),
            (true, OrderKind::Refund) => Some(OpeningCause::CashRefund),
        }
    }
}

/// One opening of the drawer: why, who, where, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Opening {
    pub cause: OpeningCause,
    /// The manager's reason, or the reason of a cash move; empty for a sale or refund.
    pub reason: String,
    /// The sale or refund that opened it.
    pub order_id: Option<Uuid>,
    pub terminal_id: Uuid,
    pub user_id: Uuid,
    pub at: DateTime<Utc>,
}

impl Opening {
    /// The opening a stored cash move made: its `CashIn` or `CashOut` log
    /// (recorded first, so the count lands on the stored shift), with its reason.
    pub fn of_cash_log(log: &CashDrawerLog) -> Option<Opening> {
        let cause = match log.event {
            CashDrawerEvent::CashIn => OpeningCause::CashIn,
            CashDrawerEvent::CashOut => OpeningCause::CashOut,
            _ => return None,
        };
        let by = Recorder { terminal_id: log.terminal_id, user_id: log.user_id, now: log.created_at };
        Some(by.opening(cause, log.reason.as_deref().unwrap_or_default(), None))
    }

    /// What the drawer's log says of it: the cause, then the reason or the order.
    pub fn log_reason(&self) -> String {
        let cause = match self.cause {
            OpeningCause::CashSale => "Cash sale",
            OpeningCause::CashRefund => "Cash refund",
            OpeningCause::CashIn => "Cash in",
            OpeningCause::CashOut => "Cash out",
            OpeningCause::Manager => "Manager",
        };
        match (self.order_id, self.reason.as_str()) {
            (Some(order), _) => format!("{cause} (order {order})"),
            (None, "") => cause.to_string(),
            (None, reason) => format!("{cause}: {reason}"),
        }
    }

    /// The data of the register's `DrawerOpened` journal entry.
    pub fn journal_data(&self) -> Value {
        json!({
            "Cause": self.cause,
            "Reason": self.reason,
            "OrderId": self.order_id,
            "UserId": self.user_id,
        })
    }
}

impl Recorder {
    fn opening(&self, cause: OpeningCause, reason: &str, order_id: Option<Uuid>) -> Opening {
        Opening {
            cause,
            reason: reason.trim().to_string(),
            order_id,
            terminal_id: self.terminal_id,
            user_id: self.user_id,
            at: self.now,
        }
    }

    /// The opening a sale or refund makes, if it moves cash ([`OpeningCause::of_order`]).
    pub fn order_opening(&self, order: &Order) -> Option<Opening> {
        OpeningCause::of_order(order).map(|cause| self.opening(cause, "", Some(order.id)))
    }

    /// The opening a cash move makes (in or out by its sign), with its reason.
    pub fn cash_move_opening(&self, cash: &CashMove) -> Opening {
        let cause = if cash.amount.is_sign_negative() { OpeningCause::CashOut } else { OpeningCause::CashIn };
        self.opening(cause, &cash.reason, None)
    }

    /// A manager's "open drawer": only a manager (or an admin) may, and only
    /// with a reason; a cashier's request or a blank reason opens nothing.
    pub fn manager_opening(&self, role: Role, reason: &str) -> Result<Opening, DrawerError> {
        if !matches!(role, Role::Manager | Role::Admin) {
            return Err(DrawerError::NotManager);
        }
        if reason.trim().is_empty() {
            return Err(DrawerError::NeedsReason);
        }
        Ok(self.opening(OpeningCause::Manager, reason, None))
    }
}

impl Shift {
    /// Counts an opening on this shift (for its X and Z reports). An opening
    /// is counted even after closing: the drawer did open.
    pub fn drawer_opened(&mut self, _opening: &Opening) {
        self.drawer_openings += 1;
    }

    /// Counts `opening` on this shift and makes its `DrawerOpened` record for
    /// `PostCashDrawerLog` (amount 0, the reason from [`Opening::log_reason`]).
    pub fn record_opening(&mut self, opening: &Opening) -> CashDrawerLog {
        self.drawer_opened(opening);
        let by = Recorder { terminal_id: opening.terminal_id, user_id: opening.user_id, now: opening.at };
        self.log(CashDrawerEvent::DrawerOpened, Decimal::ZERO, Some(opening.log_reason()), vec![], by)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use possum_contract::activity::OrderPayment;
    use possum_contract::journal::{JournalEntry, JournalKind, GENESIS_HASH};
    use possum_contract::settings::TerminalSettings;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    fn order(kind: OrderKind, payments: &[(PaymentMethod, Decimal)]) -> Order {
        let total: Decimal = payments.iter().map(|(_, a)| *a).sum();
        serde_json::from_value(json!({
            "Id": Uuid::new_v4(), "Kind": kind, "TerminalId": Uuid::nil(), "ClientNumber": 1,
            "InvoiceNumber": 1, "CreatedAt": "2026-03-14T09:32:00Z", "CashierId": Uuid::nil(),
            "CashierName": "Anna", "CustomerId": null, "PriceGroup": 1, "Lines": [], "Rounding": "0",
            "Total": total, "VatTotal": "0", "RefundOf": null, "SoldOffline": false, "Token": null,
            "Payments": payments
                .iter()
                .map(|(method, amount)| OrderPayment { method: *method, amount: *amount, tendered: None, change: None })
                .collect::<Vec<_>>(),
        }))
        .expect("an order")
    }

    fn recorder() -> Recorder {
        Recorder { terminal_id: Uuid::from_u128(1), user_id: Uuid::from_u128(2), now: Utc::now() }
    }

    #[test]
    fn cash_sales_and_cash_refunds_open_the_drawer_and_nothing_else_paid_does() {
        use PaymentMethod::*;
        let cash_sale = order(OrderKind::Sale, &[(CashPayment, dec!(149))]);
        let split = order(OrderKind::Sale, &[(CardPayment, dec!(100)), (CashPayment, dec!(49))]);
        let cash_refund = order(OrderKind::Refund, &[(CashPayment, dec!(-149))]);
        assert_eq!(OpeningCause::of_order(&cash_sale), Some(OpeningCause::CashSale));
        assert_eq!(OpeningCause::of_order(&split), Some(OpeningCause::CashSale));
        assert_eq!(OpeningCause::of_order(&cash_refund), Some(OpeningCause::CashRefund));
        for method in [
            CardPayment,
            SwishPayment,
            CreditPayment,
            PrepaidPayment,
            BirthdayWashPayment,
            SubscriptionPayment,
        ] {
            assert_eq!(
                OpeningCause::of_order(&order(OrderKind::Sale, &[(method, dec!(149))])),
                None,
                "{method:?}"
            );
            assert_eq!(OpeningCause::of_order(&order(OrderKind::Refund, &[(method, dec!(-149))])), None);
        }
        // A cash line of nothing (a free wash rung up as cash) moves no cash.
        assert_eq!(OpeningCause::of_order(&order(OrderKind::Sale, &[(CashPayment, Decimal::ZERO)])), None);
        assert_eq!(OpeningCause::of_order(&order(OrderKind::Sale, &[])), None);

        let opening = recorder().order_opening(&cash_sale).unwrap();
        assert_eq!((opening.cause, opening.order_id), (OpeningCause::CashSale, Some(cash_sale.id)));
        assert_eq!((opening.terminal_id, opening.user_id), (Uuid::from_u128(1), Uuid::from_u128(2)));
        assert!(recorder().order_opening(&order(OrderKind::Sale, &[(CardPayment, dec!(5))])).is_none());
    }

    #[test]
    fn cash_in_and_out_open_it_with_their_reason() {
        let at = Utc::now();
        let cash_in =
            CashMove { amount: dec!(100), reason: "Change from the bank".into(), by: "M".into(), at };
        let cash_out = CashMove { amount: dec!(-200), reason: "To the safe".into(), by: "M".into(), at };
        let opened = recorder().cash_move_opening(&cash_in);
        assert_eq!((opened.cause, opened.reason.as_str()), (OpeningCause::CashIn, "Change from the bank"));
        let opened = recorder().cash_move_opening(&cash_out);
        assert_eq!((opened.cause, opened.reason.as_str()), (OpeningCause::CashOut, "To the safe"));
        assert_eq!(opened.order_id, None);
    }

    #[test]
    fn only_a_manager_with_a_reason_opens_it_by_hand() {
        let r = recorder();
        assert_eq!(r.manager_opening(Role::Cashier, "Change for a customer"), Err(DrawerError::NotManager));
        assert_eq!(r.manager_opening(Role::Manager, "  "), Err(DrawerError::NeedsReason));
        let opened = r.manager_opening(Role::Manager, " Change for a customer ").unwrap();
        assert_eq!((opened.cause, opened.reason.as_str()), (OpeningCause::Manager, "Change for a customer"));
        assert!(r.manager_opening(Role::Admin, "Count").is_ok());
        assert_eq!(DrawerError::NotManager.to_string(), "Only a manager may open the drawer without a sale.");
    }

    #[test]
    fn each_opening_is_counted_on_the_shift_and_in_the_day_report() {
        let mut shift = Shift::open(dec!(500), "Magnus", Utc::now()).unwrap();
        let r = recorder();
        let openings = [
            r.order_opening(&order(OrderKind::Sale, &[(PaymentMethod::CashPayment, dec!(149))])).unwrap(),
            r.manager_opening(Role::Manager, "Change for a customer").unwrap(),
        ];
        for opening in &openings {
            shift.drawer_opened(opening);
        }
        assert_eq!(shift.drawer_openings, 2);
        assert_eq!(shift.report(&[], &TerminalSettings::default()).drawer_openings, 2);

        let entries: Vec<JournalEntry> = openings
            .iter()
            .enumerate()
            .map(|(i, o)| JournalEntry {
                id: Uuid::new_v4(),
                register_id: "R1".into(),
                seq: i as u64 + 1,
                at: o.at,
                kind: JournalKind::DrawerOpened,
                data: o.journal_data(),
                prev_hash: GENESIS_HASH.into(),
                hash: String::new(),
                control_code: None,
            })
            .collect();
        assert_eq!(entries[1].data["Cause"], "Manager");
        assert_eq!(entries[1].data["Reason"], "Change for a customer");
        let day = crate::journal::day_report(&entries, Default::default(), &TerminalSettings::default());
        assert_eq!(day.drawer_openings, 2);
    }

    #[test]
    fn an_opening_is_counted_and_logged_with_its_cause_and_reason() {
        let mut shift = Shift::open(dec!(500), "Magnus", Utc::now()).unwrap();
        let r = recorder();
        let sale = order(OrderKind::Sale, &[(PaymentMethod::CashPayment, dec!(149))]);
        let log = shift.record_opening(&r.order_opening(&sale).unwrap());
        assert_eq!(
            (log.event, log.amount, log.session_id),
            (CashDrawerEvent::DrawerOpened, dec!(0), shift.id)
        );
        assert_eq!(log.reason, Some(format!("Cash sale (order {})", sale.id)));
        assert_eq!((log.user_id, log.terminal_id), (Uuid::from_u128(2), Uuid::from_u128(1)));
        let manager = r.manager_opening(Role::Manager, "Change for the car park").unwrap();
        assert_eq!(
            shift.record_opening(&manager).reason.as_deref(),
            Some("Manager: Change for the car park")
        );
        assert_eq!(shift.drawer_openings, 2);

        // A cash move, once stored, opens the drawer with its own reason; other events do not.
        let moved = shift.log(CashDrawerEvent::CashOut, dec!(200), Some("To the safe".into()), vec![], r);
        let opened = Opening::of_cash_log(&moved).unwrap();
        assert_eq!((opened.cause, opened.reason.as_str()), (OpeningCause::CashOut, "To the safe"));
        assert_eq!(opened.log_reason(), "Cash out: To the safe");
        let x = shift.log(CashDrawerEvent::XReport, dec!(0), None, vec![], r);
        assert_eq!(Opening::of_cash_log(&x), None);
    }

    #[test]
    fn a_shift_stored_before_openings_were_counted_still_loads() {
        let shift = Shift::open(dec!(500), "Magnus", Utc::now()).unwrap();
        let mut stored = serde_json::to_value(&shift).unwrap();
        stored.as_object_mut().unwrap().remove("drawer_openings");
        let loaded: Shift = serde_json::from_value(stored).unwrap();
        assert_eq!(loaded.drawer_openings, 0);
    }
}
