//! Cashier sign-in: swipe or type the cashier card, or type the PIN.

use crate::cashier::{self, Cashier, Credential};
use crate::error::AppError;
use crate::storage::Storage;
use crate::tasks::Task;
use leptos::prelude::*;

async fn attempt(card: String, pin: String) -> Result<Cashier, AppError> {
    let credential = match (card.trim().is_empty(), pin.trim().is_empty()) {
        (false, _) => Credential::Card(card.trim().to_string()),
        (true, false) => Credential::Pin(pin.trim().to_string()),
        (true, true) => {
            return Err(AppError::Invalid("Swipe or type your cashier card, or type your PIN.".into()))
        }
    };
    cashier::sign_in(&Storage::open_default().await?, credential).await
}

#[component]
pub fn CashierSignIn(on_signed_in: impl Fn(Cashier) + 'static) -> impl IntoView {
    let card = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<Cashier, AppError>>);
    let action = Task::new(move |(c, p): &(String, String)| {
        let (c, p) = (c.clone(), p.clone());
        async move { outcome.set(Some(attempt(c, p).await)) }
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
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch((card.get_untracked(), pin.get_untracked()));
    };
    view! {
        <section class="card cashier" aria-labelledby="cashier-title">
            <h2 id="cashier-title">"Cashier sign-in"</h2>
            <form on:submit=submit>
                <label for="cashier-card">"Cashier card"</label>
                <input
                    id="cashier-card"
                    node_ref=card_field
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    bind:value=card
                    disabled=pending
                />
                <label for="cashier-pin">"or PIN"</label>
                <input
                    id="cashier-pin"
                    type="password"
                    inputmode="numeric"
                    autocomplete="off"
                    bind:value=pin
                    disabled=pending
                />
                <button type="submit" class="primary" disabled=pending>
                    {move || if pending.get() { "Checking…" } else { "Sign in cashier" }}
                </button>
            </form>
            {move || {
                outcome
                    .get()
                    .and_then(Result::err)
                    .map(|e| {
                        view! {
                            <p class="error" role="alert">
                                {e.to_string()}
                            </p>
                        }
                    })
            }}
        </section>
    }
}
