//! The cart's promotions kept current: the campaigns and discount programs
//! are put on the cart's lines again (`Catalogue::reprice`) whenever the
//! cart, its customer, the catalogue, this terminal's own sales or the
//! minute change. A campaign that starts at 06:00 applies to a cart opened
//! at 05:59 once the minute turns.
//!
//! While a payment or refund dialog is open the cart keeps the prices the
//! customer was told: the payment was taken for them (`Checkout::pays_for`).

use super::state::SaleState;
use crate::catalogue::OwnSales;
use crate::context::TerminalContext;
use crate::storage::Storage;
use crate::tasks::reload_on;
use chrono::Utc;
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// How often the clock is looked at: a campaign starts at most this late.
const TICK: Duration = Duration::from_secs(5);

/// The minute it is now (Unix minutes).
pub fn minute_now() -> i64 {
    Utc::now().timestamp().div_euclid(60)
}

/// Starts the minute tick, the reading of this terminal's own sales and the
/// repricing, for as long as the calling owner (the terminal) lives.
pub(super) fn keep_repriced(state: SaleState, ctx: TerminalContext) {
    let SaleState { catalogue, cart, own, minute, dialog_open, load_error, .. } = state;
    // Own sales: after every change of the ledger (a sale here or in another
    // tab, a flush), and when a customer is put on the cart.
    let customer = Memo::new(move |_| cart.with(|c| c.customer.as_ref().map(|a| a.customer.id)));
    let ledger = ctx.sync.ledger_version;
    let version = Signal::derive(move || {
        customer.track();
        ledger.get()
    });
    reload_on(
        version,
        || async { OwnSales::load(&Storage::open_default().await?).await },
        move |read| match read {
            Ok(read) => own.set(Arc::new(read)),
            Err(e) => load_error.set(Some(e)),
        },
    );
    let tick = set_interval_with_handle(
        move || {
            let now = minute_now();
            if minute.get_untracked() != now {
                minute.set(now);
            }
        },
        TICK,
    )
    .ok();
    on_cleanup(move || {
        if let Some(handle) = tick {
            handle.clear();
        }
    });
    Effect::new(move |_| {
        minute.track();
        if dialog_open.get() {
            return;
        }
        let settings = ctx.settings.get();
        let desk = ctx.session.with(|s| s.client_number);
        let current = cart.get();
        let mut repriced = current.clone();
        own.with(|own| catalogue.with(|c| c.reprice(&mut repriced, desk, own, Utc::now(), &settings)));
        // Unchanged, the cart is not set again: this effect would run once more for nothing.
        if repriced != current {
            cart.set(repriced);
        }
    });
}
