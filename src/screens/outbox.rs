//! The outbox as staff see it: in the status strip, what waits to be sent
//! in a cashier's words and since when, and how many records need
//! attention; on the Sync screen, the records the back office refused with
//! its reason, which a role that may can retry, correct or void, and export
//! with everything unsent to a file. (What waits per kind, the last send
//! and its failure are on the Sync screen too: `status.rs`.)

use super::modal::Modal;
use super::status::since;
use crate::browser::export;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::storage::ledger::{OutboxView, Settlement};
use crate::storage::Storage;
use crate::sync::device_log;
use crate::sync::status::OutboxState;
use crate::tasks::Task;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use possum_contract::activity::LogLevel;
use possum_contract::catalogue::Permission;
use possum_contract::endpoints::PushKind;
use possum_register::outbox::{edited, Entry, State};
use uuid::Uuid;

/// `n` of a thing, with the right word for one and for many.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The outbox in the strip, in a cashier's words: how many sales wait to
/// be sent and since when ("1 sale", never "1 orders"); with no sale
/// waiting, how many other records do. The Sync screen counts every kind.
pub fn waiting_text(
    records: impl IntoIterator<Item = (PushKind, State, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> String {
    let (mut sales, mut others) = ((0, None), (0, None));
    for (kind, state, at) in records {
        if state != State::Pending {
            continue;
        }
        let (n, oldest) = if kind == PushKind::Order { &mut sales } else { &mut others };
        *n += 1;
        *oldest = Some(oldest.map_or(at, |t: DateTime<Utc>| t.min(at)));
    }
    match (sales, others) {
        ((0, _), (0, _)) => "Nothing waiting to be sent".to_string(),
        ((0, _), (n, oldest)) => waiting(count(n, "record", "records"), oldest, now),
        ((n, oldest), _) => waiting(count(n, "sale", "sales"), oldest, now),
    }
}

fn waiting(what: String, oldest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match oldest {
        Some(t) => format!("{what} waiting to be sent since {}", since(t, now)),
        None => format!("{what} waiting to be sent"),
    }
}

/// The outbox part of the status strip, on every screen: what waits and
/// since when, and how many records need attention (a link to the Sync
/// screen, where they are resolved and every detail is).
#[component]
pub fn OutboxSummary(state: OutboxState) -> impl IntoView {
    let s = Memo::new(move |_| state.view.with(OutboxView::summary));
    let attention = move || s.get().attention + state.view.with(|v| v.unreadable.len());
    view! {
        <span class="waiting" role="status" data-testid="outbox-pending">
            {move || {
                state
                    .view
                    .with(|v| waiting_text(
                        v.heads.iter().map(|(_, h)| (h.kind, h.state, h.created_at)),
                        Utc::now(),
                    ))
            }}
        </span>
        <Show when=move || attention() != 0>
            <A href="/sync" attr:class="attention-link" attr:data-testid="needs-attention">
                {move || format!("Needs attention: {}", attention())}
            </A>
        </Show>
    }
}

/// What staff do with a refused record.
#[derive(Clone)]
enum Resolution {
    /// Back to pending as it is.
    Retry(u64, Entry),
    /// Replaced by a corrected record (checked by `outbox::edited`).
    Correct(u64, Entry),
    /// Out of the outbox for good, inside a device log (the back office still hears of it).
    Void(u64, Entry, Entry),
}

impl Resolution {
    async fn apply(self) -> Result<(), AppError> {
        let storage = Storage::open_default().await?;
        match self {
            Resolution::Retry(seq, mut entry) => {
                entry.state = State::Pending;
                storage.settle(Settlement { update: vec![(seq, entry)], ..Default::default() }).await
            }
            Resolution::Correct(seq, fixed) => storage.replace_entry(seq, &fixed).await,
            Resolution::Void(seq, entry, log) => storage.void_entry(seq, &entry, &log).await,
        }
    }
}

/// The device log that carries a voided record to the back office.
fn void_log(terminal_id: Uuid, by: &str, entry: &Entry) -> Result<Entry, AppError> {
    let body = serde_json::from_str::<serde_json::Value>(&entry.body)
        .unwrap_or(serde_json::Value::String(entry.body.clone()));
    let message = format!(
        "{by} voided {} {} refused with: {}",
        entry.kind.record_name(),
        entry.id,
        entry.last_error.clone().unwrap_or_default()
    );
    let context = serde_json::json!({ "kind": entry.kind, "record": body });
    device_log::entry(terminal_id, LogLevel::Warning, "outbox", &message, Some(context))
}

/// Everything unsent, downloaded as a file.
async fn export_unsent(terminal_id: Uuid) -> Result<(), AppError> {
    let outbox = Storage::open_default().await?.outbox().await?;
    let file = export::unsent_records(terminal_id, &outbox.entries, &outbox.unreadable, chrono::Utc::now());
    export::download(&file.name, &file.json)
}

/// The records the back office refused, with its reason: a role that may
/// retries, corrects or voids each, and exports everything unsent to a file.
#[component]
pub fn NeedsAttention() -> impl IntoView {
    let ctx = TerminalContext::get();
    let state = ctx.sync.outbox;
    let s = Memo::new(move |_| state.view.with(OutboxView::summary));
    let unreadable = move || state.view.with(|v| v.unreadable.len());
    let needs_attention = move || s.get().attention + unreadable() != 0;
    let may_resolve = move || ctx.may(Permission::ResolveRejected);
    let may_export = move || ctx.may(Permission::ExportRecords);
    // The record being corrected and its text (owned here: the list re-renders on every flush).
    let editing = RwSignal::new(None::<(u64, Entry)>);
    let edit_text = RwSignal::new(String::new());
    let edit_error = RwSignal::new(None::<String>);
    // A change to the outbox; then every tab shows it and it is sent at once.
    let resolve = Task::new(move |change: &Resolution| {
        let change = change.clone();
        async move {
            match change.apply().await {
                Ok(()) => {
                    state.reload();
                    ctx.sync.flush_now(true);
                }
                Err(e) => state.failed(e, None),
            }
        }
    });
    let busy = resolve.pending();
    // Back to pending as it is: the next flush sends it again.
    let retry = move |seq: u64, entry: Entry| {
        resolve.dispatch(Resolution::Retry(seq, entry));
    };
    let save_edit = move || {
        let Some((seq, entry)) = editing.get_untracked() else { return };
        match edited(&entry, &edit_text.get_untracked()) {
            Ok(fixed) => {
                editing.set(None);
                edit_error.set(None);
                resolve.dispatch(Resolution::Correct(seq, fixed));
            }
            Err(e) => edit_error.set(Some(e)),
        }
    };
    let void = move |seq: u64, entry: Entry| {
        let by = ctx.cashier.with_untracked(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default());
        match void_log(ctx.terminal_id(), &by, &entry) {
            Ok(log) => {
                resolve.dispatch(Resolution::Void(seq, entry, log));
            }
            Err(e) => state.failed(e, None),
        }
    };
    let export = Task::new(move |_: &()| async move {
        if let Err(e) = export_unsent(ctx.terminal_id()).await {
            state.failed(e, None);
        }
    });
    view! {
        <section class="attention card" aria-labelledby="attention-title">
            <h2 id="attention-title">"Needs attention"</h2>
            <Show when=move || may_export() && (s.get().pending + s.get().attention + unreadable()) != 0>
                <button
                    type="button"
                    on:click=move |_| {
                        export.dispatch(());
                    }
                    disabled=export.pending()
                >
                    "Export unsent records"
                </button>
            </Show>
            <Show when=move || !needs_attention()>
                <p>"The back office has refused nothing."</p>
            </Show>
            <Show when=needs_attention>
                <ul aria-label="Refused records">
                    {move || {
                        state
                            .view
                            .with(|v| v.attention.clone())
                            .into_iter()
                            .map(|(seq, e)| {
                                let again = StoredValue::new(e.clone());
                                let name = format!("{} {}", e.kind.record_name(), e.id);
                                view! {
                                    <li data-testid="attention-record">
                                        <span>
                                            {format!("{name}: {}", e.last_error.clone().unwrap_or_default())}
                                        </span>
                                        <Show
                                            when=may_resolve
                                            fallback=|| {
                                                view! {
                                                    <span class="hint">
                                                        " A manager can retry, correct or void it."
                                                    </span>
                                                }
                                            }
                                        >
                                            <button
                                                type="button"
                                                aria-label=format!("Retry {name}")
                                                on:click=move |_| retry(seq, again.get_value())
                                                disabled=busy
                                            >
                                                "Retry"
                                            </button>
                                            <button
                                                type="button"
                                                aria-label=format!("Correct {name}")
                                                on:click=move |_| {
                                                    let e = again.get_value();
                                                    let pretty = serde_json::from_str::<
                                                        serde_json::Value,
                                                    >(&e.body)
                                                        .ok()
                                                        .and_then(|v| serde_json::to_string_pretty(&v).ok())
                                                        .unwrap_or(e.body.clone());
                                                    edit_error.set(None);
                                                    edit_text.set(pretty);
                                                    editing.set(Some((seq, e)));
                                                }
                                            >
                                                "Correct"
                                            </button>
                                            <button
                                                type="button"
                                                aria-label=format!("Void {name}")
                                                on:click=move |_| void(seq, again.get_value())
                                                disabled=busy
                                            >
                                                "Void"
                                            </button>
                                        </Show>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                    {move || {
                        state
                            .view
                            .with(|v| v.unreadable.clone())
                            .into_iter()
                            .map(|(_, why)| view! { <li>{why}</li> })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </section>
        {move || {
            editing
                .get()
                .map(|(_, e)| {
                    view! {
                        <Modal
                            labelled_by="edit-record-title"
                            on_cancel=Callback::new(move |_| editing.set(None))
                        >
                            <section class="card edit-record">
                                <h2 id="edit-record-title">
                                    {format!("Correct {} {}", e.kind.record_name(), e.id)}
                                </h2>
                                <p>
                                    {format!(
                                        "The back office said: {}",
                                        e.last_error.clone().unwrap_or_default(),
                                    )}
                                </p>
                                <label for="edit-record-body">"Record (JSON)"</label>
                                <textarea
                                    id="edit-record-body"
                                    rows="16"
                                    spellcheck="false"
                                    prop:value=edit_text.get_untracked()
                                    on:input=move |ev| edit_text.set(event_target_value(&ev))
                                ></textarea>
                                {move || {
                                    edit_error
                                        .get()
                                        .map(|m| {
                                            view! {
                                                <p class="error" role="alert">
                                                    {m}
                                                </p>
                                            }
                                        })
                                }}
                                <div class="actions">
                                    <button type="button" on:click=move |_| editing.set(None)>
                                        "Cancel"
                                    </button>
                                    <button type="button" class="primary" on:click=move |_| save_edit()>
                                        "Save and send again"
                                    </button>
                                </div>
                            </section>
                        </Modal>
                    }
                })
        }}
    }
}
