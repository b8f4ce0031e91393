//! The signed-in terminal: the bar with its screens and the cashier on duty,
//! the status strip, and the routed screen (or the cashier sign-in while no
//! cashier is on duty). It provides the `TerminalContext` every screen reads
//! and starts the sync controller, which keeps the cache current and the
//! outbox moving.

use super::cashier::CashierSignIn;
use super::day_report::DayReportScreen;
use super::drawer::CashDrawer;
use super::history::History;
use super::modal::Modal;
use super::outbox::{NeedsAttention, OutboxSummary};
use super::sale::{SaleScreen, SaleState};
use super::setup::Setup;
use super::status::{PullTimes, StatusArea};
use super::terminal_info::TerminalInfo;
use crate::browser::quota;
use crate::cashier::{self, Cashier};
use crate::context::TerminalContext;
use crate::i18n::*;
use crate::session::Session;
use crate::storage::Storage;
use crate::sync::controller::SyncController;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{FlatRoutes, Route, A};
use leptos_router::path;
use possum_contract::catalogue::Role;
use possum_contract::settings::TerminalSettings;

#[component]
pub fn Terminal(session: Session, on_session: Callback<Option<Session>>) -> impl IntoView {
    let session = RwSignal::new(session);
    let sync = SyncController::new(session);
    // The settings: read with the catalogue (SaleState), after every pull
    // that changed the cache, so a tile never shows before its settings.
    let settings_read = RwSignal::new(TerminalSettings::default());
    let settings = Signal::from(settings_read);
    let cashier = RwSignal::new(None::<Cashier>);
    let cashier_loaded = RwSignal::new(false);
    let ctx = TerminalContext {
        session,
        cashier,
        settings,
        sync,
        storage_health: RwSignal::new(None),
        signed_out: Callback::new(move |()| on_session.run(None)),
    };
    provide_context(ctx);
    spawn_local(async move { ctx.storage_health.set(quota::persist_and_measure().await) });
    // The background interval, from the settings (at least ten seconds).
    let interval = Signal::derive(move || settings.with(|s| s.sync_interval_seconds.max(10)));
    // Show what the cache holds at once, then bring it up to date.
    sync.start(interval, async move |storage: Option<&Storage>| {
        if let Some(storage) = storage {
            match cashier::current(storage).await {
                Ok(saved) => cashier.set(saved),
                Err(e) => sync.sync.error.set(Some(e)),
            }
        }
        cashier_loaded.set(true);
    });
    let sale = SaleState::new(sync.cache_version, settings_read);
    provide_context(sale);

    let switch_cashier = move |_| {
        spawn_local(async move {
            match async { cashier::sign_out(&Storage::open_default().await?).await }.await {
                Ok(()) => cashier.set(None),
                Err(e) => sync.sync.error.set(Some(e)),
            }
        });
    };
    let counts = Signal::derive(move || sale.catalogue.with(|c| (c.products(), c.customers)));
    let on_duty = move || cashier.with(Option::is_some);
    let self_check = sync.self_check;
    let i18n = use_i18n();
    let role = move |role: Role| match role {
        Role::Cashier => t_string!(i18n, drawer.nav.role_cashier),
        Role::Manager => t_string!(i18n, drawer.nav.role_manager),
        Role::Admin => t_string!(i18n, drawer.nav.role_admin),
    };
    view! {
        <header class="topbar">
            <h1>{t!(i18n, common.app_name)}</h1>
            <Show when=on_duty>
                <nav class="screens" aria-label=move || t_string!(i18n, drawer.nav.screens)>
                    <A href="/" exact=true>
                        {t!(i18n, drawer.nav.sale)}
                    </A>
                    <A href="/history">{t!(i18n, drawer.nav.history)}</A>
                    <A href="/drawer">{t!(i18n, drawer.nav.cash_drawer)}</A>
                    <A href="/day">{t!(i18n, drawer.nav.day_report)}</A>
                    <A href="/sync">{t!(i18n, drawer.nav.sync)}</A>
                    <A href="/terminal">{t!(i18n, drawer.nav.terminal)}</A>
                </nav>
            </Show>
            <section class="cashier-bar" aria-label=move || t_string!(i18n, drawer.nav.cashier_bar)>
                {move || {
                    cashier
                        .get()
                        .map(|c| {
                            view! {
                                <span data-testid="cashier">
                                    {t_string!(i18n, drawer.nav.cashier_on_duty, name = c.name, role = role(c.role))
                                        .to_string()}
                                </span>
                                <button type="button" on:click=switch_cashier>
                                    {t!(i18n, drawer.nav.switch_cashier)}
                                </button>
                            }
                        })
                }} <super::staff_time::StaffTime />
            </section>
        </header>
        <section class="statusbar" aria-label=move || t_string!(i18n, drawer.nav.sync_status)>
            <StatusArea state=sync.sync catalogue=counts on_sync_now=move || sync.sync_now(true) />
            <OutboxSummary state=sync.outbox />
        </section>
        <Show when=move || self_check.with(|p| !p.is_empty())>
            <details class="notice" data-testid="self-check">
                <summary>
                    {move || {
                        t_string!(i18n, drawer.nav.self_check, count = self_check.with(Vec::len)).to_string()
                    }}
                </summary>
                <ul>{move || self_check.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </details>
        </Show>
        <Show when=move || sync.needs_login.get()>
            <Modal labelled_by="setup-title">
                <p class="notice">
                    {t!(i18n, drawer.nav.sign_in_expired)}
                </p>
                <Setup
                    base_url=session.get_untracked().base_url
                    username=session.get_untracked().username
                    on_signed_in=move |fresh| sync.signed_in_again(fresh)
                />
            </Modal>
        </Show>
        <main id="main">
            <Show when=move || cashier_loaded.get() && !on_duty()>
                <CashierSignIn on_signed_in=move |c| cashier.set(Some(c)) />
            </Show>
            <Show when=on_duty>
                <FlatRoutes fallback=move || {
                    view! {
                        <section class="card">
                            <h2>{t!(i18n, drawer.nav.no_such_screen)}</h2>
                            <A href="/">{t!(i18n, drawer.nav.back_to_sale)}</A>
                        </section>
                    }
                }>
                    <Route path=path!("/") view=SaleScreen />
                    <Route path=path!("/history") view=History />
                    <Route path=path!("/drawer") view=CashDrawer />
                    <Route path=path!("/day") view=DayReportScreen />
                    <Route
                        path=path!("/sync")
                        view=|| {
                            view! {
                                <div class="screen-columns">
                                    <NeedsAttention />
                                    <PullTimes />
                                    <super::commerce_info::CommerceInfo />
                                </div>
                            }
                        }
                    />
                    <Route path=path!("/terminal") view=TerminalInfo />
                </FlatRoutes>
            </Show>
        </main>
    }
}
