//! What the cashier reads when the back office refuses a sale: what happened,
//! in their words, and what to do next. The cart is always kept.
//!
//! These are the English words and the rules (which code, which lines to
//! mark); the terminal shows them in the language on screen through
//! `possum_terminal::error::words::refusal`, which keeps this wording in English.

use possum_contract::error::{ApplicationErrorCode as Code, ErrorResponse};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashierMessage {
    pub title: String,
    pub next_step: &'static str,
    /// Article numbers to highlight in the cart (codes 14 and 16).
    pub articles: Vec<String>,
}

/// The message for an `api/Sale` refusal. Unknown codes still say something useful.
pub fn for_error(error: &ErrorResponse) -> CashierMessage {
    let (title, next_step): (String, &'static str) = match error.application_error_code {
        Code::CardNotFound => (
            "No customer card matches the card, tag or licence plate.".into(),
            "Check the number, scan the card again, or sell without a customer.",
        ),
        Code::ClientNotFound => (
            "The back office does not know this cash desk.".into(),
            "Ask the store owner to check the terminal's cash desk number in the back office.",
        ),
        Code::CashierCardInvalid => (
            "Your cashier card is not valid in the back office.".into(),
            "Switch cashier and sign in with a valid card, or ask a manager.",
        ),
        Code::EmptyArticleNumber => (
            "An item in the cart has no article number.".into(),
            "Remove that line and add the article again; sync if it keeps happening.",
        ),
        Code::PaymentMethodNotSupported => {
            ("This cash desk does not take that payment method.".into(), "Choose another payment method.")
        }
        Code::CreditLineReached => (
            "The customer's credit line is used up.".into(),
            "Take another payment method, or ask the customer to pay off the account.",
        ),
        Code::NotEnoughCredit => (
            "There is not enough prepaid money on the card.".into(),
            "Top up the card or take another payment method.",
        ),
        Code::AlreadyReceivedBirthdayWash => (
            "This customer already had their birthday wash.".into(),
            "Sell the wash with another payment method.",
        ),
        Code::NoBirthdayAvailable => (
            "No birthday is registered on this card.".into(),
            "Add the birthday to the customer, or take another payment method.",
        ),
        Code::NoWashItemBirthdayWash => (
            "A birthday wash needs a wash in the cart.".into(),
            "Add one wash program and pay with birthday wash again.",
        ),
        Code::BirthdayWashNotInConfiguredTimePeriod => {
            ("It is not the customer's birthday period.".into(), "Take another payment method.")
        }
        Code::ClientNotAllowed => (
            "This customer card may not be used at this cash desk.".into(),
            "Take another payment method or sell without the customer card.",
        ),
        Code::ArticleNotFound => (
            "The back office does not know the marked articles.".into(),
            "Remove the marked lines and sync the catalogue.",
        ),
        Code::CardLocked => (
            "The customer card is locked.".into(),
            "Take another payment method; the store owner can unlock the card.",
        ),
        Code::ArticleBlocked => {
            ("The marked articles are blocked and cannot be sold.".into(), "Remove the marked lines.")
        }
        Code::Unknown(code) => (
            format!("The back office refused the sale (code {code}): {}", error.application_message),
            "Check the sale; if it keeps happening, call the store owner.",
        ),
    };
    let articles = match error.application_error_code {
        Code::ArticleNotFound | Code::ArticleBlocked => error.data.clone().unwrap_or_default(),
        _ => vec![],
    };
    CashierMessage { title, next_step, articles }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_has_its_own_message() {
        let titles: Vec<String> =
            Code::DOCUMENTED.iter().map(|c| for_error(&ErrorResponse::new(*c)).title).collect();
        let mut unique = titles.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), titles.len());
    }

    #[test]
    fn article_errors_name_the_lines_to_mark() {
        let e = ErrorResponse::with_data(Code::ArticleBlocked, vec!["W300".into()]);
        assert_eq!(for_error(&e).articles, ["W300"]);
        let e = ErrorResponse::with_data(Code::CardLocked, vec!["x".into()]);
        assert!(for_error(&e).articles.is_empty());
    }

    #[test]
    fn unknown_codes_still_say_what_the_server_said() {
        let e = ErrorResponse {
            data: None,
            application_error_code: Code::Unknown(42),
            application_message: "Till closed".into(),
        };
        assert!(for_error(&e).title.contains("code 42") && for_error(&e).title.contains("Till closed"));
    }
}
