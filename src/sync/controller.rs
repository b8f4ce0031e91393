//! The sync controller: when the terminal pulls and sends. It owns what the
//! screens used to keep themselves: the flush's backoff (a pure
//! `possum_register::backoff::Backoff`), the interval from the settings, the
//! online and offline events, other tabs' news, "Sync now", and the start-up
//! check. Screens ask it to act (`sync_now`, `queued`) and read its signals.
//!
//! Sync runs on start, on "Sync now", when the browser comes back online and
//! on the settings' interval. Each call's outcome (pull, flush, sale) says
//! whether the back office answers (`SyncState::reach`); the browser going
//! offline only starts a sync, whose failure then says so. The outbox goes after each pull that reached the
//! back office, after a sale (outside the backoff) and on "Sync now". A 401
//! asks for the terminal sign-in again and keeps every cached record.

use super::status::{OutboxState, Reach, SyncState};
use super::{device_log, flush, pull};
use crate::browser::{pwa, tabs};
use crate::error::AppError;
use crate::session::Session;
use crate::storage::cache::Marker;
use crate::storage::{selfcheck, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::activity::LogLevel;
use possum_contract::endpoints::PullModule;
use possum_register::backoff::Backoff;
use std::time::Duration;

#[derive(Clone, Copy)]
pub struct SyncController {
    session: RwSignal<Session>,
    pub sync: SyncState,
    pub outbox: OutboxState,
    /// The back office refused the token: the terminal sign-in is asked for again.
    pub needs_login: RwSignal<bool>,
    /// Bumped after a pull that changed the cache, so what reads it reloads.
    pub cache_version: RwSignal<u32>,
    /// Bumped when what the terminal produced changed (a sale stored, records
    /// sent, another tab's news), so the history reloads without the catalogue.
    pub ledger_version: RwSignal<u32>,
    /// What the start-up self-check found and repaired.
    pub self_check: RwSignal<Vec<String>>,
    backoff: StoredValue<Backoff>,
    /// Whether the running sync was asked for by staff (its flush skips the backoff wait).
    manual: StoredValue<bool>,
}

impl SyncController {
    pub fn new(session: RwSignal<Session>) -> Self {
        Self {
            session,
            sync: SyncState::new(),
            outbox: OutboxState::new(),
            needs_login: RwSignal::new(false),
            cache_version: RwSignal::new(0),
            ledger_version: RwSignal::new(0),
            self_check: RwSignal::new(Vec::new()),
            backoff: StoredValue::new(Backoff::new()),
            manual: StoredValue::new(false),
        }
    }

    fn terminal_id(self) -> uuid::Uuid {
        self.session.with_untracked(|s| s.terminal_id)
    }

    /// Starts the background work for as long as the calling component
    /// lives: the self-check, a first sync, the interval (`interval_seconds`,
    /// from the settings), the online and offline events and other tabs' news.
    /// `ready` runs once the start-up check is done, with the storage it left
    /// (none when the database could not be opened).
    pub fn start(self, interval_seconds: Signal<u32>, ready: impl AsyncFnOnce(Option<&Storage>) + 'static) {
        spawn_local(async move {
            device_log::report_panics(self.terminal_id()).await;
            let checked = match Storage::open_default().await {
                Ok(storage) => selfcheck::run(storage).await,
                Err(e) => Err(e),
            };
            match checked {
                Ok((storage, report)) => {
                    for problem in &report.problems {
                        self.log(LogLevel::Warning, "selfcheck", problem).await;
                    }
                    self.self_check.set(report.problems);
                    self.sync.markers.set(markers(&storage).await);
                    ready(Some(&storage)).await;
                }
                Err(e) => {
                    self.sync.error.set(Some(e));
                    ready(None).await;
                }
            }
            self.cache_version.update(|v| *v += 1);
            self.outbox.reload();
            self.sync_now(true);
        });
        let online = window_event_listener(leptos::ev::online, move |_| self.sync_now(true));
        // Lost the network: a call finds out at once what it means for the back office.
        let offline = window_event_listener(leptos::ev::offline, move |_| self.sync_now(false));
        // Another tab queued or sent something: show the same status here.
        let other_tabs = StoredValue::new_local(tabs::listen(move || {
            self.outbox.reload();
            self.ledger_version.update(|v| *v += 1);
        }));
        let interval = StoredValue::new(None::<IntervalHandle>);
        Effect::new(move |_| {
            let seconds = u64::from(interval_seconds.get());
            if let Some(previous) = interval.get_value() {
                previous.clear();
            }
            let tick = move || self.sync_now(false);
            interval.set_value(set_interval_with_handle(tick, Duration::from_secs(seconds)).ok());
        });
        // Signed out: nothing of this may keep running.
        on_cleanup(move || {
            online.remove();
            offline.remove();
            other_tabs.set_value(None);
            if let Some(handle) = interval.get_value() {
                handle.clear();
            }
        });
    }

    async fn log(self, level: LogLevel, category: &str, message: &str) {
        device_log::write(self.terminal_id(), level, category, message, None).await;
    }

    /// One pull cycle, then the outbox. `manual` (staff asked, the browser
    /// came back online) lets its flush skip the backoff wait.
    pub fn sync_now(self, manual: bool) {
        if self.sync.running.get_untracked() || self.needs_login.get_untracked() {
            return;
        }
        // An expired token would only earn a 401: ask for the login at once.
        if self.session.with_untracked(|s| s.is_expired(chrono::Utc::now())) {
            self.needs_login.set(true);
            return;
        }
        self.manual.set_value(manual);
        self.sync.start();
        spawn_local(async move {
            // Whether a module stored rows or tombstones (a failing one stores none).
            let changed = std::cell::Cell::new(false);
            let result = async {
                let storage = Storage::open_default().await?;
                let session = self.session.get_untracked();
                let stored = pull::pull_all(&storage, &session, &|p| {
                    let module_changed = p.module_done && p.changes > 0;
                    changed.set(changed.get() || module_changed);
                    // The catalogue is shown as soon as it is in: a first pull's
                    // 200,000 customers need not keep the cashier waiting.
                    if module_changed && p.module == Some(PullModule::Products) {
                        self.cache_version.update(|v| *v += 1);
                    }
                    // A page arrived: the back office answers (a first pull can take minutes).
                    self.sync.called(true, chrono::Utc::now());
                    self.sync.progress.set(Some(p));
                })
                .await;
                self.sync.markers.set(markers(&storage).await);
                stored
            }
            .await;
            if result.as_ref().is_err_and(AppError::is_unauthorized) {
                self.needs_login.set(true);
            }
            pwa::check_for_update();
            // The outbox goes after the pull, unless the back office is unreachable.
            let reachable = !result.as_ref().is_err_and(|e| e.is_network() || e.is_unauthorized());
            if let Err(e) = &result {
                self.log(LogLevel::Warning, "sync", &e.to_string()).await;
            }
            // Views re-read the cache only when the pull changed it: a quiet
            // sync, or one that failed (offline all day: one every interval),
            // leaves the sale screen (and a tap landing on it) alone.
            if changed.get() {
                self.cache_version.update(|v| *v += 1);
            }
            self.sync.finish(result.map(|_| ()));
            if reachable {
                self.flush_now(self.manual.get_value());
            }
            // A pull changes no queued record; it may have added a device log.
            // (A flush that settled records reads the whole outbox itself.)
            self.outbox.reload_newer();
        });
    }

    /// Sends the outbox. `manual` (Sync now, a record staff retried) skips the backoff wait.
    pub fn flush_now(self, manual: bool) {
        let outbox = self.outbox;
        if self.needs_login.get_untracked() || outbox.flushing.get_untracked() {
            return;
        }
        if !manual && !self.backoff.with_value(|b| b.may_run(js_sys::Date::now())) {
            return;
        }
        outbox.flushing.set(true);
        spawn_local(async move {
            let report = flush::flush(&self.session.get_untracked()).await;
            outbox.flushing.set(false);
            // Only a flush that sent something, or failed sending, says whether the back office answers.
            let reached = match &report.stopped {
                None => (report.delivered + report.rejected > 0).then_some(true),
                Some(e) => Reach::of_failure(e),
            };
            if let Some(reached) = reached {
                self.sync.called(reached, chrono::Utc::now());
            }
            match report.stopped {
                None if !report.skipped => {
                    self.backoff.update_value(Backoff::succeeded);
                    outbox.last_flush.set(Some(chrono::Utc::now()));
                    outbox.error.set(None);
                }
                None => {}
                Some(AppError::Unauthorized) => self.needs_login.set(true),
                Some(e) => {
                    if e.stops_sales() {
                        self.log(LogLevel::Error, "storage", &e.to_string()).await;
                    }
                    let mut wait = 0;
                    let now = js_sys::Date::now();
                    self.backoff.update_value(|b| wait = b.failed(now, js_sys::Math::random()));
                    outbox.failed(e, Some(wait / 1000));
                }
            }
            // Records settled: the status and the history show it. A round
            // that only met a failure changed nothing they show.
            if report.delivered + report.rejected > 0 {
                outbox.reload();
                self.ledger_version.update(|v| *v += 1);
            }
        });
    }

    /// A sale, park or refund was stored: show it, and send it now unless the
    /// back office failed lately (then the backoff decides: a queue of
    /// thousands is not re-read and re-tried after every offline sale).
    pub fn queued(self) {
        self.outbox.reload_newer();
        self.ledger_version.update(|v| *v += 1);
        self.flush_now(false);
    }

    /// api/Sale just answered: the back office is there, whatever the backoff said.
    pub fn back_office_answered(self) {
        self.backoff.update_value(Backoff::succeeded);
        self.sync.called(true, chrono::Utc::now());
    }

    /// A call a screen made (api/Sale, an approval) failed with `error`: the
    /// indicator follows it when it says whether the back office answers.
    pub fn call_failed(self, error: &AppError) {
        if let Some(reached) = Reach::of_failure(error) {
            self.sync.called(reached, chrono::Utc::now());
        }
    }

    /// The terminal was signed in again (Setup stored the fresh session).
    pub fn signed_in_again(self, fresh: Session) {
        self.session.set(fresh);
        self.needs_login.set(false);
        self.sync_now(true);
    }
}

/// The last stored marker of each pull module.
async fn markers(storage: &Storage) -> Vec<(&'static str, Option<Marker>)> {
    let mut out = Vec::new();
    for module in PullModule::ALL {
        out.push((module.name(), storage.marker(module).await.ok().flatten()));
    }
    out
}
