//! Cashier sign-in: swipe or type the cashier card, or tap the PIN on the
//! screen's own pad (a tablet has no keyboard). A card reader is a keyboard
//! to the browser (digits, then Enter): its swipe reaches the card field
//! whatever the cashier tapped before, since the pad's keys never take the
//! focus and digits typed outside any field are sent to the card field.

use super::pin_pad::PinPad;
use crate::cashier::{self, Cashier, Credential};
use crate::error::AppError;
use crate::i18n::*;
use crate::storage::Storage;
use crate::tasks::Task;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What the form sends: the card, the PIN, and the language a refusal is worded in.
type Attempt = (String, String, Locale);

async fn attempt((card, pin, locale): Attempt) -> Result<Cashier, AppError> {
    let credential = match (card.trim().is_empty(), pin.trim().is_empty()) {
        (false, _) => Credential::Card(card.trim().to_string()),
        (true, false) => Credential::Pin(pin.trim().to_string()),
        (true, true) => {
            return Err(AppError::Invalid(td_string!(locale, start.cashier.nothing_typed).into()))
        }
    };
    cashier::sign_in(&Storage::open_default().await?, credential, locale).await
}

/// Whether a key press landed in a field that takes typing itself.
fn typed_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| {
        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || el.closest("dialog").ok().flatten().is_some()
    })
}

#[component]
pub fn CashierSignIn(on_signed_in: impl Fn(Cashier) + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let card = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<Cashier, AppError>>);
    let action = Task::new(move |tried: &Attempt| {
        let tried = tried.clone();
        async move { outcome.set(Some(attempt(tried).await)) }
    });
    let pending = action.pending();
    Effect::new(move |_| {
        if let Some(outcome) = outcome.get() {
            // The PIN never stays in memory longer than the attempt. (The fields
            // are disabled while it runs, so nothing typed meanwhile is wiped.)
            pin.set(String::new());
            card.set(String::new());
            if let Ok(cashier) = outcome {
                on_signed_in(cashier);
            }
        }
    });
    // A card reader types into the focused field: the card field is ready for a swipe.
    let card_field = NodeRef::<leptos::html::Input>::new();
    card_field.on_load(|field| {
        let _ = field.focus();
    });
    let sign_in = move || {
        action.dispatch((card.get_untracked(), pin.get_untracked(), i18n.get_locale_untracked()));
    };
    // A swipe while nothing takes typing (the cashier tapped the page): its
    // digits go to the card field, and its Enter signs in.
    let swipe = window_event_listener(leptos::ev::keydown, move |ev| {
        if typed_in_a_field(&ev) || pending.get_untracked() || ev.ctrl_key() || ev.alt_key() || ev.meta_key()
        {
            return;
        }
        let key = ev.key();
        if key.len() == 1 && key.chars().all(|c| c.is_ascii_digit()) {
            ev.prevent_default();
            card.update(|c| c.push_str(&key));
            if let Some(field) = card_field.get_untracked() {
                let _ = field.focus();
            }
        } else if key == "Enter" && !card.with_untracked(String::is_empty) {
            ev.prevent_default();
            sign_in();
        }
    });
    on_cleanup(move || swipe.remove());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sign_in();
    };
    view! {
        <section class="card cashier" aria-labelledby="cashier-title">
            <h2 id="cashier-title">{t!(i18n, start.cashier.title)}</h2>
            <form on:submit=submit>
                <label for="cashier-card">{t!(i18n, start.cashier.card)}</label>
                <input
                    id="cashier-card"
                    node_ref=card_field
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    bind:value=card
                    disabled=pending
                />
                <label for="cashier-pin">{t!(i18n, start.cashier.or_pin)}</label>
                // The pad is the PIN's keyboard: the tablet's own stays away.
                <input
                    id="cashier-pin"
                    type="password"
                    inputmode="none"
                    autocomplete="off"
                    bind:value=pin
                    disabled=pending
                />
                <PinPad pin=pin disabled=pending />
                <button type="submit" class="primary" disabled=pending>
                    {move || {
                        if pending.get() { t_string!(i18n, start.cashier.checking) } else { t_string!(i18n, start.cashier.sign_in) }
                    }}
                </button>
            </form>
            {move || {
                outcome
                    .get()
                    .and_then(Result::err)
                    .map(|e| {
                        view! {
                            <p class="error" role="alert">
                                {e.text(i18n.get_locale())}
                            </p>
                        }
                    })
            }}
        </section>
    }
}
