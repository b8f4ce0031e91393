//! What the status strip shows of the sync, as signals every screen reads:
//! whether the back office answers (`Reach`, from the terminal's own calls),
//! the pull (`SyncState`) and the outbox (`OutboxState`, read from IndexedDB
//! one read at a time). The sync controller (`controller.rs`) keeps them.

use super::pull::Progress;
use crate::error::AppError;
use crate::storage::cache::Marker;
use crate::storage::ledger::OutboxView;
use crate::storage::Storage;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Whether the back office answers, as the terminal's own calls (pull,
/// flush, sale) found it. The browser's `navigator.onLine` is not asked: a
/// tablet on the shop's Wi-Fi is "online" while the back office is down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// No call has ended since the terminal started.
    Unknown,
    /// The last call that reached out got an answer (a refusal is an answer too).
    Answers { at: DateTime<Utc> },
    /// Every call since `since` failed to reach the back office.
    Unreachable { since: DateTime<Utc> },
}

impl Reach {
    /// After a call at `at` that reached the back office, or not. The time
    /// it became unreachable stays that of the first failed call.
    pub fn after(self, reached: bool, at: DateTime<Utc>) -> Self {
        match (reached, self) {
            (true, _) => Reach::Answers { at },
            (false, Reach::Unreachable { since }) => Reach::Unreachable { since },
            (false, _) => Reach::Unreachable { since: at },
        }
    }

    /// What a failed call says of the back office: `Some(false)` it was not
    /// reached, `Some(true)` it answered (with a refusal or an error of its
    /// own), `None` the call failed on the tablet and says nothing of it.
    pub fn of_failure(error: &AppError) -> Option<bool> {
        match error {
            AppError::Network(_) => Some(false),
            AppError::Pull { error, .. } => Self::of_failure(error),
            AppError::SignInRefused(_)
            | AppError::Unauthorized
            | AppError::Application(_)
            | AppError::BadAnswer(_)
            | AppError::Server(_)
            | AppError::Refused { .. } => Some(true),
            AppError::Storage(_)
            | AppError::StagingLost(_)
            | AppError::Encoding(_)
            | AppError::Browser(_)
            | AppError::Invalid(_) => None,
        }
    }
}

/// The sync state every screen reads.
#[derive(Clone, Copy)]
pub struct SyncState {
    /// Whether the back office answers: the indicator of the status strip.
    pub reach: RwSignal<Reach>,
    /// When the last pull cycle ended and how (its failure is `error`).
    pub last_pull: RwSignal<Option<DateTime<Utc>>>,
    pub running: RwSignal<bool>,
    pub progress: RwSignal<Option<Progress>>,
    pub markers: RwSignal<Vec<(&'static str, Option<Marker>)>>,
    pub error: RwSignal<Option<AppError>>,
}

impl SyncState {
    pub fn new() -> Self {
        Self {
            reach: RwSignal::new(Reach::Unknown),
            last_pull: RwSignal::new(None),
            running: RwSignal::new(false),
            progress: RwSignal::new(None),
            markers: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
        }
    }

    pub fn start(&self) {
        self.running.set(true);
        self.progress.set(None);
    }

    pub fn finish(&self, result: Result<(), AppError>) {
        let now = Utc::now();
        match &result {
            Ok(()) => self.called(true, now),
            Err(e) => {
                if let Some(reached) = Reach::of_failure(e) {
                    self.called(reached, now);
                }
            }
        }
        self.running.set(false);
        self.progress.set(None);
        self.last_pull.set(Some(now));
        self.error.set(result.err());
    }

    /// A call to the back office ended at `at`: it `reached` it, or not.
    pub fn called(&self, reached: bool, at: DateTime<Utc>) {
        self.reach.update(|r| *r = r.after(reached, at));
    }
}

impl Default for SyncState {
    fn default() -> Self {
        Self::new()
    }
}

/// What every tab shows of the outbox.
#[derive(Clone, Copy)]
pub struct OutboxState {
    /// Heads of every queued record, bodies only of those that need attention.
    pub view: RwSignal<OutboxView>,
    pub last_flush: RwSignal<Option<DateTime<Utc>>>,
    pub error: RwSignal<Option<AppError>>,
    /// After a failed flush: when the next automatic try runs.
    pub retry_in_seconds: RwSignal<Option<u64>>,
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
            retry_in_seconds: RwSignal::new(None),
            flushing: RwSignal::new(false),
            reading: StoredValue::new(false),
            next: StoredValue::new(None),
        }
    }

    /// Shows what stopped the outbox (and when sending is tried again).
    pub fn failed(self, error: AppError, retry_in_seconds: Option<u64>) {
        self.error.set(Some(error));
        self.retry_in_seconds.set(retry_in_seconds);
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
                    self.failed(e, None);
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
