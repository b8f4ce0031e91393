//! The sync status: online or offline, the pull under way, the last pull of each module.

use crate::context::TerminalContext;
use crate::sync::pull::Progress;
use crate::sync::status::SyncState;
use leptos::prelude::*;

/// The sync half of the status strip, on every screen: online or offline,
/// the pull under way, "Sync now", what the cache holds and since when.
#[component]
pub fn StatusArea(
    state: SyncState,
    catalogue: Signal<(usize, u32)>,
    on_sync_now: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <span class="pill" class:offline=move || !state.online.get() role="status" data-testid="online">
            {move || if state.online.get() { "Online" } else { "Offline" }}
        </span>
        <button type="button" on:click=move |_| on_sync_now() disabled=move || state.running.get()>
            "Sync now"
        </button>
        <span role="status" aria-live="polite" data-testid="sync-progress">
            {move || match (state.running.get(), state.progress.get()) {
                (true, Some(Progress { module: Some(m), rows, .. })) => {
                    format!("Syncing {}: {rows} rows", m.name())
                }
                (true, _) => "Syncing…".to_string(),
                (false, _) => String::new(),
            }}
        </span>
        <span data-testid="catalogue-counts">
            {move || {
                let (products, customers) = catalogue.get();
                format!("{products} products, {customers} customers cached")
            }}
        </span>
        <span data-testid="last-pull">
            {move || {
                let markers = state.markers.get();
                let oldest = markers
                    .iter()
                    .map(|(_, m)| m.as_ref().and_then(|m| m.completed_at))
                    .min()
                    .flatten();
                match oldest {
                    Some(at) => format!("Last full pull {}", crate::clock::time(at)),
                    None => "Not fully pulled yet".to_string(),
                }
            }}
        </span>
        {move || {
            state
                .error
                .get()
                .map(|e| {
                    view! {
                        <p class="error" role="alert" data-testid="sync-error">
                            {e.to_string()}
                        </p>
                    }
                })
        }}
    }
}

/// The last successful pull of each module.
#[component]
pub fn PullTimes() -> impl IntoView {
    let state = TerminalContext::get().sync.sync;
    view! {
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
                                        <th scope="row">{name}</th>
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
