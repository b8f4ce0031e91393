//! What the sale screen works on, kept by the terminal so that it outlives
//! a visit to another screen: the catalogue (read once per pull, not per
//! visit), the cart (saved on every change: it survives a reload too, and
//! repriced as it changes: `pricing.rs`), this terminal's own recent sales
//! (what the promotions and the wash club count), the parked carts,
//! whether sales are stopped, and training mode (kept on the tablet).

use crate::catalogue::{Catalogue, OwnSales};
use crate::error::AppError;
use crate::i18n::*;
use crate::storage::ledger::Parked;
use crate::storage::Storage;
use crate::tasks::reload_on;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use possum_contract::settings::TerminalSettings;
use possum_register::cart::{AttachedCustomer, Cart};
use std::sync::Arc;

/// Provided as context by `Terminal` beside the `TerminalContext`.
#[derive(Clone, Copy)]
pub struct SaleState {
    pub catalogue: RwSignal<Arc<Catalogue>>,
    /// The catalogue could not be read, or the cart not saved.
    pub load_error: RwSignal<Option<AppError>>,
    pub cart: RwSignal<Cart>,
    /// Article numbers the back office refused in this cart (errors 14 and 16).
    pub highlighted: RwSignal<Vec<String>>,
    pub parked: RwSignal<Vec<Parked>>,
    /// A sale could not be stored (the disk is full…): no more sales until staff have looked.
    pub storage_trouble: RwSignal<Option<AppError>>,
    /// A dialog of the sale screen is open (payment, refund): a sale is under way.
    pub dialog_open: RwSignal<bool>,
    /// This terminal's unsent and newest sales, read after every change of
    /// the ledger and when a customer is put on the cart.
    pub own: RwSignal<Arc<OwnSales>>,
    /// The minute it is (Unix minutes): campaigns start and end on the minute.
    pub minute: RwSignal<i64>,
    /// Training mode (ÖVNING): sales are practised, nothing is charged (`training.rs`).
    pub training: RwSignal<bool>,
    settings: Signal<TerminalSettings>,
    /// The words on screen, for what the state says itself (a mounted part alone has none).
    i18n: Option<I18nContext<Locale>>,
}

impl SaleState {
    /// Reads the settings (into `settings`, which the context shares), the
    /// catalogue and the parked carts whenever `version` moves (after a pull
    /// that changed the cache; a slower older read never replaces a newer
    /// one), the saved cart once, and saves every change of the cart.
    pub fn new(version: RwSignal<u32>, settings: RwSignal<TerminalSettings>) -> Self {
        let state = Self {
            catalogue: RwSignal::new(Arc::new(Catalogue::empty())),
            load_error: RwSignal::new(None),
            cart: RwSignal::new(Cart::new(1)),
            highlighted: RwSignal::new(Vec::new()),
            parked: RwSignal::new(Vec::new()),
            storage_trouble: RwSignal::new(None),
            dialog_open: RwSignal::new(false),
            own: RwSignal::new(Arc::new(OwnSales::default())),
            minute: RwSignal::new(super::pricing::minute_now()),
            training: RwSignal::new(false),
            settings: settings.into(),
            i18n: use_context(),
        };
        super::training::load(state.training, state.load_error);
        let Self { catalogue, load_error, cart, parked, storage_trouble, .. } = state;
        reload_on(
            version.into(),
            || async {
                let storage = Storage::open_default().await?;
                let read =
                    (storage.settings().await?, Catalogue::load(&storage).await?, storage.parked().await?);
                Ok::<_, AppError>(read)
            },
            move |read| match read {
                Ok((read_settings, c, waiting)) => {
                    // Unchanged settings leave every view that reads them alone.
                    if settings.with_untracked(|s| *s != read_settings) {
                        settings.set(read_settings);
                    }
                    catalogue.set(c);
                    parked.set(waiting);
                    load_error.set(None);
                }
                Err(e) => load_error.set(Some(e)),
            },
        );
        // The saved cart, once; without one, an empty cart in the settings' default group.
        let cart_loaded = StoredValue::new(false);
        spawn_local(async move {
            let saved = async {
                let storage = Storage::open_default().await?;
                let group = storage.settings().await?.default_price_group;
                Ok::<_, AppError>(storage.load_cart().await?.unwrap_or_else(|| Cart::new(group)))
            }
            .await;
            match saved {
                Ok(saved) => cart.set(saved),
                Err(e) => load_error.set(Some(e)),
            }
            cart_loaded.set_value(true);
        });
        Effect::new(move |_| {
            let current = cart.get();
            if !cart_loaded.get_value() {
                return;
            }
            spawn_local(async move {
                if let Err(e) = async { Storage::open_default().await?.save_cart(&current).await }.await {
                    if e.stops_sales() {
                        storage_trouble.set(Some(e.clone()));
                    }
                    load_error.set(Some(e));
                }
            });
        });
        // The terminal's context is there in the app (not where a test mounts a part alone).
        if let Some(ctx) = use_context::<crate::context::TerminalContext>() {
            super::pricing::keep_repriced(state, ctx);
        }
        // A new version of the app waits while a sale is under way.
        if let Some(crate::SaleInProgress(in_progress)) = use_context::<crate::SaleInProgress>() {
            Effect::new(move |_| in_progress.set(!cart.with(Cart::is_empty) || state.dialog_open.get()));
            on_cleanup(move || in_progress.set(false));
        }
        state
    }

    /// The sale screen's state, provided by `Terminal`.
    pub fn get() -> Self {
        use_context::<Self>().expect("provided by Terminal")
    }

    /// An empty cart in the default price group.
    pub fn clear_cart(&self) {
        let group = self.settings.with_untracked(|s| s.default_price_group);
        self.cart.set(Cart::new(group));
        self.highlighted.set(vec![]);
    }

    /// Puts `found` on the cart, and the cart in the customer's own price
    /// group (or the default one: the price group follows the customer);
    /// answers a warning for staff when the customer's card is locked.
    pub fn attach(&self, found: AttachedCustomer) -> Option<String> {
        let s = self.settings.get_untracked();
        let group = found.customer.price_group.unwrap_or(s.default_price_group);
        let locale = self.i18n.map_or(Locale::en, |i| i.get_locale_untracked());
        let name = &found.customer.name;
        let warning =
            found.customer.locked.then(|| td_string!(locale, sale.customer.card_locked, name = name));
        self.cart.update(|c| {
            c.customer = Some(found);
            c.set_price_group(group, &s);
        });
        warning
    }

    /// Takes the customer off the cart, and the cart back to the default price group.
    pub fn detach(&self) {
        let s = self.settings.get_untracked();
        self.cart.update(|c| {
            c.customer = None;
            c.set_price_group(s.default_price_group, &s);
        });
    }
}
