//! POSSUM Terminal: the point of sale that keeps selling when the network goes away.
//!
//! `App` is the root component; `main.rs` only mounts it. The layers, from the
//! top: `screens/` (what staff see), `sync/` (everything that talks to the
//! back office), `storage/` (IndexedDB), `browser/` (the browser's edges);
//! every failure is one `AppError` (`error.rs`).

pub mod browser;
pub mod cashier;
pub mod catalogue;
pub mod clock;
pub mod context;
pub mod control_unit;
pub mod error;
// `crate::i18n`: the words of every screen, generated from locales/ by build.rs.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
pub mod language;
pub mod printing;
pub mod screens;
pub mod session;
pub mod storage;
pub mod sync;
pub mod tasks;

// The unit tests in src/ run in the browser with the other browser tests
// (wasm-pack), natively with `cargo test -p possum-terminal --lib`.
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use crate::i18n::*;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Router;
use session::Session;

/// Whether a sale is under way (items in the cart, payment or refund open):
/// a new version of the app waits until it is not.
#[derive(Clone, Copy)]
pub struct SaleInProgress(pub RwSignal<bool>);

/// The root: loads the saved terminal session from IndexedDB, then shows the
/// first-run setup or the terminal, whose screens the router picks by URL.
#[component]
pub fn App() -> impl IntoView {
    language::provide();
    let i18n = use_i18n();
    let session = RwSignal::new(None::<Session>);
    let update_waiting = RwSignal::new(false);
    let sale_in_progress = RwSignal::new(false);
    provide_context(SaleInProgress(sale_in_progress));
    browser::pwa::register(update_waiting);
    let started = RwSignal::new(false);
    let start_error = RwSignal::new(None::<String>);
    spawn_local(async move {
        match storage::Storage::open_default().await {
            Ok(store) => match store.load_session().await {
                Ok(saved) => session.set(saved),
                Err(e) => start_error.set(Some(e.text(i18n.get_locale_untracked()))),
            },
            Err(e) => start_error.set(Some(e.text(i18n.get_locale_untracked()))),
        }
        started.set(true);
    });

    view! {
        <Router>
            <Show when=move || update_waiting.get()>
                <div class="notice update" role="status" data-testid="update-ready">
                    <p>
                        {t!(i18n, common.update_ready)}
                    </p>
                    <button
                        type="button"
                        class="primary"
                        on:click=move |_| browser::pwa::apply_update()
                        disabled=move || sale_in_progress.get()
                    >
                        {t!(i18n, common.update_now)}
                    </button>
                    <Show when=move || sale_in_progress.get()>
                        <p class="hint">{t!(i18n, common.finish_or_park_first)}</p>
                    </Show>
                </div>
            </Show>
            {move || {
                start_error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" role="alert">
                                {e}
                            </p>
                        }
                    })
            }}
            <Show when=move || started.get() fallback=move || view! { <p role="status">{t!(i18n, common.starting)}</p> }>
                {move || match session.get() {
                    None => {
                        view! {
                            <header class="topbar">
                                <h1>{t!(i18n, common.app_name)}</h1>
                            </header>
                            <main id="main">
                                <screens::setup::Setup on_signed_in=move |s| session.set(Some(s)) />
                            </main>
                        }
                            .into_any()
                    }
                    Some(current) => {
                        view! {
                            <screens::terminal::Terminal
                                session=current
                                on_session=Callback::new(move |s| session.set(s))
                            />
                        }
                            .into_any()
                    }
                }}
            </Show>
        </Router>
    }
}
