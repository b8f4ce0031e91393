//! The words staff read for what the native crates decide: the back
//! office's refusal of a sale (`possum_register::messages`, by code) and a
//! typed amount that is refused (`possum_register::money::AmountError`).
//! The crates keep the rules and know no language; the words are
//! `sync.refusal.*` and `sync.amount.*` in `locales/`.

use crate::i18n::*;
use possum_contract::error::{ApplicationErrorCode as Code, ErrorResponse};
use possum_register::messages;
use possum_register::money::AmountError;

/// What the cashier reads when the back office refuses a sale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What happened.
    pub title: String,
    /// What to do next.
    pub next_step: String,
    /// Article numbers to highlight in the cart (codes 14 and 16).
    pub articles: Vec<String>,
}

impl Refusal {
    /// The title and the next step as one message.
    pub fn sentence(&self) -> String {
        format!("{} {}", self.title, self.next_step)
    }
}

/// The `api/Sale` refusal `error` in `locale` (the articles to mark are the
/// crate's [`messages::for_error`]'s). Unknown codes still say something useful.
pub fn refusal(error: &ErrorResponse, locale: Locale) -> Refusal {
    let (title, next_step): (String, &str) = match error.application_error_code {
        Code::CardNotFound => (
            td_string!(locale, sync.refusal.card_not_found).into(),
            td_string!(locale, sync.refusal.card_not_found_next),
        ),
        Code::ClientNotFound => (
            td_string!(locale, sync.refusal.client_not_found).into(),
            td_string!(locale, sync.refusal.client_not_found_next),
        ),
        Code::CashierCardInvalid => (
            td_string!(locale, sync.refusal.cashier_card_invalid).into(),
            td_string!(locale, sync.refusal.cashier_card_invalid_next),
        ),
        Code::EmptyArticleNumber => (
            td_string!(locale, sync.refusal.empty_article_number).into(),
            td_string!(locale, sync.refusal.empty_article_number_next),
        ),
        Code::PaymentMethodNotSupported => (
            td_string!(locale, sync.refusal.payment_method).into(),
            td_string!(locale, sync.refusal.payment_method_next),
        ),
        Code::CreditLineReached => (
            td_string!(locale, sync.refusal.credit_line).into(),
            td_string!(locale, sync.refusal.credit_line_next),
        ),
        Code::NotEnoughCredit => (
            td_string!(locale, sync.refusal.not_enough_credit).into(),
            td_string!(locale, sync.refusal.not_enough_credit_next),
        ),
        Code::AlreadyReceivedBirthdayWash => (
            td_string!(locale, sync.refusal.birthday_had).into(),
            td_string!(locale, sync.refusal.birthday_had_next),
        ),
        Code::NoBirthdayAvailable => (
            td_string!(locale, sync.refusal.no_birthday).into(),
            td_string!(locale, sync.refusal.no_birthday_next),
        ),
        Code::NoWashItemBirthdayWash => (
            td_string!(locale, sync.refusal.birthday_no_wash).into(),
            td_string!(locale, sync.refusal.birthday_no_wash_next),
        ),
        Code::BirthdayWashNotInConfiguredTimePeriod => (
            td_string!(locale, sync.refusal.birthday_period).into(),
            td_string!(locale, sync.refusal.birthday_period_next),
        ),
        Code::ClientNotAllowed => (
            td_string!(locale, sync.refusal.client_not_allowed).into(),
            td_string!(locale, sync.refusal.client_not_allowed_next),
        ),
        Code::ArticleNotFound => (
            td_string!(locale, sync.refusal.article_not_found).into(),
            td_string!(locale, sync.refusal.article_not_found_next),
        ),
        Code::CardLocked => (
            td_string!(locale, sync.refusal.card_locked).into(),
            td_string!(locale, sync.refusal.card_locked_next),
        ),
        Code::ArticleBlocked => (
            td_string!(locale, sync.refusal.article_blocked).into(),
            td_string!(locale, sync.refusal.article_blocked_next),
        ),
        Code::Unknown(code) => (
            td_string!(locale, sync.refusal.unknown, code = code, message = &error.application_message),
            td_string!(locale, sync.refusal.unknown_next),
        ),
    };
    Refusal { title, next_step: next_step.to_string(), articles: messages::for_error(error).articles }
}

/// Why a typed amount was refused, in `locale`.
pub fn amount(error: &AmountError, locale: Locale) -> String {
    match error {
        AmountError::Empty => td_string!(locale, sync.amount.empty).to_string(),
        AmountError::NotANumber(text) => td_string!(locale, sync.amount.not_a_number, text = text),
        AmountError::TooManyDecimals(n) => td_string!(locale, sync.amount.too_many_decimals, n = n),
        AmountError::Negative => td_string!(locale, sync.amount.negative).to_string(),
        AmountError::TooLarge(text) => td_string!(locale, sync.amount.too_large, text = text),
        AmountError::NotAPercentage(text) => td_string!(locale, sync.amount.not_a_percentage, text = text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn english_refusals_are_the_crates_word_for_word_and_swedish_has_its_own() {
        let mut all: Vec<ErrorResponse> = Code::DOCUMENTED.iter().map(|c| ErrorResponse::new(*c)).collect();
        all.push(ErrorResponse {
            data: None,
            application_error_code: Code::Unknown(42),
            application_message: "Till closed".into(),
        });
        for e in &all {
            let crate_words = messages::for_error(e);
            let en = refusal(e, Locale::en);
            assert_eq!(
                (en.title.as_str(), en.next_step.as_str()),
                (crate_words.title.as_str(), crate_words.next_step)
            );
            let sv = refusal(e, Locale::sv);
            assert_ne!(sv.title, en.title);
            assert_ne!(sv.next_step, en.next_step);
        }
        let blocked = ErrorResponse::with_data(Code::ArticleBlocked, vec!["W300".into()]);
        assert_eq!(refusal(&blocked, Locale::sv).articles, ["W300"]);
        assert_eq!(
            refusal(&all[all.len() - 1], Locale::sv).title,
            "Backoffice nekade köpet (kod 42): Till closed"
        );
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn amount_errors_in_english_as_the_crate_says_them_and_in_swedish() {
        let errors = [
            AmountError::Empty,
            AmountError::NotANumber("4x".into()),
            AmountError::TooManyDecimals(2),
            AmountError::Negative,
            AmountError::TooLarge("99999999".into()),
            AmountError::NotAPercentage("120".into()),
        ];
        for e in &errors {
            assert_eq!(amount(e, Locale::en), e.to_string());
            assert_ne!(amount(e, Locale::sv), e.to_string());
        }
        assert_eq!(
            amount(&AmountError::NotANumber("4x".into()), Locale::sv),
            "”4x” är inget belopp: skriv siffror med komma eller punkt, till exempel 49,50."
        );
        assert_eq!(amount(&AmountError::TooManyDecimals(2), Locale::sv), "Ett belopp har högst 2 decimaler.");
    }
}
