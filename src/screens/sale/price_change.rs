//! A manager's price change on the cart: a line's "Change price" (a unit
//! price or a discount in percent, typed as staff type amounts), and the
//! rule every change beyond a cashier's role goes through: a price away from
//! the list or another price group waits for a manager's approval, and what
//! no approval allows is refused.

use crate::error::words;
use crate::i18n::*;
use crate::screens::approval::ApprovalAsk;
use crate::sync::approval::Wanted;
use leptos::prelude::*;
use possum_contract::catalogue::{Permission, Role};
use possum_contract::settings::TerminalSettings;
use possum_register::approval::{given_away, over_max_discount};
use possum_register::cart::{Cart, CartError};
use possum_register::money;

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
    locale: Locale,
) {
    let mut changed = cart.get_untracked();
    if let Err(e) = f(&mut changed, settings) {
        return message.set(Some(e.to_string()));
    }
    if let Some(line) = over_max_discount(&changed, settings) {
        return message.set(Some(td_string!(
            locale,
            sale.price.over_max,
            percent = settings.max_discount_percent.normalize(),
            name = &line.article.name
        )));
    }
    message.set(None);
    if !changed.needs_approval(settings) {
        return cart.set(changed);
    }
    let amount = given_away(&changed, settings);
    let what = match amount.is_zero() {
        true => format!("{what}."),
        false => {
            let below = crate::language::written(amount, settings, locale);
            td_string!(locale, sale.price.below, what = what, amount = below)
        }
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

/// A line's "Change price": folded to its summary in the line's row, the
/// form on the row below when open.
#[component]
pub fn PriceChange(
    key: u32,
    name: String,
    cart: RwSignal<Cart>,
    settings: Signal<TerminalSettings>,
    approving: RwSignal<Option<ApprovalAsk>>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let kronor = crate::language::use_kronor();
    let new_price = RwSignal::new(String::new());
    let fmt = move |d| kronor.show(d, &settings.get_untracked());
    let approve = move |what: (String, Permission),
                        f: &dyn Fn(&mut Cart, &TerminalSettings) -> Result<(), CartError>| {
        let locale = i18n.get_locale_untracked();
        change_with_approval(cart, &settings.get_untracked(), approving, message, what, f, locale)
    };
    let (name_for_price, name_for_discount) = (name.clone(), name.clone());
    view! {
        <details class="override">
            // A pencil in the row leaves the line's name room to be read; the
            // words stay the summary's name for screen readers and voice control.
            <summary title=t_string!(i18n, sale.price.change_of, name = &name)>
                <span aria-hidden="true">"✎"</span>
                <span class="visually-hidden">{t!(i18n, sale.price.change)}</span>
            </summary>
            <label>
                {t_string!(i18n, sale.price.new_for, name = &name)}
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
                            let what = tu_string!(i18n, sale.price.sell_at, name = &name_for_price, price = fmt(price));
                            approve(
                                (what, Permission::PriceOverride),
                                &|c, s| c.override_price(key, price, Role::Manager, s),
                            )
                        }
                        Err(e) => message.set(Some(words::amount(&e, i18n.get_locale_untracked()))),
                    }
                }
            >
                {t!(i18n, sale.price.set)}
            </button>
            <button
                type="button"
                on:click=move |_| {
                    match money::parse_percent(&new_price.get_untracked()) {
                        Ok(pct) => {
                            let what = tu_string!(i18n, sale.price.take_off, percent = pct.normalize(), name = &name_for_discount);
                            approve(
                                (what, Permission::Discount),
                                &|c, s| c.discount_percent(key, pct, Role::Manager, s),
                            )
                        }
                        Err(e) => message.set(Some(words::amount(&e, i18n.get_locale_untracked()))),
                    }
                }
            >
                {t!(i18n, sale.price.discount)}
            </button>
        </details>
    }
}
