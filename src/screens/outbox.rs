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
use crate::i18n::*;
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

/// The outbox in the strip, in a cashier's words: how many sales wait to
/// be sent and since when ("1 sale", never "1 orders"); with no sale
/// waiting, how many other records do. The Sync screen counts every kind.
pub fn waiting_text(
    records: impl IntoIterator<Item = (PushKind, State, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> String {
    waiting_text_in(records, now, Locale::en)
}

/// [`waiting_text`] in `locale`.
pub fn waiting_text_in(
    records: impl IntoIterator<Item = (PushKind, State, DateTime<Utc>)>,
    now: DateTime<Utc>,
    locale: Locale,
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
    // One and many are two sentences: "1 sale", never "1 sales".
    let what = match (sales, others) {
        ((0, _), (0, _)) => return td_string!(locale, sync.waiting.nothing).to_string(),
        ((0, _), (1, oldest)) => (td_string!(locale, sync.waiting.one_record).to_string(), oldest),
        ((0, _), (n, oldest)) => (td_string!(locale, sync.waiting.records, n = n), oldest),
        ((1, oldest), _) => (td_string!(locale, sync.waiting.one_sale).to_string(), oldest),
        ((n, oldest), _) => (td_string!(locale, sync.waiting.sales, n = n), oldest),
    };
    match what {
        (what, Some(t)) => td_string!(locale, sync.waiting.since, what = what, since = since(t, now)),
        (what, None) => td_string!(locale, sync.waiting.plain, what = what),
    }
}

/// One record of a kind, as staff read it ("Order", "Försäljning").
pub fn record_name(kind: PushKind, locale: Locale) -> &'static str {
    match kind {
        PushKind::Order => td_string!(locale, sync.record.order),
        PushKind::OpenOrder => td_string!(locale, sync.record.open_order),
        PushKind::SwishPayment => td_string!(locale, sync.record.swish_payment),
        PushKind::InvoiceCounter => td_string!(locale, sync.record.invoice_counter),
        PushKind::CashDrawerLog => td_string!(locale, sync.record.cash_drawer_log),
        PushKind::Customer => td_string!(locale, sync.record.customer),
        PushKind::DeviceLog => td_string!(locale, sync.record.device_log),
        PushKind::EmployeeLog => td_string!(locale, sync.record.employee_log),
        PushKind::Journal => td_string!(locale, sync.record.journal),
    }
}

/// The outbox part of the status strip, on every screen: what waits and
/// since when, and how many records need attention (a link to the Sync
/// screen, where they are resolved and every detail is).
#[component]
pub fn OutboxSummary(state: OutboxState) -> impl IntoView {
    let i18n = use_i18n();
    let s = Memo::new(move |_| state.view.with(OutboxView::summary));
    let attention = move || s.get().attention + state.view.with(|v| v.unreadable.len());
    view! {
        <span class="waiting" role="status" data-testid="outbox-pending">
            {move || {
                state
                    .view
                    .with(|v| waiting_text_in(
                        v.heads.iter().map(|(_, h)| (h.kind, h.state, h.created_at)),
                        Utc::now(),
                        i18n.get_locale(),
                    ))
            }}
        </span>
        <Show when=move || attention() != 0>
            <A href="/sync" attr:class="attention-link" attr:data-testid="needs-attention">
                {move || t_string!(i18n, sync.waiting.attention, n = attention())}
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
    let i18n = use_i18n();
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
            // The crate's own words for a record that does not read back (JSON).
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
            <h2 id="attention-title">{t!(i18n, sync.attention.title)}</h2>
            <Show when=move || may_export() && (s.get().pending + s.get().attention + unreadable()) != 0>
                <button
                    type="button"
                    on:click=move |_| {
                        export.dispatch(());
                    }
                    disabled=export.pending()
                >
                    {t!(i18n, sync.attention.export)}
                </button>
            </Show>
            <Show when=move || !needs_attention()>
                <p>{t!(i18n, sync.attention.refused_nothing)}</p>
            </Show>
            <Show when=needs_attention>
                <ul aria-label=move || t_string!(i18n, sync.attention.list)>
                    {move || {
                        state
                            .view
                            .with(|v| v.attention.clone())
                            .into_iter()
                            .map(|(seq, e)| {
                                let again = StoredValue::new(e.clone());
                                let name = format!("{} {}", record_name(e.kind, i18n.get_locale()), e.id);
                                view! {
                                    <li data-testid="attention-record">
                                        <span>
                                            {format!("{name}: {}", e.last_error.clone().unwrap_or_default())}
                                        </span>
                                        <Show
                                            when=may_resolve
                                            fallback=move || {
                                                view! {
                                                    " "
                                                    <span class="hint">
                                                        {t!(i18n, sync.attention.manager_hint)}
                                                    </span>
                                                }
                                            }
                                        >
                                            <button
                                                type="button"
                                                aria-label=t_string!(i18n, sync.attention.retry_label, name = &name)
                                                on:click=move |_| retry(seq, again.get_value())
                                                disabled=busy
                                            >
                                                {t!(i18n, sync.attention.retry)}
                                            </button>
                                            <button
                                                type="button"
                                                aria-label=t_string!(i18n, sync.attention.correct_label, name = &name)
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
                                                {t!(i18n, sync.attention.correct)}
                                            </button>
                                            <button
                                                type="button"
                                                aria-label=t_string!(i18n, sync.attention.void_label, name = &name)
                                                on:click=move |_| void(seq, again.get_value())
                                                disabled=busy
                                            >
                                                {t!(i18n, sync.attention.void)}
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
                                    {t_string!(
                                        i18n, sync.attention.correct_label, name = format!("{} {}", record_name(e.kind, i18n.get_locale()), e.id)
                                    )}
                                </h2>
                                <p>
                                    {t_string!(
                                        i18n, sync.attention.said, reason = e.last_error.clone().unwrap_or_default()
                                    )}
                                </p>
                                <label for="edit-record-body">{t!(i18n, sync.attention.body)}</label>
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
                                        {t!(i18n, sync.attention.cancel)}
                                    </button>
                                    <button type="button" class="primary" on:click=move |_| save_edit()>
                                        {t!(i18n, sync.attention.save)}
                                    </button>
                                </div>
                            </section>
                        </Modal>
                    }
                })
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screens::status::reach_text_in;
    use crate::sync::status::Reach;

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn the_strip_in_swedish_as_a_swedish_shop_reads_it() {
        let now = Utc::now();
        let at = now - chrono::Duration::minutes(5);
        let t = since(at, now);
        let pending = |kind| (kind, State::Pending, at);
        assert_eq!(waiting_text_in([], now, Locale::sv), "Inget väntar på att skickas");
        assert_eq!(
            waiting_text_in([pending(PushKind::Order)], now, Locale::sv),
            format!("1 försäljning väntar på att skickas sedan {t}")
        );
        assert_eq!(
            waiting_text_in([pending(PushKind::Order), pending(PushKind::Order)], now, Locale::sv),
            format!("2 försäljningar väntar på att skickas sedan {t}")
        );
        assert_eq!(
            waiting_text_in([pending(PushKind::DeviceLog)], now, Locale::sv),
            format!("1 post väntar på att skickas sedan {t}")
        );
        assert_eq!(reach_text_in(Reach::Answers { at }, now, Locale::sv), "Ansluten till backoffice");
        assert_eq!(
            reach_text_in(Reach::Unreachable { since: at }, now, Locale::sv),
            format!("Backoffice ej nåbar sedan {t}")
        );
    }
}
