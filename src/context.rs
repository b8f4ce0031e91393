//! What every screen of the signed-in terminal shares, provided once by
//! `Terminal` through Leptos' context, so routes take no props: the session,
//! the cashier on duty, the settings (read once per pull that changed them)
//! and the sync controller.

use crate::browser::quota::StorageHealth;
use crate::cashier::Cashier;
use crate::session::Session;
use crate::sync::controller::SyncController;
use leptos::prelude::*;
use possum_contract::catalogue::Permission;
use possum_contract::settings::TerminalSettings;
use uuid::Uuid;

#[derive(Clone, Copy)]
pub struct TerminalContext {
    pub session: RwSignal<Session>,
    /// The cashier on duty; `None` while the cashier sign-in shows.
    pub cashier: RwSignal<Option<Cashier>>,
    /// The terminal's settings from the cache (the defaults until read).
    pub settings: Signal<TerminalSettings>,
    pub sync: SyncController,
    /// The tablet's storage, measured at start.
    pub storage_health: RwSignal<Option<StorageHealth>>,
    /// Signs the terminal out (the first-run setup shows again).
    pub signed_out: Callback<()>,
}

impl TerminalContext {
    /// The context `Terminal` provides (every screen below it).
    pub fn get() -> Self {
        use_context::<Self>().expect("provided by Terminal")
    }

    /// Whether the cashier on duty may do `permission` (reactive: a view that
    /// asks follows the cashier).
    pub fn may(&self, permission: Permission) -> bool {
        self.cashier.with(|c| c.as_ref().is_some_and(|c| c.may(permission)))
    }

    pub fn terminal_id(&self) -> Uuid {
        self.session.with_untracked(|s| s.terminal_id)
    }
}
