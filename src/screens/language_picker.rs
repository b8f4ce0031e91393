//! The language switch on the Terminal screen: follow the tablet's language,
//! or choose Swedish or English for this tablet (remembered; `crate::language`).

use crate::i18n::*;
use crate::language::LanguageChoice;
use leptos::prelude::*;

#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i18n = use_i18n();
    let choice = expect_context::<LanguageChoice>();
    let option = move |value: Option<Locale>, label: &'static str, testid: &'static str| {
        view! {
            <button
                type="button"
                data-testid=testid
                aria-pressed=move || (choice.get() == value).to_string()
                on:click=move |_| choice.set(value)
            >
                {label}
            </button>
        }
    };
    view! {
        <section class="card language" aria-labelledby="language-title">
            <h2 id="language-title">{t!(i18n, common.language.label)}</h2>
            <p class="hint">{t!(i18n, common.language.hint)}</p>
            <div class="actions" role="group" aria-labelledby="language-title">
                <button
                    type="button"
                    data-testid="language-follow"
                    aria-pressed=move || choice.get().is_none().to_string()
                    on:click=move |_| choice.set(None)
                >
                    {t!(i18n, common.language.follow_tablet)}
                </button>
                // Each language is named in itself, so anyone finds their own.
                <span lang="sv">{option(Some(Locale::sv), "Svenska", "language-sv")}</span>
                <span lang="en">{option(Some(Locale::en), "English", "language-en")}</span>
            </div>
        </section>
    }
}
