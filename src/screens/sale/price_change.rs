//! A manager's price change on the cart: a line's "Change price" (a unit
//! price or a discount in percent, typed as staff type amounts), and the
//! rule every change beyond a cashier's role goes through: a price away from
//! the list or another price group waits for a manager's approval, and what
//! no approval allows is refused.

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
    let new_price = RwSignal::new(String::new());
    let fmt = move |d| money::format(d, &settings.get_untracked());
    let approve = move |what: (String, Permission),
                        f: &dyn Fn(&mut Cart, &TerminalSettings) -> Result<(), CartError>| {
        change_with_approval(cart, &settings.get_untracked(), approving, message, what, f)
    };
    let (name_for_price, name_for_discount) = (name.clone(), name.clone());
    view! {
        <details class="override">
            // A pencil in the row leaves the line's name room to be read; the
            // words stay the summary's name for screen readers and voice control.
            <summary title=format!("Change price of {name}")>
                <span aria-hidden="true">"✎"</span>
                <span class="visually-hidden">"Change price"</span>
            </summary>
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
                            let what = format!("Sell {name_for_price} at {} each", fmt(price));
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
                            let what = format!("Take {}% off {name_for_discount}", pct.normalize());
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
}
