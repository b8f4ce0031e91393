//! The sync half of the status strip (whether the back office answers, the
//! pull under way, what the cache holds, "Sync now"), and the Sync screen's
//! account of the back office: its last answer, the last pull and its
//! failure, what waits to be sent per kind, the last send and its failure,
//! the last pull of each module.

use crate::context::TerminalContext;
use crate::error::AppError;
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
    match reach {
        Reach::Unknown => "Connecting to the back office…".to_string(),
        Reach::Answers { .. } => "Back office connected".to_string(),
        Reach::Unreachable { since: t } => format!("Back office unreachable since {}", since(t, now)),
    }
}

/// A pull module in staff's words (the module's own name is the program's).
fn module_words(name: &str) -> &'static str {
    match PullModule::ALL.into_iter().find(|m| m.name() == name) {
        Some(PullModule::Settings) => "Settings",
        Some(PullModule::Users) => "Staff",
        Some(PullModule::Categories) => "Categories",
        Some(PullModule::Products) => "Products",
        Some(PullModule::ProductCombinations) => "Combinations",
        Some(PullModule::Customers) => "Customers",
        Some(PullModule::DepositHistory) => "Account history",
        Some(PullModule::DiscountPrograms) => "Discount programs",
        Some(PullModule::Subscriptions) => "Wash club",
        None => "Other",
    }
}

/// What sends the cashier to the Sync screen: a failure that is not "the
/// back office is unreachable" (the indicator says that one). `None`: nothing.
pub fn trouble(pull: Option<&AppError>, send: Option<&AppError>) -> Option<&'static str> {
    let failures = [pull, send].into_iter().flatten().filter(|e| !e.is_network() && !e.is_unauthorized());
    let mut worst = None;
    for e in failures {
        if e.stops_sales() {
            return Some("Storage problem: see Sync");
        }
        worst = Some("Sync problem: see Sync");
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
    let sending = use_context::<TerminalContext>().map(|ctx| ctx.sync.outbox.error);
    let trouble_text = move || {
        let send = sending.and_then(|e| e.get());
        state.error.with(|pull| trouble(pull.as_ref(), send.as_ref()))
    };
    view! {
        <span
            class="reach"
            class:unreachable=move || matches!(state.reach.get(), Reach::Unreachable { .. })
            class:unknown=move || state.reach.get() == Reach::Unknown
            role="status"
            data-testid="back-office"
        >
            {move || reach_text(state.reach.get(), Utc::now())}
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
                    format!("Updating {}: {rows} received", module_words(m.name()).to_lowercase())
                }
                (true, _) => "Updating…".to_string(),
                (false, _) => String::new(),
            }}
        </span>
        <span class="counts" data-testid="catalogue-counts">
            {move || {
                let (products, customers) = catalogue.get();
                format!("{products} products, {customers} customers cached")
            }}
        </span>
        <button
            type="button"
            class="sync-now"
            on:click=move |_| on_sync_now()
            disabled=move || state.running.get()
        >
            "Sync now"
        </button>
    }
}

/// A kind of record in staff's words, as the Sync screen's table lists them.
fn kind_words(kind: PushKind) -> &'static str {
    match kind {
        PushKind::Order => "Sales and refunds",
        PushKind::OpenOrder => "Parked sales",
        PushKind::SwishPayment => "Swish payments",
        PushKind::InvoiceCounter => "Invoice counter",
        PushKind::CashDrawerLog => "Cash drawer events",
        PushKind::Customer => "New customers",
        PushKind::DeviceLog => "Device logs",
        PushKind::EmployeeLog => "Staff hours",
        PushKind::Journal => "Journal entries",
    }
}

/// The Sync screen's account of the outbox: what waits per kind, since
/// when, the last successful send, and what stopped the last one.
#[component]
fn OutboxDetails(state: OutboxState) -> impl IntoView {
    let s = Memo::new(move |_| state.view.with(OutboxView::summary));
    view! {
        <section class="card" aria-labelledby="outbox-title">
            <h2 id="outbox-title">"Waiting to be sent"</h2>
            <Show
                when=move || s.with(|s| !s.kinds.is_empty())
                fallback=|| view! { <p>"Nothing is waiting: everything was sent."</p> }
            >
                <table data-testid="outbox-kinds">
                    <thead>
                        <tr>
                            <th scope="col">"Record"</th>
                            <th scope="col" class="amount">
                                "Waiting"
                            </th>
                            <th scope="col" class="amount">
                                "Needs attention"
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
                                            <th scope="row">{kind_words(k.kind)}</th>
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
                <dt>"Oldest waiting"</dt>
                <dd>
                    {move || {
                        s.get().oldest_pending.map(crate::clock::date_time).unwrap_or_else(|| "None".into())
                    }}
                </dd>
                <dt>"Last sent"</dt>
                <dd data-testid="last-flush">
                    {move || {
                        state
                            .last_flush
                            .get()
                            .map(crate::clock::time)
                            .unwrap_or_else(|| "Not sent yet since the terminal started".into())
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
                                {match state.retry_in_seconds.get() {
                                    Some(seconds) => format!("Sending stopped: {e} Next try in {seconds} s."),
                                    None => e.to_string(),
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
    let sync = TerminalContext::get().sync;
    let state = sync.sync;
    let oldest_pull = move || {
        state
            .markers
            .with(|markers| markers.iter().map(|(_, m)| m.as_ref().and_then(|m| m.completed_at)).min())
    };
    view! {
        <section class="card" aria-labelledby="back-office-title">
            <h2 id="back-office-title">"Back office"</h2>
            <dl class="facts">
                <dt>"Status"</dt>
                <dd data-testid="reach-detail">
                    {move || match state.reach.get() {
                        Reach::Unknown => "Not asked yet".to_string(),
                        Reach::Answers { at } => format!("Answered at {}", crate::clock::time(at)),
                        Reach::Unreachable { since } => {
                            format!("Unreachable since {}", crate::clock::date_time(since))
                        }
                    }}
                </dd>
                <dt>"Catalogue"</dt>
                <dd data-testid="last-pull">
                    {move || match oldest_pull().flatten() {
                        Some(at) => format!("Last full pull {}", crate::clock::date_time(at)),
                        None => "Not fully pulled yet".to_string(),
                    }}
                </dd>
                <dt>"Last pull"</dt>
                <dd>
                    {move || match (state.last_pull.get(), state.error.with(Option::is_some)) {
                        (None, _) => "None yet".to_string(),
                        (Some(at), false) => format!("{}: complete", crate::clock::time(at)),
                        (Some(at), true) => format!("{}: failed", crate::clock::time(at)),
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
                                {e.to_string()}
                            </p>
                        }
                    })
            }}
        </section>
        <OutboxDetails state=sync.outbox />
        <section class="card" aria-labelledby="pulls-title">
            <h2 id="pulls-title">"Last pull per module"</h2>
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
                                        <th scope="row">{module_words(name)}</th>
                                        <td data-testid=format!(
                                            "pulled-{name}",
                                        )>
                                            {marker
                                                .and_then(|m| m.completed_at)
                                                .map(crate::clock::date_time)
                                                .unwrap_or_else(|| "never".into())}
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
