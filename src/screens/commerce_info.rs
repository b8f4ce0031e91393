//! What the terminal holds of the commercial modules, for the Sync screen:
//! the wash tokens left in its reserve (every wash sold without `api/Sale`'s
//! token takes one), the campaigns, discount programs and wash-club plans,
//! and the campaign rows it skipped because they are no valid campaign
//! (the others still apply; the owner corrects the row at the back office).

use super::sale::SaleState;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::storage::Storage;
use crate::tasks::reload_on;
use leptos::prelude::*;

#[component]
pub fn CommerceInfo() -> impl IntoView {
    let ctx = TerminalContext::get();
    let state = SaleState::get();
    // The reserve changes with a pull (refilled) and with a sale (a set taken).
    let version =
        Signal::derive(move || ctx.sync.cache_version.get().wrapping_add(ctx.sync.ledger_version.get()));
    let reserve = RwSignal::new(None::<Result<usize, AppError>>);
    reload_on(
        version,
        || async { Ok::<_, AppError>(Storage::open_default().await?.reserve_count().await?.available) },
        move |read| reserve.set(Some(read)),
    );
    let counts = move || {
        state.catalogue.with(|c| (c.offers.campaigns.len(), c.offers.programs.len(), c.offers.plan_count()))
    };
    let problems = move || state.catalogue.with(|c| c.offers.problems.clone());
    view! {
        <section class="card commerce-info" aria-labelledby="commerce-title">
            <h2 id="commerce-title">"Wash tokens and promotions"</h2>
            <dl class="facts">
                <dt>"Wash tokens in reserve"</dt>
                <dd data-testid="reserve-count">
                    {move || match reserve.get() {
                        None => "…".to_string(),
                        Some(Ok(n)) => n.to_string(),
                        Some(Err(e)) => e.to_string(),
                    }}
                </dd>
                <dt>"Campaigns"</dt>
                <dd data-testid="campaign-count">{move || counts().0}</dd>
                <dt>"Discount programs"</dt>
                <dd>{move || counts().1}</dd>
                <dt>"Wash-club plans"</dt>
                <dd>{move || counts().2}</dd>
            </dl>
            <Show when=move || reserve.with(|r| matches!(r, Some(Ok(0))))>
                <p class="notice" role="status">
                    "No wash tokens are left in reserve: a wash sold offline gets its token when its order reaches the back office."
                </p>
            </Show>
            <Show when=move || !problems().is_empty()>
                <div class="attention" data-testid="campaign-problems">
                    <h3>"Campaigns skipped (correct them at the back office)"</h3>
                    <ul>{move || problems().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            </Show>
        </section>
    }
}
