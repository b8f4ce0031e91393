//! Taking payment: one method or several, cash with change. Quick cash
//! buttons (the exact amount and the next notes up, `quick_cash`) take cash
//! in one tap; Enter in the amount field takes it in cash and completes the
//! sale; the change to give shows large. Methods that need a customer are
//! shown disabled, with the reason, while none is on the sale.

use super::training::TrainingBanner;
use crate::error::words;
use crate::i18n::*;
use crate::screens::modal::Modal;
use leptos::prelude::*;
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use possum_register::money;
use possum_register::payment::Checkout;
use possum_register::quick_cash;
use rust_decimal::Decimal;

/// The methods this cash desk takes (all known ones when the settings name none).
pub fn desk_methods(settings: &TerminalSettings, client_number: u8) -> Vec<PaymentMethod> {
    settings
        .cash_desk(client_number)
        .map(|d| d.payment_methods.clone())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| PaymentMethod::KNOWN.to_vec())
}

/// A payment method as the cashier reads it in `locale` (`payment::label`'s words).
pub fn method_words(method: PaymentMethod, locale: Locale) -> &'static str {
    match method {
        PaymentMethod::CashPayment => td_string!(locale, sale.method.cash),
        PaymentMethod::CardPayment => td_string!(locale, sale.method.card),
        PaymentMethod::CreditPayment => td_string!(locale, sale.method.credit),
        PaymentMethod::PrepaidPayment => td_string!(locale, sale.method.prepaid),
        PaymentMethod::SwishPayment => td_string!(locale, sale.method.swish),
        PaymentMethod::BirthdayWashPayment => td_string!(locale, sale.method.birthday),
        PaymentMethod::SubscriptionPayment => td_string!(locale, sale.method.wash_club),
        PaymentMethod::Unsupported(_) => td_string!(locale, sale.method.unknown),
    }
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
    let takes_cash = methods.contains(&PaymentMethod::CashPayment);
    let complete_button = NodeRef::<leptos::html::Button>::new();
    let i18n = use_i18n();
    let kronor = crate::language::use_kronor();
    let fmt = move |d: Decimal| settings.with_value(|s| kronor.show(d, s));
    let complete = move || settings.with_value(|s| checkout.with(|c| c.is_complete(s)));
    // Takes `method` for `typed` (cash: what the customer handed over; other
    // methods: the amount; `None`: all that is left). Answers whether it was taken.
    let take = move |method: PaymentMethod, typed: Option<Decimal>| {
        let s = settings.get_value();
        let mut result = Ok(());
        checkout.update(|c| {
            result = if method == PaymentMethod::CashPayment {
                // An empty field means exactly what is due in cash.
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
                if complete() {
                    // The next tap (or Enter) completes the sale.
                    if let Some(button) = complete_button.get_untracked() {
                        let _ = button.focus();
                    }
                }
                true
            }
            Err(e) => {
                error.set(Some(e.to_string()));
                false
            }
        }
    };
    // What the amount field holds: `None` when empty (all that is left).
    let typed = move || {
        let text = amount.get_untracked();
        match text.trim() {
            "" => Ok(None),
            typed => settings.with_value(|s| money::parse_amount(typed, false, s)).map(Some),
        }
    };
    let pay = move |method: PaymentMethod| match typed() {
        Ok(a) => {
            take(method, a);
        }
        Err(e) => error.set(Some(words::amount(&e, i18n.get_locale_untracked()))),
    };
    let finish = move || {
        busy.set(true);
        on_complete(checkout.get_untracked());
    };
    // Enter in the amount field: the amount (or all that is left) in cash,
    // and the sale completes when that pays it.
    let enter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !takes_cash {
            return;
        }
        match typed() {
            Ok(a) => {
                if take(PaymentMethod::CashPayment, a) && complete() {
                    finish();
                }
            }
            Err(e) => error.set(Some(words::amount(&e, i18n.get_locale_untracked()))),
        }
    };
    let quick = move || {
        if !takes_cash {
            return vec![];
        }
        settings.with_value(|s| checkout.with(|c| c.quick_cash(s)))
    };
    // Why the account methods of this desk are disabled, if they are.
    let account_hint = {
        let accounts = methods.iter().any(|m| m.needs_customer());
        move || {
            checkout.with(|c| match (accounts, c.has_customer, c.payments.is_empty()) {
                (false, _, _) => None,
                (true, false, _) => Some(t_string!(i18n, sale.payment.needs_customer)),
                (true, true, false) => Some(t_string!(i18n, sale.payment.account_alone)),
                (true, true, true) => None,
            })
        }
    };
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
                <TrainingBanner />
                <h2 id="pay-title">{t!(i18n, sale.payment.title)}</h2>
                <p class="due">
                    {t!(i18n, sale.payment.to_pay)}
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
                                    t_string!(i18n, sale.payment.paid_in_full).to_string()
                                } else {
                                    t_string!(
                                        i18n,
                                        sale.payment.left_to_pay,
                                        left = fmt(c.remaining_with(PaymentMethod::CardPayment, &s)),
                                        cash = fmt(c.remaining_with(PaymentMethod::CashPayment, &s))
                                    )
                                }
                            })
                    }}
                </p>
                <ul class="payments" aria-label=move || t_string!(i18n, sale.payment.taken)>
                    {move || {
                        checkout
                            .get()
                            .payments
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <li data-testid="payment">
                                        {format!("{}: {}", method_words(p.method, i18n.get_locale()), fmt(p.amount))}
                                        {p.tendered.map(|t| t_string!(i18n, sale.payment.received, amount = fmt(t)))}
                                        {p
                                            .change
                                            .filter(|c| !c.is_zero())
                                            .map(|c| {
                                                view! {
                                                    <strong data-testid="change">
                                                        {t_string!(i18n, sale.payment.change, amount = fmt(c))}
                                                    </strong>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                {move || {
                    let change = checkout.with(Checkout::change);
                    (!change.is_zero())
                        .then(|| {
                            view! {
                                <p class="change-due" role="status" data-testid="change-due">
                                    {t!(i18n, sale.payment.change_to_give)} <strong>{fmt(change)}</strong>
                                </p>
                            }
                        })
                }}
                <Show when=move || !complete()>
                    <form class="pay-amount" on:submit=enter>
                        <label for="pay-amount">{t!(i18n, sale.payment.amount_label)}</label>
                        <input
                            id="pay-amount"
                            type="text"
                            inputmode="decimal"
                            enterkeyhint="done"
                            autocomplete="off"
                            bind:value=amount
                            placeholder=move || t_string!(i18n, sale.payment.amount_placeholder)
                        />
                    </form>
                    {move || {
                        let amounts = quick();
                        (!amounts.is_empty())
                            .then(|| {
                                let decimals = settings.with_value(|s| s.price_decimals);
                                view! {
                                    <div
                                        class="quick-cash"
                                        role="group"
                                        aria-label=move || t_string!(i18n, sale.payment.cash_received)
                                    >
                                        {amounts
                                            .into_iter()
                                            .enumerate()
                                            .map(|(i, a)| {
                                                view! {
                                                    <button
                                                        type="button"
                                                        data-testid="quick-cash"
                                                        on:click=move |_| {
                                                            take(PaymentMethod::CashPayment, Some(a));
                                                        }
                                                        disabled=move || busy.get()
                                                    >
                                                        {quick_cash::label(a, decimals)}
                                                        {(i == 0).then(|| view! { <small>{t!(i18n, sale.payment.exact)}</small> })}
                                                    </button>
                                                }
                                            })
                                            .collect_view()}
                                    </div>
                                }
                            })
                    }}
                    <div
                        class="methods"
                        role="group"
                        aria-label=move || t_string!(i18n, sale.payment.methods)
                    >
                        {methods
                            .iter()
                            .map(|m| {
                                let m = *m;
                                let why = move || checkout.with(|c| c.unavailable(m));
                                view! {
                                    <button
                                        type="button"
                                        on:click=move |_| pay(m)
                                        disabled=move || busy.get() || why().is_some()
                                        aria-describedby=move || why().is_some().then_some("pay-method-why")
                                    >
                                        {move || method_words(m, i18n.get_locale())}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                    {move || {
                        account_hint()
                            .map(|why| {
                                view! {
                                    <p class="hint" id="pay-method-why" data-testid="method-why">
                                        {why}
                                    </p>
                                }
                            })
                    }}
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
                        {t!(i18n, sale.payment.undo)}
                    </button>
                    <button type="button" on:click=move |_| on_cancel() disabled=move || busy.get()>
                        {t!(i18n, sale.payment.back)}
                    </button>
                    <button
                        type="button"
                        class="primary"
                        node_ref=complete_button
                        on:click=move |_| finish()
                        disabled=move || busy.get() || !complete()
                    >
                        {move || {
                            if busy.get() {
                                t_string!(i18n, sale.payment.completing)
                            } else {
                                t_string!(i18n, sale.payment.complete)
                            }
                        }}
                    </button>
                </div>
            </section>
        </Modal>
    }
}
