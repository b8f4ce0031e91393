//! Parked sales: a cart set aside (and queued as `PostOpenOrder`), resumed
//! later on this tablet.

use super::state::SaleState;
use crate::cashier::Cashier;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::session::Session;
use crate::storage::ledger::Parked;
use crate::storage::Storage;
use crate::sync::journal;
use crate::tasks::Task;
use chrono::Utc;
use leptos::prelude::*;
use possum_contract::activity::{OpenOrder, OpenOrderStatus};
use possum_contract::endpoints::PushKind;
use possum_contract::journal::JournalKind;
use possum_contract::settings::TerminalSettings;
use possum_register::cart::Cart;
use possum_register::journal::events;
use possum_register::order::order_lines;
use possum_register::outbox::Entry;
use uuid::Uuid;

/// The `PostOpenOrder` record of a parked cart's state change.
fn open_order_entry(
    parked: &Parked,
    status: OpenOrderStatus,
    session: &Session,
    cashier: &Cashier,
    settings: &TerminalSettings,
) -> Result<Entry, AppError> {
    let now = Utc::now();
    let record = OpenOrder {
        id: Uuid::new_v4(),
        open_order_id: parked.id,
        terminal_id: session.terminal_id,
        status,
        label: parked.label.clone(),
        cashier_id: cashier.id,
        customer_id: parked.cart.customer.as_ref().map(|c| c.customer.id),
        price_group: parked.cart.price_group,
        lines: parked.cart.lines.iter().flat_map(|l| order_lines(l, settings)).collect(),
        total: parked.cart.totals(settings).total,
        changed_at: now,
    };
    let body = serde_json::to_string(&record)?;
    Ok(Entry::new(record.id, PushKind::OpenOrder, body, None, now))
}

/// Stores a park or a resume of `parked` with its record, in one transaction.
async fn store(
    ctx: TerminalContext,
    parked: &Parked,
    status: OpenOrderStatus,
    who: &Cashier,
) -> Result<(), AppError> {
    let record =
        open_order_entry(parked, status, &ctx.session.get_untracked(), who, &ctx.settings.get_untracked())?;
    let storage = Storage::open_default().await?;
    match status {
        OpenOrderStatus::Parked => storage.park(parked, &record).await,
        _ => storage.unpark(parked.id, &record).await,
    }
}

/// Parks the cart: it leaves the screen and waits in the parked list.
pub fn park_action(message: RwSignal<Option<String>>) -> Task<()> {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let state = SaleState::get();
    Task::new(move |_: &()| async move {
        let Some(who) = ctx.cashier.get_untracked() else { return };
        let current = state.cart.get_untracked();
        if current.is_empty() {
            return message.set(Some(tu_string!(i18n, sale.parked.nothing_to_park).into()));
        }
        let now = Utc::now();
        let label = match &current.customer {
            Some(c) => format!("{} {}", c.customer.name, crate::clock::hour_minute(now)),
            None => tu_string!(i18n, sale.parked.label, time = crate::clock::time(now)),
        };
        let entry = Parked {
            id: Uuid::new_v4(),
            label,
            cart: current,
            cashier_name: who.name.clone(),
            parked_at: now,
        };
        // A parked cart is an unfinished sale the day report counts.
        let journaled = ctx
            .settings
            .with_untracked(|s| events::unfinished_cart(&entry.cart, s, &who.name, Some(&entry.label)));
        match store(ctx, &entry, OpenOrderStatus::Parked, &who).await {
            Ok(()) => {
                journal::spawn_record(ctx.terminal_id(), JournalKind::Parked, journaled);
                state.parked.update(|p| p.push(entry));
                state.clear_cart();
                message.set(None);
                ctx.sync.queued();
            }
            Err(e) => message.set(Some(e.to_string())),
        }
    })
}

/// The parked sales, each resumable while the cart is empty.
#[component]
pub fn ParkedList(message: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let state = SaleState::get();
    let (cart, parked) = (state.cart, state.parked);
    let resume = Task::new(move |id: &Uuid| {
        let id = *id;
        async move {
            let Some(who) = ctx.cashier.get_untracked() else { return };
            if !cart.with_untracked(Cart::is_empty) {
                return message.set(Some(tu_string!(i18n, sale.parked.finish_first).into()));
            }
            let Some(entry) = parked.with_untracked(|p| p.iter().find(|p| p.id == id).cloned()) else {
                return;
            };
            match store(ctx, &entry, OpenOrderStatus::Resumed, &who).await {
                Ok(()) => {
                    parked.update(|p| p.retain(|p| p.id != id));
                    cart.set(entry.cart);
                    message.set(None);
                    ctx.sync.queued();
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        }
    });
    let busy = resume.pending();
    let signed_in = move || ctx.cashier.with(Option::is_some);
    view! {
        <Show when=move || parked.with(|p| !p.is_empty())>
            <section class="parked card" aria-labelledby="parked-title">
                <h2 id="parked-title">{move || t_string!(i18n, sale.parked.title, count = parked.with(Vec::len))}</h2>
                <ul>
                    {move || {
                        parked
                            .get()
                            .into_iter()
                            .map(|p| {
                                let id = p.id;
                                view! {
                                    <li data-testid="parked">
                                        {t_string!(
                                            i18n,
                                            sale.parked.line,
                                            label = &p.label,
                                            items = p.cart.totals(&ctx.settings.get_untracked()).items,
                                            cashier = &p.cashier_name
                                        )}
                                        <button
                                            type="button"
                                            on:click=move |_| {
                                                resume.dispatch(id);
                                            }
                                            disabled=move || !signed_in() || busy.get()
                                        >
                                            {t_string!(i18n, sale.parked.resume, label = &p.label)}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}
