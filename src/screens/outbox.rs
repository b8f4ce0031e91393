//! The outbox's status, always visible: what waits per kind, since when, the
//! last successful flush, and the records that need attention with the back
//! office's reason, which a role that may can retry, correct or void, and
//! export with everything unsent to a file.

use super::modal::Modal;
use crate::cashier::Cashier;
use crate::storage::ledger::{OutboxView, Settlement};
use crate::storage::Storage;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use possum_contract::activity::LogLevel;
use possum_contract::catalogue::Permission;
use possum_register::outbox::{age, edited, Entry, State};
use uuid::Uuid;

/// What every tab shows of the outbox.
#[derive(Clone, Copy)]
pub struct OutboxState {
    /// Heads of every queued record, bodies only of those that need attention.
    pub view: RwSignal<OutboxView>,
    pub last_flush: RwSignal<Option<DateTime<Utc>>>,
    pub error: RwSignal<Option<String>>,
    pub flushing: RwSignal<bool>,
    /// A read of the outbox is under way; `next` waits for it.
    reading: StoredValue<bool>,
    next: StoredValue<Option<Read>>,
}

/// How much of the outbox a reload reads.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Read {
    /// Only the records queued after the newest one shown (this tab added some).
    Newer,
    /// All of it (records were sent, corrected, voided, or another tab changed them).
    All,
}

impl OutboxState {
    pub fn new() -> Self {
        Self {
            view: RwSignal::new(OutboxView::default()),
            last_flush: RwSignal::new(None),
            error: RwSignal::new(None),
            flushing: RwSignal::new(false),
            reading: StoredValue::new(false),
            next: StoredValue::new(None),
        }
    }

    /// Reads the outbox again (after a change in this tab or another).
    pub fn reload(self) {
        self.read(Read::All);
    }

    /// Adds what this tab just queued (a sale, a park, a refund) to the view.
    pub fn reload_newer(self) {
        self.read(Read::Newer);
    }

    /// Reads run one at a time, in order, and requests made meanwhile merge
    /// into one: a read of the newer records then always starts from a view
    /// that holds everything before them.
    fn read(self, wanted: Read) {
        if self.reading.get_value() {
            self.next.update_value(|next| *next = Some(next.map_or(wanted, |n| n.max(wanted))));
            return;
        }
        self.reading.set_value(true);
        spawn_local(async move {
            let mut read = Some(wanted);
            while let Some(what) = read {
                let after = self.view.with_untracked(OutboxView::last_seq);
                let done = async {
                    let storage = Storage::open_default().await?;
                    match what {
                        Read::All => storage.outbox_view().await.map(|v| self.view.set(v)),
                        Read::Newer => storage
                            .outbox_view_after(after)
                            .await
                            .map(|newer| self.view.update(|v| v.followed_by(newer))),
                    }
                }
                .await;
                if let Err(e) = done {
                    self.error.set(Some(e.to_string()));
                }
                read = None;
                self.next.update_value(|next| read = next.take());
            }
            self.reading.set_value(false);
        });
    }
}

impl Default for OutboxState {
    fn default() -> Self {
        Self::new()
    }
}

/// The outbox line of the status strip, on every screen: what waits per
/// kind and since when, the last successful flush, and how many records need
/// attention (a link to the screen where they are resolved).
#[component]
pub fn OutboxSummary(state: OutboxState) -> impl IntoView {
    let now = RwSignal::new(Utc::now());
    let tick = set_interval_with_handle(move || now.set(Utc::now()), std::time::Duration::from_secs(15)).ok();
    on_cleanup(move || {
        if let Some(t) = tick {
            t.clear();
        }
    });
    let s = Memo::new(move |_| state.view.with(OutboxView::summary));
    let attention = move || s.get().attention + state.view.with(|v| v.unreadable.len());
    view! {
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
            {move || state.last_flush.get().map(|t| format!("Last sent {}", crate::clock::time(t))).unwrap_or_else(|| "Not sent yet this session".into())}
        </span>
        <Show when=move || attention() != 0>
            <A href="/sync" attr:class="attention-link" attr:data-testid="needs-attention">{move || format!("Needs attention: {}", attention())}</A>
        </Show>
        {move || state.error.get().map(|e| view! { <p class="error" role="alert" data-testid="flush-error">{e}</p> })}
    }
}

/// The records the back office refused, with its reason: a role that may
/// retries, corrects or voids each, and exports everything unsent to a file.
#[component]
pub fn NeedsAttention(
    state: OutboxState,
    cashier: RwSignal<Option<Cashier>>,
    terminal_id: Signal<Uuid>,
    on_retry: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let s = Memo::new(move |_| state.view.with(OutboxView::summary));
    let unreadable = move || state.view.with(|v| v.unreadable.len());
    let needs_attention = move || s.get().attention + unreadable() != 0;
    let may_resolve =
        move || cashier.with(|c| c.as_ref().is_some_and(|c| c.may(Permission::ResolveRejected)));
    let may_export = move || cashier.with(|c| c.as_ref().is_some_and(|c| c.may(Permission::ExportRecords)));
    // The record being corrected and its text (owned here: the list re-renders on every flush).
    let editing = RwSignal::new(None::<(u64, Entry)>);
    let edit_text = RwSignal::new(String::new());
    let edit_error = RwSignal::new(None::<String>);
    // Runs a change to the outbox, then tells every tab and flushes.
    let apply = move |work: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<(), crate::error::AppError>>>,
    >| {
        spawn_local(async move {
            match work.await {
                Ok(()) => {
                    state.reload();
                    on_retry();
                }
                Err(e) => state.error.set(Some(e.to_string())),
            }
        });
    };
    // Back to pending as it is: the next flush sends it again.
    let retry = move |seq: u64, mut entry: Entry| {
        entry.state = State::Pending;
        apply(Box::pin(async move {
            Storage::open_default()
                .await?
                .settle(Settlement { update: vec![(seq, entry)], ..Default::default() })
                .await
        }));
    };
    let save_edit = move || {
        let Some((seq, entry)) = editing.get_untracked() else { return };
        match edited(&entry, &edit_text.get_untracked()) {
            Ok(fixed) => {
                editing.set(None);
                edit_error.set(None);
                apply(Box::pin(
                    async move { Storage::open_default().await?.replace_entry(seq, &fixed).await },
                ));
            }
            Err(e) => edit_error.set(Some(e)),
        }
    };
    let void = move |seq: u64, entry: Entry| {
        let by = cashier.with_untracked(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default());
        let body = serde_json::from_str::<serde_json::Value>(&entry.body)
            .unwrap_or(serde_json::Value::String(entry.body.clone()));
        let message = format!(
            "{} voided {} {} refused with: {}",
            by,
            entry.kind.record_name(),
            entry.id,
            entry.last_error.clone().unwrap_or_default()
        );
        let context = serde_json::json!({ "kind": entry.kind, "record": body });
        let log = crate::sync::device_log::entry(
            terminal_id.get_untracked(),
            LogLevel::Warning,
            "outbox",
            &message,
            Some(context),
        );
        apply(Box::pin(async move { Storage::open_default().await?.void_entry(seq, &entry, &log?).await }));
    };
    let export = move |_| {
        spawn_local(async move {
            let exported = async {
                let outbox = Storage::open_default().await?.outbox().await?;
                let file = crate::browser::export::unsent_records(
                    terminal_id.get_untracked(),
                    &outbox.entries,
                    &outbox.unreadable,
                    chrono::Utc::now(),
                );
                crate::browser::export::download(&file.name, &file.json)
            }
            .await;
            if let Err(e) = exported {
                state.error.set(Some(e.to_string()));
            }
        });
    };
    view! {
        <section class="attention card" aria-labelledby="attention-title">
            <h2 id="attention-title">"Needs attention"</h2>
            <Show when=move || may_export() && (s.get().pending + s.get().attention + unreadable()) != 0>
                <button type="button" on:click=export>"Export unsent records"</button>
            </Show>
            <Show when=move || !needs_attention()>
                <p>"The back office has refused nothing."</p>
            </Show>
            <Show when=needs_attention>
                    <ul aria-label="Refused records">
                        {move || state.view.with(|v| v.attention.clone()).into_iter().map(|(seq, e)| {
                            let again = StoredValue::new(e.clone());
                            let name = format!("{} {}", e.kind.record_name(), e.id);
                            view! {
                            <li data-testid="attention-record">
                                <span>{format!("{name}: {}", e.last_error.clone().unwrap_or_default())}</span>
                                <Show when=may_resolve fallback=|| view! { <span class="hint">" A manager can retry, correct or void it."</span> }>
                                    <button type="button" aria-label=format!("Retry {name}") on:click=move |_| retry(seq, again.get_value())>"Retry"</button>
                                    <button type="button" aria-label=format!("Correct {name}") on:click=move |_| {
                                        let e = again.get_value();
                                        let pretty = serde_json::from_str::<serde_json::Value>(&e.body).ok().and_then(|v| serde_json::to_string_pretty(&v).ok()).unwrap_or(e.body.clone());
                                        edit_error.set(None);
                                        edit_text.set(pretty);
                                        editing.set(Some((seq, e)));
                                    }>"Correct"</button>
                                    <button type="button" aria-label=format!("Void {name}") on:click=move |_| void(seq, again.get_value())>"Void"</button>
                                </Show>
                            </li>
                        }}).collect_view()}
                        {move || state.view.with(|v| v.unreadable.clone()).into_iter().map(|(_, why)| view! { <li>{why}</li> }).collect_view()}
                    </ul>
            </Show>
        </section>
        {move || editing.get().map(|(_, e)| view! {
            <Modal labelled_by="edit-record-title" on_cancel=Callback::new(move |_| editing.set(None))>
                <section class="card edit-record">
                    <h2 id="edit-record-title">{format!("Correct {} {}", e.kind.record_name(), e.id)}</h2>
                    <p>{format!("The back office said: {}", e.last_error.clone().unwrap_or_default())}</p>
                    <label for="edit-record-body">"Record (JSON)"</label>
                    <textarea id="edit-record-body" rows="16" spellcheck="false" prop:value=edit_text.get_untracked() on:input=move |ev| edit_text.set(event_target_value(&ev))></textarea>
                    {move || edit_error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                    <div class="actions">
                        <button type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
                        <button type="button" class="primary" on:click=move |_| save_edit()>"Save and send again"</button>
                    </div>
                </section>
            </Modal>
        })}
    }
}
