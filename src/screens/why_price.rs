//! "Why this price?": every campaign and discount program the terminal
//! holds, and whether it applies to the cart as it is now, in plain words
//! (`possum_pricing`'s `Verdict`): what it took off, or why it does not
//! apply (not running at this hour, not for this customer, another one
//! takes more off…). It follows the cart and the minute while it is open.

use super::modal::Modal;
use super::sale::SaleState;
use crate::context::TerminalContext;
use chrono::Utc;
use leptos::prelude::*;
use possum_contract::campaign::NotInForce;
use possum_register::deals::{Explanation, Verdict};
use possum_register::money;

/// The answer for one campaign or program.
fn verdict_view(
    verdict: Verdict,
    has_customer: bool,
    amount: impl Fn(rust_decimal::Decimal) -> String,
) -> AnyView {
    match verdict {
        Verdict::Applied { lines, amount: off } => view! {
            <span class="applied">
                "Applied: takes " <strong>{amount(off)}</strong> " off "
                {if lines.len() == 1 { "one line" } else { "several lines" }} "."
            </span>
        }
        .into_any(),
        Verdict::NotInForce(why) => match why {
            NotInForce::NotYet => "Not running: it has not started yet.",
            NotInForce::Ended => "Not running: it has ended.",
            NotInForce::NotThisWeekday => "Not running today: it is for other weekdays.",
            NotInForce::NotThisHour => "Not running at this hour.",
            NotInForce::NotThisDesk => "Not at this cash desk.",
            NotInForce::NotThisPriceGroup => "Not for this price group.",
        }
        .into_any(),
        Verdict::NothingInCart => "Nothing in the cart is in it.".into_any(),
        Verdict::NotForThisCustomer if has_customer => "Not for this customer.".into_any(),
        Verdict::NotForThisCustomer => "Only for a customer on the sale: find the customer first.".into_any(),
        Verdict::NoCredit => "The customer has no free wash earned yet.".into_any(),
        Verdict::BundleIncomplete => "Not all of its articles are in the cart.".into_any(),
        Verdict::Beaten { by } => view! { <span>"Another promotion takes more off the same lines: " <strong>{by}</strong> "."</span> }
        .into_any(),
    }
}

/// The dialog, while `open`.
#[component]
pub fn WhyPriceDialog(open: RwSignal<bool>) -> impl IntoView {
    let ctx = TerminalContext::get();
    let state = SaleState::get();
    let explanations = move || -> Vec<Explanation> {
        state.minute.track();
        let settings = ctx.settings.get();
        let desk = ctx.session.with(|s| s.client_number);
        state.own.with(|own| {
            state
                .catalogue
                .with(|c| state.cart.with(|cart| c.explain(cart, desk, own, Utc::now(), &settings)))
        })
    };
    let close = move || open.set(false);
    move || {
        open.get().then(|| {
            let has_customer = state.cart.with_untracked(|c| c.customer.is_some());
            let fmt = move |d| money::format(d, &ctx.settings.get_untracked());
            view! {
                <Modal labelled_by="why-title" on_cancel=Callback::new(move |_| close())>
                    <section class="card why-price">
                        <h2 id="why-title">"Why this price?"</h2>
                        <ul class="explanations" aria-label="Campaigns and discount programs">
                            {move || {
                                let all = explanations();
                                if all.is_empty() {
                                    return view! {
                                        <li>"This terminal holds no campaign or discount program."</li>
                                    }
                                        .into_any();
                                }
                                all.into_iter()
                                    .map(|e| {
                                        let applied = matches!(e.verdict, Verdict::Applied { .. });
                                        view! {
                                            <li data-testid="explanation" class:applied=applied>
                                                <strong class="name">{e.name}</strong>
                                                " "
                                                {verdict_view(e.verdict, has_customer, fmt)}
                                            </li>
                                        }
                                    })
                                    .collect_view()
                                    .into_any()
                            }}
                        </ul>
                        <div class="actions">
                            <button type="button" class="primary" on:click=move |_| close()>
                                "Close"
                            </button>
                        </div>
                    </section>
                </Modal>
            }
        })
    }
}
