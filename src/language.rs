//! Which language the terminal speaks, and amounts as that language writes
//! them.
//!
//! The words themselves live in `locales/<lang>/<part>.json` and reach a
//! screen through `t!(i18n, part.key)` (leptos_i18n, generated into
//! `crate::i18n` by `build.rs`, which fails the build when Swedish and
//! English do not have the same keys). This module decides the language:
//! the tablet's own (a browser language starting with `sv` is Swedish,
//! anything else English) unless someone chose one on the Terminal screen,
//! which this tablet then remembers. `<html lang>` follows.
//!
//! Receipts are printed in the tenant's receipt language instead
//! (`TerminalSettings::receipt_language`, `possum_print::Words`), whatever
//! the screen speaks.

use crate::i18n::Locale;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use possum_contract::settings::TerminalSettings;
use possum_register::money;
use rust_decimal::Decimal;

/// Where this tablet keeps the language chosen on the Terminal screen.
const CHOICE_KEY: &str = "possum.language";

thread_local! {
    /// The language on screen, for words made outside any component (a
    /// printer's answer worded in a task); kept by [`provide`].
    static SHOWN: std::cell::Cell<Locale> = const { std::cell::Cell::new(Locale::en) };
}

/// The language on screen now, read anywhere (untracked).
pub fn shown() -> Locale {
    SHOWN.with(std::cell::Cell::get)
}

/// The language of a browser language tag: Swedish for `sv`, `sv-SE`,
/// `sv-FI`…, English for anything else.
pub fn of_tag(tag: &str) -> Locale {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    if primary.eq_ignore_ascii_case("sv") {
        Locale::sv
    } else {
        Locale::en
    }
}

/// The code a language is remembered and written as in `<html lang>`.
pub fn tag(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::sv => "sv",
    }
}

fn tablet_language() -> Locale {
    let tag = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
    of_tag(&tag)
}

fn saved_choice() -> Option<Locale> {
    let saved: String = LocalStorage::get(CHOICE_KEY).ok()?;
    Some(of_tag(&saved))
}

/// The language chosen on this tablet, if any (`None`: follow the tablet).
#[derive(Clone, Copy)]
pub struct LanguageChoice(RwSignal<Option<Locale>>);

impl LanguageChoice {
    pub fn get(self) -> Option<Locale> {
        self.0.get()
    }

    /// Chooses a language for this tablet (`None`: follow the tablet again)
    /// and remembers it across restarts.
    pub fn set(self, choice: Option<Locale>) {
        match choice {
            Some(locale) => {
                // A tablet that cannot store it still switches, for this session.
                let _ = LocalStorage::set(CHOICE_KEY, tag(locale));
            }
            None => LocalStorage::delete(CHOICE_KEY),
        }
        self.0.set(choice);
    }
}

/// Provides the translation context and the tablet's language choice to
/// everything below; called once by `App`.
pub fn provide() {
    let choice = RwSignal::new(saved_choice());
    let tablet = tablet_language();
    let current = Signal::derive(move || choice.get().unwrap_or(tablet));
    let i18n = leptos_i18n::context::init_i18n_subcontext(Some(current));
    provide_context(i18n);
    provide_context(LanguageChoice(choice));
    SHOWN.with(|shown| shown.set(current.get_untracked()));
    Effect::new(move || {
        let locale = i18n.get_locale();
        SHOWN.with(|shown| shown.set(locale));
        let lang = tag(locale);
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", lang);
        }
    });
}

/// How a screen writes amounts in the language on screen: Swedish
/// "1 234,50 kr", English "1234.50 SEK" (as the terminal always has).
#[derive(Clone, Copy)]
pub struct Kronor(I18nContext<Locale>);

impl Kronor {
    /// The amount as the screen's language writes it; tracked, so a view that
    /// shows it follows a change of language.
    pub fn show(self, amount: Decimal, settings: &TerminalSettings) -> String {
        written(amount, settings, self.0.get_locale())
    }
}

/// The amount writer of the language on screen.
pub fn use_kronor() -> Kronor {
    Kronor(crate::i18n::use_i18n())
}

/// `amount` as `locale` writes it.
pub fn written(amount: Decimal, settings: &TerminalSettings, locale: Locale) -> String {
    match locale {
        Locale::sv => money::format_in(amount, settings, "sv"),
        Locale::en => money::format(amount, settings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn swedish_for_every_swedish_tag_and_english_for_the_rest() {
        for t in ["sv", "sv-SE", "SV-fi", "sv_SE"] {
            assert_eq!(of_tag(t), Locale::sv, "{t}");
        }
        for t in ["", "en-US", "en-GB", "de-DE", "nb-NO", "svx", "s"] {
            assert_eq!(of_tag(t), Locale::en, "{t}");
        }
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn amounts_as_each_language_writes_them() {
        let s = TerminalSettings::default();
        assert_eq!(written(Decimal::new(12345, 1), &s, Locale::sv), "1\u{a0}234,50\u{a0}kr");
        assert_eq!(written(Decimal::new(149, 0), &s, Locale::sv), "149,00\u{a0}kr");
        assert_eq!(written(Decimal::new(149, 0), &s, Locale::en), "149.00 SEK");
    }
}
