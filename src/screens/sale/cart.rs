//! The cart: lines with quantity controls, price changes and discounts, the
//! promotion each line has (by name, and what it took off), the price group
//! and the totals. A price away from the list or a price group other than
//! the default or the customer's own is a manager's to approve: the change
//! is asked of `ApprovalDialog` and made once approved (`price_change.rs`).
//!
//! Each line is one row (what, quantity, total, change price, remove), so
//! six lines show at once on a landscape tablet. What went wrong and needs
//! the cashier is said in red (`message`); what is only news, such as a sale
//! sold offline and queued, is said calmly (`note`).

use super::price_change::{change_with_approval, PriceChange};
use crate::cashier::Cashier;
use crate::i18n::*;
use crate::screens::approval::ApprovalAsk;
use leptos::prelude::*;
use possum_contract::catalogue::Permission;
use possum_contract::error::ErrorResponse;
use possum_contract::settings::TerminalSettings;
use possum_register::cart::{Cart, CartError};
use rust_decimal::Decimal;

/// Shows the back office's refusal of the sale in the cart: what happened,
/// what to do next, and (codes 14 and 16) which lines it was about.
pub fn show_refusal(
    error: &ErrorResponse,
    message: RwSignal<Option<String>>,
    highlighted: RwSignal<Vec<String>>,
    locale: Locale,
) {
    let refusal = crate::error::words::refusal(error, locale);
    highlighted.set(refusal.articles.clone());
    message.set(Some(refusal.sentence()));
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
    /// News for the cashier that needs no action (said calmly, not in red).
    #[prop(optional)]
    note: Option<RwSignal<Option<String>>>,
    /// Opens "Why this price?" (the sale screen shows the dialog); no button without it.
    #[prop(optional)]
    on_why: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let signed_in = move || cashier.with(Option::is_some);
    let change = move |f: &dyn Fn(&mut Cart) -> Result<(), CartError>| {
        let mut result = Ok(());
        cart.update(|c| result = f(c));
        message.set(result.err().map(|e| e.to_string()));
    };
    let approve = move |what: (String, Permission),
                        f: &dyn Fn(&mut Cart, &TerminalSettings) -> Result<(), CartError>| {
        let locale = i18n.get_locale_untracked();
        change_with_approval(cart, &settings.get_untracked(), approving, message, what, f, locale)
    };
    let kronor = crate::language::use_kronor();
    let fmt = move |d: Decimal| kronor.show(d, &settings.get_untracked());
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
                            {marked.then(|| view! { <span class="flag">{t!(i18n, sale.cart.refused)}</span> })}
                            <span class="unit">
                                {format!("{} × {}", line.quantity, fmt(line.unit_price))}
                                {line.overridden.then_some(t!(i18n, sale.cart.changed))}
                            </span>
                            {line
                                .promotion
                                .clone()
                                .map(|(promotion, off)| {
                                    view! {
                                        <span class="promotion" data-testid="line-promotion">
                                            <span class="promotion-name">{promotion.name}</span>
                                            " −"
                                            {fmt(off)}
                                        </span>
                                    }
                                })}
                        </div>
                        <div class="qty">
                            <button
                                type="button"
                                aria-label=t_string!(i18n, sale.cart.one_fewer, name = &name)
                                on:click=move |_| change(&|c| c.step(key, -1))
                            >
                                "−"
                            </button>
                            <input
                                type="number"
                                min="1"
                                inputmode="numeric"
                                aria-label=t_string!(i18n, sale.cart.quantity_of, name = &name)
                                prop:value=line.quantity.to_string()
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    change(&|c| c.set_quantity_text(key, &v))
                                }
                            />
                            <button
                                type="button"
                                aria-label=t_string!(i18n, sale.cart.one_more, name = &name)
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
                            aria-label=t_string!(i18n, sale.cart.remove, name = &name)
                            on:click=move |_| cart.update(|c| c.remove(key))
                        >
                            "✕"
                        </button>
                        {may_change
                            .then(|| {
                                view! {
                                    <PriceChange
                                        key=key
                                        name=name.clone()
                                        cart=cart
                                        settings=settings
                                        approving=approving
                                        message=message
                                    />
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
                <h2 id="cart-title">{t!(i18n, sale.cart.title)}</h2>
                {on_why
                    .map(|why| {
                        view! {
                            <button
                                type="button"
                                class="why"
                                on:click=move |_| why.run(())
                                disabled=move || cart.with(Cart::is_empty)
                            >
                                {t!(i18n, sale.cart.why)}
                            </button>
                        }
                    })}
                <label for="price-group">{t!(i18n, sale.cart.price_group)}</label>
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
                            let what = tu_string!(i18n, sale.cart.sell_at_group, name = name);
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
                                    name: t_string!(i18n, sale.cart.standard).into(),
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
                note.and_then(|n| n.get())
                    .map(|n| {
                        view! {
                            <p class="note" role="status" data-testid="cart-note">
                                {n}
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
                                    t_string!(i18n, sale.cart.approved_offline)
                                } else {
                                    t_string!(i18n, sale.cart.approved)
                                }}
                            </p>
                        }
                    })
            }}
            <ul class="cart-lines" aria-label=move || t_string!(i18n, sale.cart.lines)>
                {lines}
            </ul>
            <Show when=move || cart.with(Cart::is_empty)>
                <p class="hint">{t!(i18n, sale.cart.empty_hint)}</p>
            </Show>
            <dl class="totals">
                <dt>{t!(i18n, sale.cart.items)}</dt>
                <dd>{move || totals.get().items}</dd>
                <Show when=move || !totals.get().discount.is_zero()>
                    <dt>{t!(i18n, sale.cart.discount)}</dt>
                    <dd>{move || fmt(totals.get().discount)}</dd>
                </Show>
                {move || {
                    totals
                        .get()
                        .vat
                        .into_iter()
                        .map(|v| {
                            view! {
                                <dt>{t_string!(i18n, sale.cart.vat, percent = v.percent.normalize())}</dt>
                                <dd>{fmt(v.vat)}</dd>
                            }
                        })
                        .collect_view()
                }}
                <dt class="total">{t!(i18n, sale.cart.total)}</dt>
                <dd class="total" data-testid="cart-total">
                    {move || fmt(totals.get().total)}
                </dd>
            </dl>
        </section>
    }
}
