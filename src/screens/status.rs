//! The sync half of the status strip (whether the back office answers, the
//! pull under way, what the cache holds, "Sync now"), and the Sync screen's
//! account of the back office: its last answer, the last pull and its
//! failure, what waits to be sent per kind, the last send and its failure,
//! the last pull of each module.

use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::storage::ledger::OutboxView;
use crate::sync::pull::Progress;
use crate::sync::status::{OutboxState, Reach, SyncState};
use chrono::{DateTime, Local, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use possum_contract::endpoints::{PullModule, PushKind};

/// "since 10:42" today, "since 2026-12-01 10:42" before today: the strip
/// says since when something has been so.
pub fn since(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if t.with_timezone(&Local).date_naive() == now.with_timezone(&Local).date_naive() {
        crate::clock::hour_minute(t)
    } else {
        crate::clock::date_time(t)
    }
}

/// The indicator's words: whether the back office answers, and since when it does not.
pub fn reach_text(reach: Reach, now: DateTime<Utc>) -> String {
    reach_text_in(reach, now, Locale::en)
}

/// [`reach_text`] in `locale`.
pub fn reach_text_in(reach: Reach, now: DateTime<Utc>, locale: Locale) -> String {
    match reach {
        Reach::Unknown => td_string!(locale, sync.reach.connecting).to_string(),
        Reach::Answers { .. } => td_string!(locale, sync.reach.connected).to_string(),
        Reach::Unreachable { since: t } => td_string!(locale, sync.reach.unreachable, since = since(t, now)),
    }
}

/// A pull module in staff's words (the module's own name is the program's).
fn module_words(name: &str, locale: Locale) -> &'static str {
    match PullModule::ALL.into_iter().find(|m| m.name() == name) {
        Some(PullModule::Settings) => td_string!(locale, sync.module.settings),
        Some(PullModule::Users) => td_string!(locale, sync.module.staff),
        Some(PullModule::Categories) => td_string!(locale, sync.module.categories),
        Some(PullModule::Products) => td_string!(locale, sync.module.products),
        Some(PullModule::ProductCombinations) => td_string!(locale, sync.module.combinations),
        Some(PullModule::Customers) => td_string!(locale, sync.module.customers),
        Some(PullModule::DepositHistory) => td_string!(locale, sync.module.account_history),
        Some(PullModule::DiscountPrograms) => td_string!(locale, sync.module.discount_programs),
        Some(PullModule::Subscriptions) => td_string!(locale, sync.module.wash_club),
        None => td_string!(locale, sync.module.other),
    }
}

/// What sends the cashier to the Sync screen: a failure that is not "the
/// back office is unreachable" (the indicator says that one). `None`: nothing.
pub fn trouble(pull: Option<&AppError>, send: Option<&AppError>) -> Option<&'static str> {
    trouble_in(pull, send, Locale::en)
}

/// [`trouble`] in `locale`.
pub fn trouble_in(pull: Option<&AppError>, send: Option<&AppError>, locale: Locale) -> Option<&'static str> {
    let failures = [pull, send].into_iter().flatten().filter(|e| !e.is_network() && !e.is_unauthorized());
    let mut worst = None;
    for e in failures {
        if e.stops_sales() {
            return Some(td_string!(locale, sync.trouble.storage));
        }
        worst = Some(td_string!(locale, sync.trouble.sync));
    }
    worst
}

/// The sync half of the status strip, on every screen: whether the back
/// office answers and since when it does not, the pull under way, what the
/// cache holds, a link to the Sync screen when something failed, "Sync now".
/// One line that never grows: the details are on the Sync screen.
#[component]
pub fn StatusArea(
    state: SyncState,
    catalogue: Signal<(usize, u32)>,
    on_sync_now: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let sending = use_context::<TerminalContext>().map(|ctx| ctx.sync.outbox.error);
    let trouble_text = move || {
        let send = sending.and_then(|e| e.get());
        state.error.with(|pull| trouble_in(pull.as_ref(), send.as_ref(), i18n.get_locale()))
    };
    view! {
        <span
            class="reach"
            class:unreachable=move || matches!(state.reach.get(), Reach::Unreachable { .. })
            class:unknown=move || state.reach.get() == Reach::Unknown
            role="status"
            data-testid="back-office"
        >
            {move || reach_text_in(state.reach.get(), Utc::now(), i18n.get_locale())}
        </span>
        {move || {
            trouble_text()
                .map(|text| {
                    view! {
                        <A href="/sync" attr:class="trouble-link" attr:data-testid="sync-trouble">
                            {text}
                        </A>
                    }
                })
        }}
        <span class="progress" role="status" aria-live="polite" data-testid="sync-progress">
            {move || match (state.running.get(), state.progress.get()) {
                (true, Some(Progress { module: Some(m), rows, .. })) => {
                    let module = module_words(m.name(), i18n.get_locale()).to_lowercase();
                    t_string!(i18n, sync.strip.updating_module, module = module, rows = rows)
                }
                (true, _) => t_string!(i18n, sync.strip.updating).to_string(),
                (false, _) => String::new(),
            }}
        </span>
        <span class="counts" data-testid="catalogue-counts">
            {move || {
                let (products, customers) = catalogue.get();
                t_string!(i18n, sync.strip.cached, products = products, customers = customers)
            }}
        </span>
        <button
            type="button"
            class="sync-now"
            on:click=move |_| on_sync_now()
            disabled=move || state.running.get()
        >
            {t!(i18n, sync.strip.sync_now)}
        </button>
    }
}

/// A kind of record in staff's words, as the Sync screen's table lists them.
fn kind_words(kind: PushKind, locale: Locale) -> &'static str {
    match kind {
        PushKind::Order => td_string!(locale, sync.kind.order),
        PushKind::OpenOrder => td_string!(locale, sync.kind.open_order),
        PushKind::SwishPayment => td_string!(locale, sync.kind.swish_payment),
        PushKind::InvoiceCounter => td_string!(locale, sync.kind.invoice_counter),
        PushKind::CashDrawerLog => td_string!(locale, sync.kind.cash_drawer_log),
        PushKind::Customer => td_string!(locale, sync.kind.customer),
        PushKind::DeviceLog => td_string!(locale, sync.kind.device_log),
        PushKind::EmployeeLog => td_string!(locale, sync.kind.employee_log),
        PushKind::Journal => td_string!(locale, sync.kind.journal),
    }
}

/// The Sync screen's account of the outbox: what waits per kind, since
/// when, the last successful send, and what stopped the last one.
#[component]
fn OutboxDetails(state: OutboxState) -> impl IntoView {
    let i18n = use_i18n();
    let s = Memo::new(move |_| state.view.with(OutboxView::summary));
    view! {
        <section class="card" aria-labelledby="outbox-title">
            <h2 id="outbox-title">{t!(i18n, sync.outbox.title)}</h2>
            <Show
                when=move || s.with(|s| !s.kinds.is_empty())
                fallback=move || view! { <p>{t!(i18n, sync.outbox.nothing)}</p> }
            >
                <table data-testid="outbox-kinds">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, sync.outbox.record)}</th>
                            <th scope="col" class="amount">
                                {t!(i18n, sync.outbox.waiting)}
                            </th>
                            <th scope="col" class="amount">
                                {t!(i18n, sync.outbox.attention)}
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            s.get()
                                .kinds
                                .into_iter()
                                .map(|k| {
                                    view! {
                                        <tr>
                                            <th scope="row">{kind_words(k.kind, i18n.get_locale())}</th>
                                            <td class="amount">{k.pending}</td>
                                            <td class="amount">{k.attention}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </Show>
            <dl class="facts">
                <dt>{t!(i18n, sync.outbox.oldest)}</dt>
                <dd>
                    {move || {
                        s.get()
                            .oldest_pending
                            .map(crate::clock::date_time)
                            .unwrap_or_else(|| t_string!(i18n, sync.outbox.none).into())
                    }}
                </dd>
                <dt>{t!(i18n, sync.outbox.last_sent)}</dt>
                <dd data-testid="last-flush">
                    {move || {
                        state
                            .last_flush
                            .get()
                            .map(crate::clock::time)
                            .unwrap_or_else(|| t_string!(i18n, sync.outbox.not_sent_yet).into())
                    }}
                </dd>
            </dl>
            {move || {
                state
                    .error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" data-testid="flush-error">
                                {move || {
                                    let error = e.text(i18n.get_locale());
                                    match state.retry_in_seconds.get() {
                                        Some(seconds) => {
                                            t_string!(i18n, sync.outbox.stopped, error = error, seconds = seconds)
                                        }
                                        None => error,
                                    }
                                }}
                            </p>
                        }
                    })
            }}
        </section>
    }
}

/// The Sync screen's account of the back office: when it last answered (or
/// since when it has not), the last full pull, the last pull's failure, what
/// waits to be sent, and the last successful pull of each module.
#[component]
pub fn PullTimes() -> impl IntoView {
    let i18n = use_i18n();
    let sync = TerminalContext::get().sync;
    let state = sync.sync;
    let oldest_pull = move || {
        state
            .markers
            .with(|markers| markers.iter().map(|(_, m)| m.as_ref().and_then(|m| m.completed_at)).min())
    };
    view! {
        <section class="card" aria-labelledby="back-office-title">
            <h2 id="back-office-title">{t!(i18n, sync.back_office.title)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, sync.back_office.status)}</dt>
                <dd data-testid="reach-detail">
                    {move || match state.reach.get() {
                        Reach::Unknown => t_string!(i18n, sync.back_office.not_asked).to_string(),
                        Reach::Answers { at } => {
                            t_string!(i18n, sync.back_office.answered_at, time = crate::clock::time(at))
                        }
                        Reach::Unreachable { since } => {
                            t_string!(
                                i18n, sync.back_office.unreachable_since, time = crate::clock::date_time(since)
                            )
                        }
                    }}
                </dd>
                <dt>{t!(i18n, sync.back_office.catalogue)}</dt>
                <dd data-testid="last-pull">
                    {move || match oldest_pull().flatten() {
                        Some(at) => {
                            t_string!(i18n, sync.back_office.last_full_pull, time = crate::clock::date_time(at))
                        }
                        None => t_string!(i18n, sync.back_office.not_fully_pulled).to_string(),
                    }}
                </dd>
                <dt>{t!(i18n, sync.back_office.last_pull)}</dt>
                <dd>
                    {move || match (state.last_pull.get(), state.error.with(Option::is_some)) {
                        (None, _) => t_string!(i18n, sync.back_office.none_yet).to_string(),
                        (Some(at), false) => {
                            t_string!(i18n, sync.back_office.pull_complete, time = crate::clock::time(at))
                        }
                        (Some(at), true) => {
                            t_string!(i18n, sync.back_office.pull_failed, time = crate::clock::time(at))
                        }
                    }}
                </dd>
            </dl>
            {move || {
                state
                    .error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" data-testid="sync-error">
                                {move || e.text(i18n.get_locale())}
                            </p>
                        }
                    })
            }}
        </section>
        <OutboxDetails state=sync.outbox />
        <section class="card" aria-labelledby="pulls-title">
            <h2 id="pulls-title">{t!(i18n, sync.back_office.per_module)}</h2>
            <table class="markers">
                <tbody>
                    {move || {
                        state
                            .markers
                            .get()
                            .into_iter()
                            .map(|(name, marker)| {
                                view! {
                                    <tr>
                                        <th scope="row">{module_words(name, i18n.get_locale())}</th>
                                        <td data-testid=format!(
                                            "pulled-{name}",
                                        )>
                                            {marker
                                                .and_then(|m| m.completed_at)
                                                .map(crate::clock::date_time)
                                                .unwrap_or_else(|| {
                                                    t_string!(i18n, sync.back_office.never).into()
                                                })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </section>
    }
}
