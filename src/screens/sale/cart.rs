//! The cart: lines with quantity controls, price changes and discounts, the
//! price group and the totals. A price away from the list or a price group
//! other than the default or the customer's own is a manager's to approve:
//! the change is asked of `ApprovalDialog` and made once approved.

use crate::cashier::Cashier;
use crate::screens::approval::ApprovalAsk;
use crate::sync::approval::Wanted;
use leptos::prelude::*;
use possum_contract::catalogue::{Permission, Role};
use possum_contract::error::ErrorResponse;
use possum_contract::settings::TerminalSettings;
use possum_register::approval::{given_away, over_max_discount};
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

/// Makes the change `f` describes to the cart, through a manager's approval
/// when the changed cart needs one (`what` says what is approved): the cart
/// stays as it is until the manager approves. The change runs as a
/// manager's, since one approves it; what no approval allows is refused.
pub fn change_with_approval(
    cart: RwSignal<Cart>,
    settings: &TerminalSettings,
    approving: RwSignal<Option<ApprovalAsk>>,
    message: RwSignal<Option<String>>,
    (what, permission): (String, Permission),
    f: impl FnOnce(&mut Cart, &TerminalSettings) -> Result<(), CartError>,
) {
    let mut changed = cart.get_untracked();
    if let Err(e) = f(&mut changed, settings) {
        return message.set(Some(e.to_string()));
    }
    if let Some(line) = over_max_discount(&changed, settings) {
        return message.set(Some(format!(
            "At most {}% may be taken off {}; no approval allows more.",
            settings.max_discount_percent.normalize(),
            line.article.name
        )));
    }
    message.set(None);
    if !changed.needs_approval(settings) {
        return cart.set(changed);
    }
    let amount = given_away(&changed, settings);
    let what = match amount.is_zero() {
        true => format!("{what}."),
        false => format!("{what}: {} below the customer's prices.", money::format(amount, settings)),
    };
    let wanted = Wanted { order_id: changed.order_id, permission, amount };
    let changed = StoredValue::new(changed);
    approving.set(Some(ApprovalAsk {
        what,
        wanted,
        then: Callback::new(move |approval| {
            let mut approved = changed.get_value();
            approved.approval = Some(approval);
            cart.set(approved);
        }),
    }));
}

#[component]
pub fn CartPanel(
    cart: RwSignal<Cart>,
    settings: Signal<TerminalSettings>,
    cashier: Signal<Option<Cashier>>,
    /// Article numbers the back office refused (errors 14 and 16).
    highlighted: RwSignal<Vec<String>>,
    message: RwSignal<Option<String>>,
    /// Where a change waits for a manager's approval (the sale screen shows the dialog).
    approving: RwSignal<Option<ApprovalAsk>>,
) -> impl IntoView {
    let signed_in = move || cashier.with(Option::is_some);
    let change = move |f: &dyn Fn(&mut Cart) -> Result<(), CartError>| {
        let mut result = Ok(());
        cart.update(|c| result = f(c));
        message.set(result.err().map(|e| e.to_string()));
    };
    let approve = move |what: (String, Permission),
                        f: &dyn Fn(&mut Cart, &TerminalSettings) -> Result<(), CartError>| {
        change_with_approval(cart, &settings.get_untracked(), approving, message, what, f)
    };
    let fmt = move |d: Decimal| money::format(d, &settings.get_untracked());
    let lines = move || {
        // Read once per render of the lines (which follows the cashier), not once per line.
        let may_change = signed_in();
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
                let (name_for_price, name_for_discount) = (name.clone(), name.clone());
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
                                on:click=move |_| change(&|c| c.step(key, -1))
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
                                    change(&|c| c.set_quantity_text(key, &v))
                                }
                            />
                            <button
                                type="button"
                                aria-label=format!("One more {name}")
                                on:click=move |_| change(&|c| c.step(key, 1))
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
                        {may_change
                            .then(|| {
                                view! {
                                    <details class="override">
                                        <summary>"Change price"</summary>
                                        <label>
                                            {format!("New unit price or discount for {name}")}
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
                                                        let what = format!(
                                                            "Sell {name_for_price} at {} each",
                                                            fmt(price),
                                                        );
                                                        approve(
                                                            (what, Permission::PriceOverride),
                                                            &|c, s| c.override_price(key, price, Role::Manager, s),
                                                        )
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
                                                        let what = format!(
                                                            "Take {}% off {name_for_discount}",
                                                            pct.normalize(),
                                                        );
                                                        approve(
                                                            (what, Permission::Discount),
                                                            &|c, s| c.discount_percent(key, pct, Role::Manager, s),
                                                        )
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
    // The select follows the cart's group (a customer attached, a change approved), never the other way round.
    let group_field = NodeRef::<leptos::html::Select>::new();
    Effect::new(move |_| {
        let group = cart.with(|c| c.price_group).to_string();
        if let Some(field) = group_field.get() {
            field.set_value(&group);
        }
    });
    view! {
        <section class="cart card" aria-labelledby="cart-title">
            <div class="cart-head">
                <h2 id="cart-title">"Cart"</h2>
                <label for="price-group">"Price group"</label>
                <select
                    id="price-group"
                    node_ref=group_field
                    disabled=move || !signed_in()
                    on:change=move |ev| {
                        if let Ok(group) = event_target_value(&ev).parse::<u8>() {
                            if let Some(field) = group_field.get_untracked() {
                                field.set_value(&cart.with_untracked(|c| c.price_group).to_string());
                            }
                            let s = settings.get_untracked();
                            let name = s
                                .price_groups
                                .iter()
                                .find(|g| g.number == group)
                                .map_or_else(|| group.to_string(), |g| g.name.clone());
                            let what = format!("Sell this cart at {name} prices");
                            approve(
                                (what, Permission::PriceOverride),
                                &|c, s| {
                                    c.set_price_group(group, s);
                                    Ok(())
                                },
                            )
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
            {move || {
                let s = settings.get();
                cart.with(|c| c.approval.clone().filter(|_| c.needs_approval(&s)))
                    .map(|a| {
                        view! {
                            <p class="hint" data-testid="cart-approval">
                                {if a.offline {
                                    "Approved by a manager on this tablet alone: the back office reviews it."
                                } else {
                                    "Approved by a manager."
                                }}
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
