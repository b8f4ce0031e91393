//! POSSUM Terminal: the point of sale that keeps selling when the network goes away.
//!
//! `App` is the root component; `main.rs` only mounts it. Each screen is a file
//! under `screens/`; talking to the back office is `api.rs`, IndexedDB is
//! `storage.rs`, and every failure is one `AppError`.

pub mod api;
pub mod cached;
pub mod catalogue;
pub mod cashier;
pub mod checkout;
pub mod device_log;
pub mod error;
pub mod export;
pub mod flush;
pub mod ledger;
pub mod quota;
pub mod screens;
pub mod selfcheck;
pub mod session;
pub mod storage;
pub mod sync;
pub mod tabs;

use leptos::prelude::*;
use leptos::task::spawn_local;
use session::Session;

/// The root: loads the saved terminal session from IndexedDB, then shows the
/// first-run setup or the terminal.
#[component]
pub fn App() -> impl IntoView {
    let session = RwSignal::new(None::<Session>);
    let started = RwSignal::new(false);
    let start_error = RwSignal::new(None::<String>);
    spawn_local(async move {
        match storage::Storage::open_default().await {
            Ok(store) => match store.load_session().await {
                Ok(saved) => session.set(saved),
                Err(e) => start_error.set(Some(e.to_string())),
            },
            Err(e) => start_error.set(Some(e.to_string())),
        }
        started.set(true);
    });

    view! {
        <header class="topbar">
            <h1>"POSSUM Terminal"</h1>
        </header>
        <main id="main">
            {move || start_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <Show when=move || started.get() fallback=|| view! { <p role="status">"Starting…"</p> }>
                {move || match session.get() {
                    None => view! { <screens::setup::Setup on_signed_in=move |s| session.set(Some(s)) /> }.into_any(),
                    Some(current) => view! { <screens::terminal::Terminal session=current on_session=move |s| session.set(s) /> }.into_any(),
                }}
            </Show>
        </main>
    }
}
