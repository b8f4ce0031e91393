//! The cart: lines with quantity controls, price changes for roles that may,
//! the price group, the customer and the totals.

use crate::cashier::Cashier;
use leptos::prelude::*;
use possum_contract::catalogue::{Permission, Role};
use possum_contract::error::ErrorResponse;
use possum_contract::settings::TerminalSettings;
use possum_register::cart::{Cart, CartError};
use possum_register::messages;
use possum_register::money;
use rust_decimal::Decimal;

/// Shows the back office's refusal of the sale in the cart: what happened,
/// what to do next, and (codes 14 and 16) which lines it was about.
pub fn show_refusal(
    error: &ErrorResponse,
    message: RwSignal<Option<String>>,
    highlighted: RwSignal<Vec<String>>,
) {
    let m = messages::for_error(error);
    highlighted.set(m.articles);
    message.set(Some(format!("{} {}", m.title, m.next_step)));
}

#[component]
pub fn CartPanel(
    cart: RwSignal<Cart>,
    settings: Signal<TerminalSettings>,
    cashier: Signal<Option<Cashier>>,
    /// Article numbers the back office refused (errors 14 and 16).
    highlighted: RwSignal<Vec<String>>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let role = move || cashier.with(|c| c.as_ref().map(|c| c.role));
    let may = move |p: Permission| role().is_some_and(|r: Role| r.may(p));
    let change = move |f: &dyn Fn(&mut Cart, &TerminalSettings, Role) -> Result<(), CartError>| {
        let s = settings.get_untracked();
        let r = role().unwrap_or(Role::Cashier);
        let mut result = Ok(());
        cart.update(|c| result = f(c, &s, r));
        message.set(result.err().map(|e| e.to_string()));
    };
    let fmt = move |d: Decimal| money::format(d, &settings.get_untracked());
    let lines = move || {
        // Read once per render of the lines (which follows the cashier), not once per line.
        let may_override = may(Permission::PriceOverride);
        cart.get()
            .lines
            .into_iter()
            .map(|line| {
                let key = line.key;
                let name = line.article.name.clone();
                let marked = highlighted.with(|h| cart.with_untracked(|c| c.lines_of(h)).contains(&key));
                let parts = line
                    .article
                    .parts
                    .iter()
                    .map(|p| format!("{} × {}", p.quantity, p.name))
                    .collect::<Vec<_>>()
                    .join(", ");
                let new_price = RwSignal::new(String::new());
                view! {
                    <li
                        class="cart-line"
                        class:marked=marked
                        data-testid="cart-line"
                        data-article=line.article.article_number.clone()
                    >
                        <div class="what">
                            <span class="name">{name.clone()}</span>
                            {(!parts.is_empty()).then(|| view! { <span class="parts">{parts}</span> })}
                            {marked.then(|| view! { <span class="flag">"Refused by the back office"</span> })}
                            <span class="unit">
                                {format!("{} × {}", line.quantity, fmt(line.unit_price))}
                                {line.overridden.then_some(" (changed)")}
                            </span>
                        </div>
                        <div class="qty">
                            <button
                                type="button"
                                aria-label=format!("One fewer {name}")
                                on:click=move |_| change(&|c, _, _| c.step(key, -1))
                            >
                                "−"
                            </button>
                            <input
                                type="number"
                                min="1"
                                inputmode="numeric"
                                aria-label=format!("Quantity of {name}")
                                prop:value=line.quantity.to_string()
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    change(&|c, _, _| c.set_quantity_text(key, &v))
                                }
                            />
                            <button
                                type="button"
                                aria-label=format!("One more {name}")
                                on:click=move |_| change(&|c, _, _| c.step(key, 1))
                            >
                                "+"
                            </button>
                        </div>
                        <span class="amount" data-testid="line-total">
                            {fmt(line.total())}
                        </span>
                        <button
                            type="button"
                            class="remove"
                            aria-label=format!("Remove {name}")
                            on:click=move |_| cart.update(|c| c.remove(key))
                        >
                            "✕"
                        </button>
                        {may_override
                            .then(|| {
                                view! {
                                    <details class="override">
                                        <summary>"Change price"</summary>
                                        <label>
                                            {format!("New unit price for {name}")}
                                            <input type="text" inputmode="decimal" bind:value=new_price />
                                        </label>
                                        <button
                                            type="button"
                                            on:click=move |_| {
                                                let typed = money::parse_amount(
                                                    &new_price.get_untracked(),
                                                    false,
                                                    &settings.get_untracked(),
                                                );
                                                match typed {
                                                    Ok(price) => {
                                                        change(&|c, s, r| c.override_price(key, price, r, s))
                                                    }
                                                    Err(e) => message.set(Some(e.to_string())),
                                                }
                                            }
                                        >
                                            "Set price"
                                        </button>
                                        <button
                                            type="button"
                                            on:click=move |_| {
                                                match money::parse_percent(&new_price.get_untracked()) {
                                                    Ok(pct) => {
                                                        change(&|c, s, r| c.discount_percent(key, pct, r, s))
                                                    }
                                                    Err(e) => message.set(Some(e.to_string())),
                                                }
                                            }
                                        >
                                            "Discount %"
                                        </button>
                                    </details>
                                }
                            })}
                    </li>
                }
            })
            .collect_view()
    };
    let totals = Memo::new(move |_| cart.with(|c| c.totals(&settings.get())));
    view! {
        <section class="cart card" aria-labelledby="cart-title">
            <div class="cart-head">
                <h2 id="cart-title">"Cart"</h2>
                <label for="price-group">"Price group"</label>
                <select
                    id="price-group"
                    on:change=move |ev| {
                        if let Ok(group) = event_target_value(&ev).parse::<u8>() {
                            let s = settings.get_untracked();
                            cart.update(|c| c.set_price_group(group, &s));
                        }
                    }
                >
                    {move || {
                        let s = settings.get();
                        let current = cart.with(|c| c.price_group);
                        let mut groups = s.price_groups.clone();
                        if groups.is_empty() {
                            groups
                                .push(possum_contract::settings::PriceGroup {
                                    number: s.default_price_group,
                                    name: "Standard".into(),
                                });
                        }
                        groups
                            .into_iter()
                            .map(|g| {
                                view! {
                                    <option value=g.number.to_string() selected=g.number == current>
                                        {g.name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            {move || {
                message
                    .get()
                    .map(|m| {
                        view! {
                            <p class="error" role="alert" data-testid="cart-message">
                                {m}
                            </p>
                        }
                    })
            }}
            <ul class="cart-lines" aria-label="Cart lines">
                {lines}
            </ul>
            <Show when=move || cart.with(Cart::is_empty)>
                <p class="hint">"Tap a product or scan a barcode to start a sale."</p>
            </Show>
            <dl class="totals">
                <dt>"Items"</dt>
                <dd>{move || totals.get().items}</dd>
                <Show when=move || !totals.get().discount.is_zero()>
                    <dt>"Discount"</dt>
                    <dd>{move || fmt(totals.get().discount)}</dd>
                </Show>
                {move || {
                    totals
                        .get()
                        .vat
                        .into_iter()
                        .map(|v| {
                            view! {
                                <dt>{format!("VAT {}%", v.percent.normalize())}</dt>
                                <dd>{fmt(v.vat)}</dd>
                            }
                        })
                        .collect_view()
                }}
                <dt class="total">"Total"</dt>
                <dd class="total" data-testid="cart-total">
                    {move || fmt(totals.get().total)}
                </dd>
            </dl>
        </section>
    }
}
