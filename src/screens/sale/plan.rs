//! The wash club at the till. A car identified in the customer panel (its
//! plate or RFID tag, or the card of its owner) shows its plans: active,
//! paused or ended, the washes left today and until when. A wash in the
//! cart that a plan covers now is offered "Wash on the plan": sold alone at
//! its list price and paid in full with `SubscriptionPayment`. A wash
//! beyond the day's limit, on a paused or ended plan or outside the plan
//! gets the reason, and the normal price.

use super::state::SaleState;
use crate::catalogue::{washes_left_today, Catalogue, OwnSales};
use crate::context::TerminalContext;
use crate::i18n::*;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use possum_contract::loyalty::{Subscription, SubscriptionStatus};
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use possum_register::cart::Cart;
use possum_register::deals::Outcome;
use possum_register::payment::{Checkout, PayError};
use possum_register::subscription::Car;

/// What the cart's wash can be on the car's plan now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanWash {
    /// No car with a plan, or no wash in the cart.
    Nothing,
    /// `plan` covers it; `alone`: the wash is all the cart holds, once.
    Covered { plan: String, alone: bool },
    /// No plan covers it, and why (in staff's words).
    Refused(String),
}

/// The plans of the car of the customer on `cart` (their plate, else their tag).
pub fn plans_on(catalogue: &Catalogue, cart: &Cart) -> Vec<Subscription> {
    cart.customer.as_ref().map_or_else(Vec::new, |attached| {
        let c = &attached.customer;
        catalogue.offers.plans_of(Car { plate: c.license_plate.as_deref(), tag: c.card_uid })
    })
}

/// Whether the first wash in `cart` is covered by its car's plan at `now`.
pub fn plan_wash(
    catalogue: &Catalogue,
    cart: &Cart,
    own: &OwnSales,
    now: DateTime<Utc>,
    settings: &TerminalSettings,
) -> PlanWash {
    let Some(attached) = &cart.customer else { return PlanWash::Nothing };
    if plans_on(catalogue, cart).is_empty() {
        return PlanWash::Nothing;
    }
    let Some(wash) = cart.lines.iter().find(|l| l.article.is_wash) else { return PlanWash::Nothing };
    let c = &attached.customer;
    let car = Car { plate: c.license_plate.as_deref(), tag: c.card_uid };
    match catalogue.wash_cover(car, &wash.article.article_number, own, now, settings) {
        Ok(plan) => PlanWash::Covered { plan: plan.plan, alone: cart.lines.len() == 1 && wash.quantity == 1 },
        Err(refused) => PlanWash::Refused(refused.to_string()),
    }
}

/// The sale of `cart`'s wash on the plan: the cart at its list price (no
/// promotion), paid in full with `SubscriptionPayment`.
pub fn on_plan(cart: &Cart, settings: &TerminalSettings) -> Result<(Cart, Checkout), PayError> {
    let mut listed = cart.clone();
    listed.apply_deals(&Outcome::default());
    let mut paid = Checkout::for_cart(&listed, settings);
    paid.pay(PaymentMethod::SubscriptionPayment, None, None, settings)?;
    Ok((listed, paid))
}

/// Why `paid` may not complete `cart`, when it pays with the wash club: the
/// plan covers one wash alone, now; `None` when it may.
pub fn plan_refusal(
    catalogue: &Catalogue,
    cart: &Cart,
    paid: &Checkout,
    own: &OwnSales,
    now: DateTime<Utc>,
    settings: &TerminalSettings,
    locale: Locale,
) -> Option<String> {
    if !paid.payments.iter().any(|p| p.method == PaymentMethod::SubscriptionPayment) {
        return None;
    }
    match plan_wash(catalogue, cart, own, now, settings) {
        PlanWash::Covered { alone: true, .. } => None,
        PlanWash::Covered { alone: false, .. } => Some(td_string!(locale, sale.plan.alone).into()),
        PlanWash::Refused(why) => Some(why),
        PlanWash::Nothing => Some(td_string!(locale, sale.plan.nothing).into()),
    }
}

/// The plans of the car on the sale, in the customer panel.
#[component]
pub fn PlanStatus() -> impl IntoView {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let state = SaleState::get();
    let plans = Memo::new(move |_| state.catalogue.with(|c| state.cart.with(|cart| plans_on(c, cart))));
    let rows = move || {
        let (own, settings) = (state.own.get(), ctx.settings.get());
        state.minute.track();
        plans
            .get()
            .into_iter()
            .map(|plan| {
                let left = washes_left_today(&plan, &own, Utc::now(), &settings);
                let status = match plan.status {
                    SubscriptionStatus::Active => "active",
                    SubscriptionStatus::Paused => "paused",
                    SubscriptionStatus::Ended => "ended",
                };
                view! {
                    <li data-testid="plan" data-status=status>
                        <strong>{plan.plan.clone()}</strong>
                        " · "
                        {match plan.status {
                            SubscriptionStatus::Active => t_string!(i18n, sale.plan.active),
                            SubscriptionStatus::Paused => t_string!(i18n, sale.plan.paused),
                            SubscriptionStatus::Ended => t_string!(i18n, sale.plan.ended),
                        }}
                        " · "
                        <span data-testid="plan-left">
                            {match left {
                                None => t_string!(i18n, sale.plan.no_limit).to_string(),
                                Some(n) => n.to_string(),
                            }}
                        </span>
                        {left.map(|_| t_string!(i18n, sale.plan.left_today))}
                        {t!(i18n, sale.plan.until)}
                        <span data-testid="plan-until">{plan.valid_until.to_string()}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || plans.with(|p| !p.is_empty())>
            <ul class="plans" aria-label=move || t_string!(i18n, sale.plan.plans)>
                {rows}
            </ul>
        </Show>
    }
}

/// "Wash on the plan" for a covered wash, or why the wash is not covered.
#[component]
pub fn PlanOffer(
    /// Sells the cart's wash on the plan.
    on_sell: Callback<()>,
    /// A sale is being completed: the button waits.
    #[prop(into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let state = SaleState::get();
    let offer = Memo::new(move |_| {
        state.minute.track();
        let settings = ctx.settings.get();
        state.own.with(|own| {
            state.catalogue.with(|c| state.cart.with(|cart| plan_wash(c, cart, own, Utc::now(), &settings)))
        })
    });
    move || match offer.get() {
        PlanWash::Nothing => None,
        PlanWash::Covered { plan, alone } => Some(
            view! {
                <div class="plan-offer" data-testid="plan-offer">
                    <button
                        type="button"
                        class="primary"
                        disabled=move || !alone || busy.get()
                        on:click=move |_| on_sell.run(())
                    >
                        {t!(i18n, sale.plan.sell)}
                    </button>
                    <span>{plan}</span>
                    {(!alone)
                        .then(|| {
                            view! { <p class="hint">{t!(i18n, sale.plan.alone)}</p> }
                        })}
                </div>
            }
            .into_any(),
        ),
        PlanWash::Refused(why) => Some(
            view! {
                <p class="notice plan-refused" role="status" data-testid="plan-refused">
                    {why}
                </p>
            }
            .into_any(),
        ),
    }
}
