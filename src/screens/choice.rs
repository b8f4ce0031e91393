//! One of a group of radio choices (a manager, a payment method), the whole
//! label a touch target: what several dialogs offer to pick from.

use leptos::prelude::*;

#[component]
pub fn Choice(
    /// The group's name: one of the group is checked.
    name: &'static str,
    checked: Signal<bool>,
    on_pick: Callback<()>,
    children: Children,
) -> impl IntoView {
    view! {
        <label class="choice">
            <input type="radio" name=name checked=checked on:change=move |_| on_pick.run(()) />
            {children()}
        </label>
    }
}
