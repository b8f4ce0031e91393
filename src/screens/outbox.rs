//! The outbox's status, always visible: what waits per kind, since when, the
//! last successful flush, and the records that need attention with the back
//! office's reason (retried by a role that may).

use crate::cashier::Cashier;
use crate::ledger::{Outbox, Settlement};
use crate::storage::Storage;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::catalogue::Permission;
use possum_register::outbox::{age, summary, Entry, State};

/// What every tab shows of the outbox.
#[derive(Clone, Copy)]
pub struct OutboxState {
    pub queue: RwSignal<Outbox>,
    pub last_flush: RwSignal<Option<DateTime<Utc>>>,
    pub error: RwSignal<Option<String>>,
    pub flushing: RwSignal<bool>,
}

impl OutboxState {
    pub fn new() -> Self {
        Self { queue: RwSignal::new(Outbox::default()), last_flush: RwSignal::new(None), error: RwSignal::new(None), flushing: RwSignal::new(false) }
    }

    /// Reads the outbox again (after a change in this tab or another).
    pub fn reload(self) {
        spawn_local(async move {
            match async { Storage::open_default().await?.outbox().await }.await {
                Ok(q) => self.queue.set(q),
                Err(e) => self.error.set(Some(e.to_string())),
            }
        });
    }
}

impl Default for OutboxState {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn OutboxStatus(state: OutboxState, cashier: RwSignal<Option<Cashier>>, on_retry: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let now = RwSignal::new(Utc::now());
    let tick = set_interval_with_handle(move || now.set(Utc::now()), std::time::Duration::from_secs(15)).ok();
    on_cleanup(move || {
        if let Some(t) = tick {
            t.clear();
        }
    });
    let s = Memo::new(move |_| state.queue.with(|q| summary(&q.plain())));
    let unreadable = move || state.queue.with(|q| q.unreadable.len());
    let needs_attention = move || s.get().attention + unreadable() != 0;
    let may_resolve = move || cashier.with(|c| c.as_ref().is_some_and(|c| c.may(Permission::ResolveRejected)));
    // Back to pending: the next flush sends it again.
    let retry = move |seq: u64, mut entry: Entry| {
        entry.state = State::Pending;
        spawn_local(async move {
            let done = async { Storage::open_default().await?.settle(Settlement { update: vec![(seq, entry)], ..Default::default() }).await }.await;
            match done {
                Ok(()) => {
                    crate::tabs::announce();
                    state.reload();
                    on_retry();
                }
                Err(e) => state.error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <section class="outbox" aria-label="Outbox">
            <span role="status" data-testid="outbox-pending">
                {move || {
                    let s = s.get();
                    if s.pending == 0 { "Nothing waiting to be sent".to_string() } else {
                        let kinds = s.kinds.iter().filter(|k| k.pending > 0).map(|k| format!("{} {}", k.pending, k.kind.name())).collect::<Vec<_>>().join(", ");
                        let oldest = s.oldest_pending.map(|t| format!(", oldest {}", age(t, now.get()))).unwrap_or_default();
                        format!("Waiting to be sent: {kinds}{oldest}")
                    }
                }}
            </span>
            <span data-testid="last-flush">
                {move || state.last_flush.get().map(|t| format!("Last sent {}", t.format("%H:%M:%S UTC"))).unwrap_or_else(|| "Not sent yet this session".into())}
            </span>
            {move || state.error.get().map(|e| view! { <p class="error" role="alert" data-testid="flush-error">{e}</p> })}
            <Show when=needs_attention>
                <details class="attention" open>
                    <summary data-testid="needs-attention">{move || format!("Needs attention: {}", s.get().attention + unreadable())}</summary>
                    <ul>
                        {move || state.queue.get().entries.into_iter().filter(|(_, e)| e.state == State::Attention).map(|(seq, e)| {
                            let again = StoredValue::new(e.clone());
                            view! {
                            <li data-testid="attention-record">
                                <span>{format!("{} {}: {}", e.kind.name(), e.id, e.last_error.clone().unwrap_or_default())}</span>
                                <Show when=may_resolve fallback=|| view! { <span class="hint">" A manager can retry it."</span> }>
                                    <button type="button" on:click=move |_| retry(seq, again.get_value())>"Retry"</button>
                                </Show>
                            </li>
                        }}).collect_view()}
                        {move || state.queue.get().unreadable.into_iter().map(|(_, why)| view! { <li>{why}</li> }).collect_view()}
                    </ul>
                </details>
            </Show>
        </section>
    }
}
