//! Taking payment: one method or several, cash with change.

use crate::screens::modal::Modal;
use leptos::prelude::*;
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use possum_register::money;
use possum_register::payment::{label, Checkout};
use rust_decimal::Decimal;

/// The methods this cash desk takes (all known ones when the settings name none).
pub fn desk_methods(settings: &TerminalSettings, client_number: u8) -> Vec<PaymentMethod> {
    settings
        .cash_desk(client_number)
        .map(|d| d.payment_methods.clone())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| PaymentMethod::KNOWN.to_vec())
}

/// The payment dialog. It owns the payment being taken (and its "busy"
/// state): when it closes, nothing of it lingers in the sale screen.
#[component]
pub fn PaymentDialog(
    /// The payment as it starts: what the cart costs, whether a customer is on it.
    start: Checkout,
    settings: TerminalSettings,
    methods: Vec<PaymentMethod>,
    /// Called once with the payments taken; the dialog waits until the sale screen closes it.
    on_complete: impl Fn(Checkout) + Copy + Send + Sync + 'static,
    on_cancel: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let checkout = RwSignal::new(start);
    let busy = RwSignal::new(false);
    let settings = StoredValue::new(settings);
    let amount = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let fmt = move |d: Decimal| settings.with_value(|s| money::format(d, s));
    let pay = move |method: PaymentMethod| {
        let text = amount.get_untracked();
        let s = settings.get_value();
        // An empty field means all that is left.
        let typed = match text.trim() {
            "" => None,
            typed => match money::parse_amount(typed, false, &s) {
                Ok(a) => Some(a),
                Err(e) => return error.set(Some(e.to_string())),
            },
        };
        let mut result = Ok(());
        checkout.update(|c| {
            result = if method == PaymentMethod::CashPayment {
                // Cash: what the customer handed over; an empty field means exactly what is due.
                let tendered = typed.or_else(|| Some(c.remaining_with(method, &s)));
                c.pay(method, None, tendered, &s)
            } else {
                c.pay(method, typed, None, &s)
            }
        });
        match result {
            Ok(()) => {
                amount.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let finish = move || {
        busy.set(true);
        on_complete(checkout.get_untracked());
    };
    let complete = move || settings.with_value(|s| checkout.with(|c| c.is_complete(s)));
    view! {
        <Modal
            labelled_by="pay-title"
            on_cancel=Callback::new(move |_| {
                if !busy.get_untracked() {
                    on_cancel()
                }
            })
        >
            <section class="card payment">
                <h2 id="pay-title">"Payment"</h2>
                <p class="due">
                    "To pay: "
                    <strong data-testid="due">
                        {move || fmt(settings.with_value(|s| checkout.with(|c| c.due(s))))}
                    </strong>
                </p>
                <p data-testid="remaining">
                    {move || {
                        let s = settings.get_value();
                        checkout
                            .with(|c| {
                                if c.is_complete(&s) {
                                    "Paid in full".to_string()
                                } else {
                                    format!(
                                        "Left to pay: {} (in cash: {})",
                                        fmt(c.remaining_with(PaymentMethod::CardPayment, &s)),
                                        fmt(c.remaining_with(PaymentMethod::CashPayment, &s)),
                                    )
                                }
                            })
                    }}
                </p>
                <ul class="payments" aria-label="Payments taken">
                    {move || {
                        checkout
                            .get()
                            .payments
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <li data-testid="payment">
                                        {format!("{}: {}", label(p.method), fmt(p.amount))}
                                        {p.tendered.map(|t| format!(", received {}", fmt(t)))}
                                        {p
                                            .change
                                            .filter(|c| !c.is_zero())
                                            .map(|c| {
                                                view! {
                                                    <strong data-testid="change">
                                                        {format!(", change {}", fmt(c))}
                                                    </strong>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <Show when=move || !complete()>
                    <label for="pay-amount">"Amount or cash received"</label>
                    <input
                        id="pay-amount"
                        type="text"
                        inputmode="decimal"
                        autocomplete="off"
                        bind:value=amount
                        placeholder="Empty: all that is left"
                    />
                    <div class="methods" role="group" aria-label="Payment methods">
                        {methods
                            .iter()
                            .map(|m| {
                                let m = *m;
                                view! {
                                    <button
                                        type="button"
                                        on:click=move |_| pay(m)
                                        disabled=move || busy.get()
                                    >
                                        {label(m)}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                </Show>
                {move || {
                    error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="error" role="alert">
                                    {e}
                                </p>
                            }
                        })
                }}
                <div class="actions">
                    <button
                        type="button"
                        on:click=move |_| checkout.update(Checkout::undo)
                        disabled=move || busy.get() || checkout.with(|c| c.payments.is_empty())
                    >
                        "Undo last payment"
                    </button>
                    <button type="button" on:click=move |_| on_cancel() disabled=move || busy.get()>
                        "Back to cart"
                    </button>
                    <button
                        type="button"
                        class="primary"
                        on:click=move |_| finish()
                        disabled=move || busy.get() || !complete()
                    >
                        {move || if busy.get() { "Completing…" } else { "Complete sale" }}
                    </button>
                </div>
            </section>
        </Modal>
    }
}
