//! The signed-in terminal: the bar with its screens and the cashier on duty,
//! the status strip, and the routed screen (or the cashier sign-in while no
//! cashier is on duty). It keeps the cache current and the outbox moving.
//!
//! Sync runs on start, on "Sync now", when the browser comes back online and
//! on the interval from the settings. A 401 asks for the terminal login again
//! and keeps every cached record.

use super::cashier::CashierSignIn;
use super::drawer::CashDrawer;
use super::history::History;
use super::modal::Modal;
use super::outbox::{NeedsAttention, OutboxState, OutboxSummary};
use super::sale::{SaleScreen, SaleState};
use super::setup::Setup;
use super::status::{PullTimes, StatusArea, SyncState};
use super::terminal_info::TerminalInfo;
use crate::cashier::{self, Cashier};
use crate::error::AppError;
use crate::session::Session;
use crate::storage::Storage;
use crate::sync::flush;
use crate::sync::pull;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{FlatRoutes, Route, A};
use leptos_router::path;
use possum_contract::activity::LogLevel;
use possum_contract::endpoints::PullModule;
use possum_contract::settings::{Setting, TerminalSettings};
use std::time::Duration;

/// The background interval from the cached settings (at least ten seconds).
async fn sync_interval(storage: &Storage) -> Option<u32> {
    let rows = storage.all::<Setting>().await.ok()?;
    Some(TerminalSettings::from_rows(&rows).0.sync_interval_seconds.max(10))
}

#[component]
pub fn Terminal(session: Session, on_session: Callback<Option<Session>>) -> impl IntoView {
    let session = RwSignal::new(session);
    let state = SyncState::new();
    // Bumped after a pull that changed the cache, so views that read it reload.
    let cache_version = RwSignal::new(0u32);
    // Bumped when what the terminal produced changed (a sale stored, records
    // sent, another tab's news), so the history reloads without the catalogue.
    let ledger_version = RwSignal::new(0u32);
    let needs_login = RwSignal::new(false);
    let interval_seconds = RwSignal::new(TerminalSettings::default().sync_interval_seconds);
    let cashier_on_duty = RwSignal::new(None::<Cashier>);
    let cashier_loaded = RwSignal::new(false);
    let outbox = OutboxState::new();
    // Transient flush failures in a row, and when the next automatic flush may run.
    let flush_failures = StoredValue::new(0u32);
    let flush_not_before = StoredValue::new(0f64);

    // Sends the outbox. `manual` (Sync now, a sale just made) skips the backoff wait.
    let flush_now = move |manual: bool| {
        if needs_login.get_untracked() || outbox.flushing.get_untracked() {
            return;
        }
        if !manual && js_sys::Date::now() < flush_not_before.get_value() {
            return;
        }
        outbox.flushing.set(true);
        spawn_local(async move {
            let report = flush::flush(&session.get_untracked()).await;
            outbox.flushing.set(false);
            match &report.stopped {
                None if !report.skipped => {
                    flush_failures.set_value(0);
                    flush_not_before.set_value(0.0);
                    outbox.last_flush.set(Some(chrono::Utc::now()));
                    outbox.error.set(None);
                }
                None => {}
                Some(AppError::Unauthorized) => needs_login.set(true),
                Some(e) => {
                    if e.stops_sales() {
                        let (terminal, message) = (current_terminal(session), e.to_string());
                        spawn_local(async move {
                            crate::sync::device_log::write(
                                terminal,
                                LogLevel::Error,
                                "storage",
                                &message,
                                None,
                            )
                            .await
                        });
                    }
                    let failures = flush_failures.get_value() + 1;
                    flush_failures.set_value(failures);
                    let wait = possum_register::backoff::wait_ms(failures, js_sys::Math::random());
                    flush_not_before.set_value(js_sys::Date::now() + wait as f64);
                    outbox.error.set(Some(format!("Sending stopped: {e} Next try in {} s.", wait / 1000)));
                }
            }
            // Records settled: the status and the history show it. A round
            // that only met a failure changed nothing they show.
            if report.delivered + report.rejected > 0 {
                outbox.reload();
                ledger_version.update(|v| *v += 1);
            }
        });
    };

    // Whether the running sync was asked for by staff (its flush skips the backoff wait).
    let manual = StoredValue::new(false);
    let sync_now = move || {
        if state.running.get_untracked() || needs_login.get_untracked() {
            return;
        }
        // An expired token would only earn a 401: ask for the login at once.
        if session.get_untracked().is_expired(chrono::Utc::now()) {
            needs_login.set(true);
            return;
        }
        state.start();
        spawn_local(async move {
            // Whether a module stored rows or tombstones (a failing one stores none).
            let changed = std::cell::Cell::new(false);
            let result = async {
                let storage = Storage::open_default().await?;
                let current = session.get_untracked();
                let stored = pull::pull_all(&storage, &current, &|p| {
                    if p.module_done && p.changes > 0 {
                        changed.set(true);
                    }
                    // The catalogue is shown as soon as it is in: a first pull's
                    // 200,000 customers need not keep the cashier waiting.
                    if p.module_done && p.module == Some(PullModule::Products) && p.changes > 0 {
                        cache_version.update(|v| *v += 1);
                    }
                    state.progress.set(Some(p));
                })
                .await;
                state.markers.set(state_markers(&storage).await);
                if let Some(seconds) = sync_interval(&storage).await {
                    interval_seconds.set(seconds);
                }
                stored
            }
            .await;
            if result.as_ref().is_err_and(|e| e.is_unauthorized()) {
                needs_login.set(true);
            }
            crate::browser::pwa::check_for_update();
            // The outbox goes after the pull, unless the back office is unreachable.
            let reachable = !result.as_ref().is_err_and(|e| e.is_network() || e.is_unauthorized());
            if let Err(e) = &result {
                crate::sync::device_log::write(
                    current_terminal(session),
                    LogLevel::Warning,
                    "sync",
                    &e.to_string(),
                    None,
                )
                .await;
            }
            // Views re-read the cache only when the pull changed it: a quiet
            // sync, or one that failed (offline all day: one every interval),
            // leaves the sale screen (and a tap landing on it) alone.
            if changed.get() {
                cache_version.update(|v| *v += 1);
            }
            state.finish(result.map(|_| ()));
            if reachable {
                flush_now(manual.get_value());
            }
            // A pull changes no queued record; it may have added a device log.
            // (A flush that settled records reads the whole outbox itself.)
            outbox.reload_newer();
        });
    };

    let storage_health = RwSignal::new(None::<crate::browser::quota::StorageHealth>);
    // What the start-up self-check found and repaired.
    let self_check = RwSignal::new(Vec::<String>::new());
    // Show what the cache holds at once, then bring it up to date.
    spawn_local(async move {
        storage_health.set(crate::browser::quota::persist_and_measure().await);
        crate::sync::device_log::report_panics(current_terminal(session)).await;
        let checked = match Storage::open_default().await {
            Ok(storage) => crate::storage::selfcheck::run(storage).await,
            Err(e) => Err(e),
        };
        match checked {
            Ok((storage, report)) => {
                for problem in &report.problems {
                    crate::sync::device_log::write(
                        current_terminal(session),
                        LogLevel::Warning,
                        "selfcheck",
                        problem,
                        None,
                    )
                    .await;
                }
                self_check.set(report.problems);
                match cashier::current(&storage).await {
                    Ok(saved) => cashier_on_duty.set(saved),
                    Err(e) => state.error.set(Some(e.to_string())),
                }
                state.markers.set(state_markers(&storage).await);
                if let Some(seconds) = sync_interval(&storage).await {
                    interval_seconds.set(seconds);
                }
            }
            Err(e) => state.error.set(Some(e.to_string())),
        }
        cashier_loaded.set(true);
        cache_version.update(|v| *v += 1);
        outbox.reload();
        manual.set_value(true);
        sync_now();
    });
    let online = window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        manual.set_value(true);
        sync_now();
    });
    // Another tab queued or sent something: show the same status here.
    let other_tabs = StoredValue::new_local(crate::browser::tabs::listen(move || {
        outbox.reload();
        ledger_version.update(|v| *v += 1);
    }));
    let offline = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
    let interval = StoredValue::new(None::<IntervalHandle>);
    Effect::new(move |_| {
        let seconds = u64::from(interval_seconds.get());
        if let Some(previous) = interval.get_value() {
            previous.clear();
        }
        interval.set_value(
            set_interval_with_handle(
                move || {
                    manual.set_value(false);
                    sync_now();
                },
                Duration::from_secs(seconds),
            )
            .ok(),
        );
    });
    // Signed out: nothing of this screen may keep running.
    on_cleanup(move || {
        online.remove();
        offline.remove();
        other_tabs.set_value(None);
        if let Some(handle) = interval.get_value() {
            handle.clear();
        }
    });

    let switch_cashier = move |_| {
        spawn_local(async move {
            let signed_out = match Storage::open_default().await {
                Ok(storage) => cashier::sign_out(&storage).await,
                Err(e) => Err(e),
            };
            match signed_out {
                Ok(()) => cashier_on_duty.set(None),
                Err(e) => state.error.set(Some(e.to_string())),
            }
        });
    };
    // Setup has stored the fresh session; this screen carries on with it.
    let relogin = move |fresh: Session| {
        session.set(fresh);
        needs_login.set(false);
        manual.set_value(true);
        sync_now();
    };

    // A sale, park or refund was stored: show it, and send it now unless the
    // back office failed lately (then the backoff decides: a queue of
    // thousands is not re-read and re-tried after every offline sale).
    let queued = move || {
        outbox.reload_newer();
        ledger_version.update(|v| *v += 1);
        flush_now(false)
    };
    // api/Sale just answered: the back office is there, whatever the backoff said.
    let back_office_answered = move || {
        flush_failures.set_value(0);
        flush_not_before.set_value(0.0);
    };
    let sale = SaleState::new(cache_version);
    let counts = Signal::derive(move || sale.catalogue.with(|c| (c.products(), c.customers)));
    let terminal_id = Signal::derive(move || session.get().terminal_id);
    let on_duty = move || cashier_on_duty.with(Option::is_some);
    view! {
        <header class="topbar">
            <h1>"POSSUM Terminal"</h1>
            <Show when=on_duty>
                <nav class="screens" aria-label="Screens">
                    <A href="/" exact=true>"Sale"</A>
                    <A href="/history">"History"</A>
                    <A href="/drawer">"Cash drawer"</A>
                    <A href="/sync">"Sync"</A>
                    <A href="/terminal">"Terminal"</A>
                </nav>
            </Show>
            <section class="cashier-bar" aria-label="Cashier">
                {move || cashier_on_duty.get().map(|c| view! {
                    <span data-testid="cashier">{format!("Cashier: {} ({:?})", c.name, c.role)}</span>
                    <button type="button" on:click=switch_cashier>"Switch cashier"</button>
                })}
            </section>
        </header>
        <section class="statusbar" aria-label="Sync status">
            <StatusArea state=state catalogue=counts on_sync_now=move || { manual.set_value(true); sync_now() } />
            <OutboxSummary state=outbox />
        </section>
        <Show when=move || self_check.with(|p| !p.is_empty())>
            <details class="notice" data-testid="self-check">
                <summary>{move || format!("The start-up check found {} problems and repaired what it could", self_check.with(Vec::len))}</summary>
                <ul>{move || self_check.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </details>
        </Show>
        <Show when=move || needs_login.get()>
            <Modal labelled_by="setup-title">
                <p class="notice">"The terminal's sign-in has expired. Sign in again: nothing cached or queued is lost."</p>
                <Setup
                    base_url=session.get_untracked().base_url
                    username=session.get_untracked().username
                    on_signed_in=relogin
                />
            </Modal>
        </Show>
        <main id="main">
            <Show when=move || cashier_loaded.get() && !on_duty()>
                <CashierSignIn on_signed_in=move |c| cashier_on_duty.set(Some(c)) />
            </Show>
            <Show when=on_duty>
                <FlatRoutes fallback=|| view! { <section class="card"><h2>"No such screen"</h2><A href="/">"Back to the sale"</A></section> }>
                    <Route path=path!("/") view=move || view! {
                        <SaleScreen
                            state=sale
                            session=session
                            cashier=cashier_on_duty
                            on_queued=queued
                            on_answered=back_office_answered
                            on_unauthorized=move || needs_login.set(true)
                        />
                    } />
                    <Route path=path!("/history") view=move || view! {
                        <History version=ledger_version session=session cashier=cashier_on_duty on_queued=queued />
                    } />
                    <Route path=path!("/drawer") view=move || view! {
                        <CashDrawer session=session cashier=cashier_on_duty ledger_version=ledger_version outbox=outbox on_queued=queued on_sync=move || sync_now() />
                    } />
                    <Route path=path!("/sync") view=move || view! {
                        <div class="screen-columns">
                            <NeedsAttention state=outbox cashier=cashier_on_duty terminal_id=terminal_id on_retry=move || flush_now(true) />
                            <PullTimes state=state />
                        </div>
                    } />
                    <Route path=path!("/terminal") view=move || view! {
                        <TerminalInfo session=session cashier=cashier_on_duty storage_health=storage_health on_session=on_session />
                    } />
                </FlatRoutes>
            </Show>
        </main>
    }
}

async fn state_markers(storage: &Storage) -> Vec<(&'static str, Option<crate::storage::cache::Marker>)> {
    let mut out = Vec::new();
    for module in possum_contract::endpoints::PullModule::ALL {
        out.push((module.name(), storage.marker(module).await.ok().flatten()));
    }
    out
}

fn current_terminal(session: RwSignal<Session>) -> uuid::Uuid {
    session.get_untracked().terminal_id
}
