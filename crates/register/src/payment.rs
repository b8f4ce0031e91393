//! Paying a sale: one method or several, cash with tendered amount and change.
//!
//! Decisions (docs/openapi.yaml, "Payments"): cash rounding applies only when
//! the whole sale is paid in cash; a customer-account method (credit, prepaid,
//! birthday wash) pays the whole sale on its own, because `api/Sale` must check
//! the account and carries one method.

use crate::cart::Cart;
use crate::money;
use possum_contract::activity::OrderPayment;
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayError {
    #[error("{0} pays the whole sale on its own; remove the other payments first.")]
    AccountNotSplit(&'static str),
    #[error("{0} needs a customer on the sale: scan or find the customer first.")]
    NeedsCustomer(&'static str),
    #[error("Enter an amount greater than zero and at most what is left to pay ({0}).")]
    Amount(Decimal),
    #[error("Enter the cash the customer handed over.")]
    Tendered,
    #[error("The sale is paid already.")]
    Paid,
}

/// The payments of one sale, as the cashier takes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkout {
    /// Σ line totals of the cart.
    pub lines_total: Decimal,
    pub payments: Vec<OrderPayment>,
    /// Whether a customer is attached (account methods need one).
    pub has_customer: bool,
}

/// Why the methods that charge a customer's account (credit, prepaid,
/// birthday wash, wash club) are offered disabled while no customer is on the
/// sale; the payment dialog shows it beside them.
pub const NEEDS_CUSTOMER: &str = "Needs a customer on the sale: scan or find the customer first.";
/// Why they are disabled once another payment was taken.
pub const ACCOUNT_ALONE: &str =
    "An account (credit, prepaid, birthday wash, wash club) pays the whole sale on its own: undo the other payments first.";

pub fn label(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::CashPayment => "Cash",
        PaymentMethod::CardPayment => "Card",
        PaymentMethod::CreditPayment => "Customer credit",
        PaymentMethod::PrepaidPayment => "Prepaid card",
        PaymentMethod::SwishPayment => "Swish",
        PaymentMethod::BirthdayWashPayment => "Birthday wash",
        PaymentMethod::SubscriptionPayment => "Wash club",
        PaymentMethod::Unsupported(_) => "Unknown method",
    }
}

impl Checkout {
    pub fn new(lines_total: Decimal) -> Self {
        Self { lines_total, payments: vec![], has_customer: false }
    }

    /// Starts taking payment for `cart` as it is now.
    pub fn for_cart(cart: &Cart, settings: &TerminalSettings) -> Self {
        Self { has_customer: cart.customer.is_some(), ..Self::new(cart.totals(settings).total) }
    }

    /// Whether these payments were taken for `cart` as it is now. A cart that
    /// changed while the payment was open (a scan landing behind the dialog,
    /// another tab restoring a saved cart) must be paid again: an order whose
    /// lines and payments disagree never leaves the till.
    pub fn pays_for(&self, cart: &Cart, settings: &TerminalSettings) -> bool {
        self.lines_total == cart.totals(settings).total && self.has_customer == cart.customer.is_some()
    }

    fn all_cash_with(&self, next: Option<PaymentMethod>) -> bool {
        self.payments.iter().map(|p| p.method).chain(next).all(|m| m == PaymentMethod::CashPayment)
            && (next.is_some() || !self.payments.is_empty())
    }

    fn due_with(&self, next: Option<PaymentMethod>, settings: &TerminalSettings) -> Decimal {
        if self.all_cash_with(next) {
            money::round_cash(self.lines_total, settings)
        } else {
            self.lines_total
        }
    }

    /// What the sale costs with the payments so far (cash-rounded when all cash).
    pub fn due(&self, settings: &TerminalSettings) -> Decimal {
        self.due_with(None, settings)
    }

    pub fn rounding(&self, settings: &TerminalSettings) -> Decimal {
        self.due(settings) - self.lines_total
    }

    pub fn paid(&self) -> Decimal {
        self.payments.iter().map(|p| p.amount).sum()
    }

    /// What is left to pay if the next payment is `method`.
    pub fn remaining_with(&self, method: PaymentMethod, settings: &TerminalSettings) -> Decimal {
        self.due_with(Some(method), settings) - self.paid()
    }

    pub fn remaining(&self, settings: &TerminalSettings) -> Decimal {
        self.due(settings) - self.paid()
    }

    pub fn is_complete(&self, settings: &TerminalSettings) -> bool {
        (!self.payments.is_empty() || self.lines_total.is_zero()) && self.remaining(settings).is_zero()
    }

    /// The one method of the sale, when it was paid with one (the `api/Sale` case).
    pub fn single_method(&self) -> Option<PaymentMethod> {
        match self.payments.as_slice() {
            [] => Some(PaymentMethod::CashPayment),
            [one] => Some(one.method),
            _ => None,
        }
    }

    /// Takes a payment. Cash takes `tendered` and gives change; other methods
    /// take `amount`, or all that is left when it is `None`.
    pub fn pay(
        &mut self,
        method: PaymentMethod,
        amount: Option<Decimal>,
        tendered: Option<Decimal>,
        settings: &TerminalSettings,
    ) -> Result<(), PayError> {
        if self.is_complete(settings) {
            return Err(PayError::Paid);
        }
        let left = self.remaining_with(method, settings);
        if method.needs_customer() {
            if !self.has_customer {
                return Err(PayError::NeedsCustomer(label(method)));
            }
            if !self.payments.is_empty() || amount.is_some_and(|a| a != left) {
                return Err(PayError::AccountNotSplit(label(method)));
            }
            self.payments.push(OrderPayment { method, amount: left, tendered: None, change: None });
            return Ok(());
        }
        let payment = if method == PaymentMethod::CashPayment {
            let tendered = tendered
                .filter(|t| *t > Decimal::ZERO && t.scale() <= settings.price_decimals)
                .ok_or(PayError::Tendered)?;
            let amount = tendered.min(left);
            OrderPayment { method, amount, tendered: Some(tendered), change: Some(tendered - amount) }
        } else {
            let amount = amount.unwrap_or(left);
            if amount <= Decimal::ZERO || amount > left || amount.scale() > settings.price_decimals {
                return Err(PayError::Amount(left));
            }
            OrderPayment { method, amount, tendered: None, change: None }
        };
        self.payments.push(payment);
        // A card after part-cash ends cash rounding: what is due is exact again.
        Ok(())
    }

    /// Why `method` cannot be taken now, or `None` when it can: the payment
    /// dialog shows such a method disabled, with the reason, instead of
    /// refusing it after the tap. An account method needs a customer on the
    /// sale and pays the whole sale alone.
    pub fn unavailable(&self, method: PaymentMethod) -> Option<PayError> {
        if !method.needs_customer() {
            None
        } else if !self.has_customer {
            Some(PayError::NeedsCustomer(label(method)))
        } else if !self.payments.is_empty() {
            Some(PayError::AccountNotSplit(label(method)))
        } else {
            None
        }
    }

    /// The cash amounts to offer as buttons (quick cash): what is left in
    /// cash, then the next notes up ([`crate::quick_cash`]); none once paid.
    pub fn quick_cash(&self, settings: &TerminalSettings) -> Vec<Decimal> {
        if self.is_complete(settings) {
            return vec![];
        }
        crate::quick_cash::suggestions(self.remaining_with(PaymentMethod::CashPayment, settings))
    }

    /// The change to hand back, over every cash payment taken.
    pub fn change(&self) -> Decimal {
        self.payments.iter().filter_map(|p| p.change).sum()
    }

    /// Takes back the last payment (the cashier pressed the wrong method).
    pub fn undo(&mut self) {
        self.payments.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn kronor() -> TerminalSettings {
        TerminalSettings { cash_rounding: Decimal::ONE, ..TerminalSettings::default() }
    }

    #[test]
    fn cash_rounds_and_gives_change() {
        let s = kronor();
        let mut c = Checkout::new(dec!(148.60));
        assert_eq!(c.remaining_with(PaymentMethod::CashPayment, &s), dec!(149));
        assert_eq!(c.remaining_with(PaymentMethod::CardPayment, &s), dec!(148.60));
        assert_eq!(c.pay(PaymentMethod::CashPayment, None, None, &s), Err(PayError::Tendered));
        assert_eq!(c.pay(PaymentMethod::CashPayment, None, Some(dec!(-5)), &s), Err(PayError::Tendered));
        c.pay(PaymentMethod::CashPayment, None, Some(dec!(200)), &s).unwrap();
        assert!(c.is_complete(&s));
        assert_eq!(c.payments[0].change, Some(dec!(51)));
        assert_eq!((c.due(&s), c.rounding(&s)), (dec!(149), dec!(0.40)));
        assert_eq!(c.pay(PaymentMethod::CardPayment, None, None, &s), Err(PayError::Paid));
        assert_eq!(c.single_method(), Some(PaymentMethod::CashPayment));
    }

    #[test]
    fn split_cash_then_card_is_exact() {
        let s = kronor();
        let mut c = Checkout::new(dec!(148.60));
        c.pay(PaymentMethod::CashPayment, None, Some(dec!(100)), &s).unwrap();
        assert!(!c.is_complete(&s));
        assert_eq!(c.payments[0].change, Some(dec!(0)));
        assert_eq!(c.remaining_with(PaymentMethod::CardPayment, &s), dec!(48.60));
        assert_eq!(
            c.pay(PaymentMethod::CardPayment, Some(dec!(50)), None, &s),
            Err(PayError::Amount(dec!(48.60)))
        );
        c.pay(PaymentMethod::CardPayment, None, None, &s).unwrap();
        assert!(c.is_complete(&s));
        assert_eq!((c.due(&s), c.rounding(&s), c.single_method()), (dec!(148.60), dec!(0), None));
    }

    #[test]
    fn account_methods_pay_the_whole_sale_alone() {
        let s = kronor();
        let mut c = Checkout::new(dec!(100));
        assert_eq!(
            c.pay(PaymentMethod::CreditPayment, None, None, &s),
            Err(PayError::NeedsCustomer("Customer credit"))
        );
        c.has_customer = true;
        c.pay(PaymentMethod::SwishPayment, Some(dec!(40)), None, &s).unwrap();
        assert_eq!(
            c.pay(PaymentMethod::CreditPayment, None, None, &s),
            Err(PayError::AccountNotSplit("Customer credit"))
        );
        c.undo();
        assert_eq!(
            c.pay(PaymentMethod::PrepaidPayment, Some(dec!(10)), None, &s),
            Err(PayError::AccountNotSplit("Prepaid card"))
        );
        c.pay(PaymentMethod::PrepaidPayment, None, None, &s).unwrap();
        assert!(c.is_complete(&s));
        assert_eq!(c.single_method(), Some(PaymentMethod::PrepaidPayment));
    }

    #[test]
    fn account_methods_say_why_they_cannot_be_taken_before_the_tap() {
        let s = kronor();
        let mut c = Checkout::new(dec!(100));
        assert_eq!(c.unavailable(PaymentMethod::CashPayment), None);
        assert_eq!(c.unavailable(PaymentMethod::CardPayment), None);
        for m in [
            PaymentMethod::CreditPayment,
            PaymentMethod::PrepaidPayment,
            PaymentMethod::BirthdayWashPayment,
            PaymentMethod::SubscriptionPayment,
        ] {
            assert_eq!(c.unavailable(m), Some(PayError::NeedsCustomer(label(m))));
        }
        assert!(PayError::NeedsCustomer("Customer credit")
            .to_string()
            .contains("scan or find the customer first"));
        c.has_customer = true;
        assert_eq!(c.unavailable(PaymentMethod::CreditPayment), None);
        c.pay(PaymentMethod::CardPayment, Some(dec!(40)), None, &s).unwrap();
        assert_eq!(
            c.unavailable(PaymentMethod::PrepaidPayment),
            Some(PayError::AccountNotSplit("Prepaid card"))
        );
    }

    #[test]
    fn quick_cash_offers_the_exact_cash_amount_and_gives_change() {
        let s = kronor();
        let mut c = Checkout::new(dec!(148.60));
        assert_eq!(c.quick_cash(&s), [dec!(149), dec!(150), dec!(200), dec!(500)]);
        c.pay(PaymentMethod::CashPayment, None, Some(dec!(200)), &s).unwrap();
        assert_eq!(c.change(), dec!(51));
        assert!(c.quick_cash(&s).is_empty(), "paid in full");
        // After a card part-payment what is left is exact (no cash rounding).
        let mut c = Checkout::new(dec!(148.60));
        c.pay(PaymentMethod::CardPayment, Some(dec!(100)), None, &s).unwrap();
        assert_eq!(c.quick_cash(&s)[0], dec!(48.60));
        assert_eq!(c.change(), dec!(0));
    }

    #[test]
    fn payments_fit_only_the_cart_they_were_taken_for() {
        use crate::cart::Article;
        let s = kronor();
        let mut cart = Cart::new(1);
        let wash = Article::from_product(&crate::cart::tests::product("W", &[(1, dec!(149))], dec!(25)));
        cart.add(wash.clone(), &s).unwrap();
        let mut c = Checkout::for_cart(&cart, &s);
        c.pay(PaymentMethod::CardPayment, None, None, &s).unwrap();
        assert!(c.pays_for(&cart, &s));
        cart.add(wash, &s).unwrap();
        assert!(!c.pays_for(&cart, &s), "a line added after payment was taken");
    }

    #[test]
    fn a_free_sale_is_complete_without_payments() {
        let s = kronor();
        let c = Checkout::new(Decimal::ZERO);
        assert!(c.is_complete(&s));
        assert_eq!(c.due(&s), Decimal::ZERO);
    }
}
