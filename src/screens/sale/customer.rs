//! The customer on the sale: found by card number, RFID tag or licence plate
//! (typed or scanned), with their balance, their car's wash-club plans and
//! their account history, or created at the till.

use super::deposits::DepositHistoryList;
use super::plan::PlanStatus;
use super::state::SaleState;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::storage::{shared, Storage};
use crate::tasks::Task;
use leptos::prelude::*;
use possum_contract::customer::Customer;
use possum_register::cart::{AttachedCustomer, IdentifiedBy};
use possum_register::scan::{lookups, Lookup};

/// Finds a customer by card number, RFID UID or licence plate, in that order
/// (one IndexedDB round trip for all three).
async fn find_customer(storage: &Storage, code: &str) -> Result<Option<AttachedCustomer>, AppError> {
    let candidates: Vec<(&str, String, IdentifiedBy)> = lookups(code)
        .into_iter()
        .filter_map(|lookup| match lookup {
            Lookup::CustomerCard(card) => Some(("by_card", card, IdentifiedBy::CardNumber)),
            Lookup::CustomerUid(uid) => Some(("by_uid", uid.to_string(), IdentifiedBy::CardUid)),
            Lookup::LicensePlate(plate) => Some(("by_plate", plate, IdentifiedBy::LicensePlate)),
            _ => None,
        })
        .collect();
    let look_ups: Vec<(&str, &str)> =
        candidates.iter().map(|(index, key, _)| (*index, key.as_str())).collect();
    let found = storage.find_first::<Customer>(&look_ups).await?;
    Ok(found.map(|(position, customer)| AttachedCustomer { customer, by: candidates[position].2 }))
}

/// A customer look-up on the connection the sale screen keeps open.
pub async fn look_up(code: &str) -> Result<Option<AttachedCustomer>, AppError> {
    shared::read(|storage| async move { find_customer(&storage, code).await }).await
}

/// The customer on the cart, or the form that finds one (and "New customer").
#[component]
pub fn CustomerPanel(message: RwSignal<Option<String>>, creating_customer: RwSignal<bool>) -> impl IntoView {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let kronor = crate::language::use_kronor();
    let state = SaleState::get();
    let cart = state.cart;
    let settings = ctx.settings;
    let customer_code = RwSignal::new(String::new());
    let find = Task::new(move |code: &String| {
        let code = code.clone();
        async move {
            match look_up(&code).await {
                Ok(Some(c)) => {
                    customer_code.set(String::new());
                    message.set(state.attach(c));
                }
                Ok(None) => message.set(Some(tu_string!(i18n, sale.customer.none, code = &code))),
                Err(e) => message.set(Some(e.to_string())),
            }
        }
    });
    let fmt = move |d| kronor.show(d, &settings.get_untracked());
    // The panel (and its account history read) follows the customer, not every tap.
    let attached = Memo::new(move |_| cart.with(|c| c.customer.clone()));
    let signed_in = move || ctx.cashier.with(Option::is_some);
    view! {
        <section class="customer card" aria-labelledby="customer-title">
            <h2 id="customer-title" class="visually-hidden">
                {t!(i18n, sale.customer.title)}
            </h2>
            {move || match attached.get() {
                Some(c) => {
                    view! {
                        <div data-testid="customer">
                            <p>
                                <strong>{c.customer.name.clone()}</strong>
                                {c.customer.locked.then_some(t!(i18n, sale.customer.locked))}
                            </p>
                            <p>
                                {move || {
                                    t_string!(
                                        i18n,
                                        sale.customer.balance,
                                        balance = fmt(c.customer.balance),
                                        credit = fmt(c.customer.credit_line)
                                    )
                                }}
                            </p>
                            <PlanStatus />
                            <DepositHistoryList customer_id=c.customer.id />
                            <button type="button" on:click=move |_| state.detach()>
                                {t!(i18n, sale.customer.remove)}
                            </button>
                        </div>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            find.dispatch(customer_code.get_untracked());
                        }>
                            <label for="customer-code">{t!(i18n, sale.customer.code_label)}</label>
                            <input
                                id="customer-code"
                                type="text"
                                autocomplete="off"
                                bind:value=customer_code
                            />
                            <button type="submit">{t!(i18n, sale.customer.find)}</button>
                            <button
                                type="button"
                                on:click=move |_| creating_customer.set(true)
                                disabled=move || !signed_in()
                            >
                                {t!(i18n, sale.customer.create)}
                            </button>
                        </form>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
