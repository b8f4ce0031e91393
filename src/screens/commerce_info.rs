//! What the terminal holds of the commercial modules, for the Sync screen:
//! the wash tokens left in its reserve (every wash sold without `api/Sale`'s
//! token takes one), the campaigns, discount programs and wash-club plans,
//! and the campaign rows it skipped because they are no valid campaign
//! (the others still apply; the owner corrects the row at the back office).

use super::sale::SaleState;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::storage::Storage;
use crate::tasks::reload_on;
use leptos::prelude::*;

#[component]
pub fn CommerceInfo() -> impl IntoView {
    let i18n = use_i18n();
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
            <h2 id="commerce-title">{t!(i18n, start.commerce.title)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, start.commerce.reserve)}</dt>
                <dd data-testid="reserve-count">
                    {move || match reserve.get() {
                        None => "…".to_string(),
                        Some(Ok(n)) => n.to_string(),
                        Some(Err(e)) => e.text(i18n.get_locale()),
                    }}
                </dd>
                <dt>{t!(i18n, start.commerce.campaigns)}</dt>
                <dd data-testid="campaign-count">{move || counts().0}</dd>
                <dt>{t!(i18n, start.commerce.programs)}</dt>
                <dd>{move || counts().1}</dd>
                <dt>{t!(i18n, start.commerce.plans)}</dt>
                <dd>{move || counts().2}</dd>
            </dl>
            <Show when=move || reserve.with(|r| matches!(r, Some(Ok(0))))>
                <p class="notice" role="status">
                    {t!(i18n, start.commerce.reserve_empty)}
                </p>
            </Show>
            <Show when=move || !problems().is_empty()>
                <div class="attention" data-testid="campaign-problems">
                    <h3>{t!(i18n, start.commerce.skipped)}</h3>
                    <ul>{move || problems().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            </Show>
        </section>
    }
}
