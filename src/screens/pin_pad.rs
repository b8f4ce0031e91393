//! The PIN pad: ten digits, delete and clear, each a large target, for a
//! tablet that has no keyboard (the cashier sign-in, a manager's approval).
//! A tap does not move the focus, so a card swipe still lands in the card
//! field that has it.

use crate::i18n::*;
use leptos::prelude::*;

/// The longest PIN the pad takes (a manager's has at least eight digits).
const PIN_MAX: usize = 16;

/// The PIN pad: ten digits, delete and clear, each a large target. A tap
/// does not move the focus (it stays in the card field, ready for a swipe).
#[component]
pub fn PinPad(pin: RwSignal<String>, disabled: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let keep_focus = |ev: leptos::ev::PointerEvent| ev.prevent_default();
    let keep_focus_mouse = |ev: leptos::ev::MouseEvent| ev.prevent_default();
    let digit = move |d: char| {
        view! {
            <button
                type="button"
                on:pointerdown=keep_focus
                on:mousedown=keep_focus_mouse
                on:click=move |_| {
                    pin.update(|p| {
                        if p.len() < PIN_MAX {
                            p.push(d);
                        }
                    })
                }
                disabled=disabled
            >
                {d.to_string()}
            </button>
        }
    };
    view! {
        <div
            class="pin-pad"
            role="group"
            aria-label=move || t_string!(i18n, sale.pin.pad)
            data-testid="pin-pad"
        >
            {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(digit)}
            <button
                type="button"
                class="pad-clear"
                on:pointerdown=keep_focus
                on:mousedown=keep_focus_mouse
                on:click=move |_| pin.set(String::new())
                disabled=disabled
            >
                {t!(i18n, sale.pin.clear)}
            </button>
            {digit('0')}
            <button
                type="button"
                class="pad-delete"
                aria-label=move || t_string!(i18n, sale.pin.delete)
                on:pointerdown=keep_focus
                on:mousedown=keep_focus_mouse
                on:click=move |_| {
                    pin.update(|p| {
                        p.pop();
                    })
                }
                disabled=disabled
            >
                "⌫"
            </button>
        </div>
    }
}
