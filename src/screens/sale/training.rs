//! Training mode (ÖVNING) and the pro forma (EJ KVITTO) at the till
//! (SKVFS 2014:9): the sale screen's tools to switch training on and off
//! and to print the cart as a quote, and the banner every part of a sale
//! shows while training is on. What a training sale or a pro forma records
//! is `sync::checkout`'s; the rules are `possum_register::training`'s.

use super::SaleState;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::storage::ledger::LocalOrder;
use crate::storage::Storage;
use crate::sync::checkout;
use crate::tasks::Task;
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_register::cart::Cart;

/// Reads whether the tablet was left in training mode (it stays on across a
/// reload until a cashier switches it off).
pub fn load(training: RwSignal<bool>, load_error: RwSignal<Option<AppError>>) {
    spawn_local(async move {
        match async { Storage::open_default().await?.training_mode().await }.await {
            Ok(on) => training.set(on),
            Err(e) => load_error.set(Some(e)),
        }
    });
}

/// "Training mode: nothing is charged", large, while training is on: on the
/// sale screen, in the payment dialog and on a training receipt, so no
/// cashier takes a practice sale for a real one. `always`: shown whatever
/// the mode is now (a training receipt).
#[component]
pub fn TrainingBanner(#[prop(optional)] always: bool) -> impl IntoView {
    let training = use_context::<SaleState>().map(|s| s.training);
    let i18n = use_i18n();
    move || {
        (always || training.is_some_and(|t| t.get())).then(|| {
            view! {
                <p class="training-banner" role="status" data-testid="training-banner">
                    {t!(i18n, sale.training.banner)}
                </p>
            }
        })
    }
}

/// The sale screen's tools: the training switch and "Print pro forma".
/// A pro forma shows in `quote` (the receipt dialog marks it); the cart stays.
#[component]
pub fn SaleTools(quote: RwSignal<Option<LocalOrder>>, message: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let state = SaleState::get();
    let (cart, training) = (state.cart, state.training);
    let switch = Task::new(move |on: &bool| {
        let on = *on;
        async move {
            match async { Storage::open_default().await?.set_training_mode(on).await }.await {
                Ok(()) => {
                    training.set(on);
                    message.set(None);
                }
                Err(e) => message.set(Some(tu_string!(i18n, sale.training.switch_failed, why = e))),
            }
        }
    });
    let switching = switch.pending();
    let print = Task::new(move |_: &()| async move {
        let Some(who) = ctx.cashier.get_untracked() else { return };
        let current = cart.get_untracked();
        let s = ctx.settings.get_untracked();
        let locale = i18n.get_locale_untracked();
        match checkout::pro_forma(&ctx.session.get_untracked(), &who, &current, &s, locale).await {
            Ok(shown) => {
                message.set(None);
                quote.set(Some(shown));
                ctx.sync.queued();
            }
            Err(e) => message.set(Some(e.to_string())),
        }
    });
    let printing = print.pending();
    let signed_in = move || ctx.cashier.with(Option::is_some);
    view! {
        <details class="sale-tools">
            <summary>{t!(i18n, sale.training.tools)}</summary>
            <div class="tools" role="group" aria-label=move || t_string!(i18n, sale.training.tools_label)>
                <button
                    type="button"
                    data-testid="training-toggle"
                    aria-pressed=move || training.get().to_string()
                    on:click=move |_| switch.dispatch(!training.get_untracked())
                    // Only between sales: a real cart must not end as a training
                    // sale, nor a practice cart be charged.
                    disabled=move || switching.get() || state.dialog_open.get() || !cart.with(Cart::is_empty)
                >
                    {move || {
                        if training.get() {
                            t_string!(i18n, sale.training.end)
                        } else {
                            t_string!(i18n, sale.training.start)
                        }
                    }}
                </button>
                <Show when=move || !cart.with(Cart::is_empty)>
                    <p class="hint">{t!(i18n, sale.training.cart_first)}</p>
                </Show>
                <button
                    type="button"
                    on:click=move |_| print.dispatch(())
                    disabled=move || !signed_in() || cart.with(Cart::is_empty) || printing.get()
                >
                    {t!(i18n, sale.training.pro_forma)}
                </button>
            </div>
        </details>
    }
}
