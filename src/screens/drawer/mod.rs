//! The cash drawer: open with a float, cash in and out with a reason, the X
//! report at any time, and (for roles that may) closing with counted amounts
//! and the Z report, which waits for the shift's sales to reach the back
//! office unless a manager confirms (`report.rs`). Every event is queued for
//! `PostCashDrawerLog`.

mod open;
mod report;

use crate::context::TerminalContext;
use crate::error::{words, AppError};
use crate::i18n::*;
use crate::language::use_kronor;
use crate::screens::modal::Modal;
use crate::screens::sale::payment::method_words;
use crate::storage::Storage;
use crate::tasks::reload_on;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use open::{after_cash_move, OpenDrawer, Pulsed};
use possum_contract::activity::{CashDrawerEvent, CountedAmount, Order};
use possum_contract::catalogue::Permission;
use possum_contract::endpoints::PushKind;
use possum_contract::sale::PaymentMethod;
use possum_register::drawer::opening::Opening;
use possum_register::drawer::{Recorder, Shift};
use possum_register::money;
use report::{ReportDialog, Shown};
use rust_decimal::Decimal;

#[component]
pub fn CashDrawer() -> impl IntoView {
    let ctx = TerminalContext::get();
    let (session, cashier, settings, outbox) = (ctx.session, ctx.cashier, ctx.settings, ctx.sync.outbox);
    let shift = RwSignal::new(None::<Shift>);
    let error = RwSignal::new(None::<AppError>);
    let float = RwSignal::new(String::new());
    let move_amount = RwSignal::new(String::new());
    let move_reason = RwSignal::new(String::new());
    let counting = RwSignal::new(false);
    let counted = RwSignal::new(Vec::<(PaymentMethod, RwSignal<String>)>::new());
    let shown = RwSignal::new(None::<Shown>);
    // What the drawer's last pulse did (cash in or out, a manager's opening).
    let pulsed = RwSignal::new(Pulsed::None);
    let may_close = move || ctx.may(Permission::CloseCashDrawer);
    // Read again when sales or the outbox change (this tab's or another's).
    reload_on(
        ctx.sync.ledger_version.into(),
        || async { Storage::open_default().await?.shift().await },
        move |read| match read {
            Ok(s) => shift.set(s),
            Err(e) => error.set(Some(e)),
        },
    );

    let i18n = use_i18n();
    let kronor = use_kronor();
    let fmt = move |d: Decimal| kronor.show(d, &settings.get_untracked());
    // The shift's figures come from the terminal's orders, read when staff ask
    // for them rather than after every sale (the orders of months add up).
    let with_orders = move |then: Box<dyn FnOnce(Vec<Order>)>| {
        spawn_local(async move {
            match async { Storage::open_default().await?.orders().await }.await {
                Ok(all) => then(all.into_iter().map(|o| o.order).collect()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // Stores the shift's new state with its event, then shows it.
    let record = move |next: Option<Shift>,
                       of: Shift,
                       event: CashDrawerEvent,
                       amount: Decimal,
                       reason: Option<String>,
                       counts: Vec<CountedAmount>| {
        let Some(by) = cashier.get_untracked() else { return };
        let recorder =
            Recorder { terminal_id: session.get_untracked().terminal_id, user_id: by.id, now: Utc::now() };
        let log = of.log(event, amount, reason, counts, recorder);
        // Cash in or out opens the drawer, once the move is stored.
        let opening = Opening::of_cash_log(&log);
        spawn_local(async move {
            match async { Storage::open_default().await?.drawer_event(next.as_ref(), &log).await }.await {
                Ok(()) => {
                    shift.set(next);
                    error.set(None);
                    ctx.sync.queued();
                    after_cash_move(ctx, opening, pulsed);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let name = move || cashier.with_untracked(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let open = move |_| {
        let s = settings.get_untracked();
        let amount = match money::parse_amount(&float.get_untracked(), false, &s) {
            Ok(amount) => amount,
            Err(e) => {
                return error.set(Some(AppError::Invalid(words::amount(&e, i18n.get_locale_untracked()))))
            }
        };
        match Shift::open(amount, &name(), Utc::now()) {
            Ok(new) => {
                float.set(String::new());
                record(Some(new.clone()), new, CashDrawerEvent::Open, amount, None, vec![]);
            }
            Err(e) => error.set(Some(AppError::Invalid(e.to_string()))),
        }
    };
    let move_cash = move |out: bool| {
        let Some(mut current) = shift.get_untracked() else { return };
        let amount = match money::parse_amount(&move_amount.get_untracked(), false, &settings.get_untracked())
        {
            Ok(amount) => amount,
            Err(e) => {
                return error.set(Some(AppError::Invalid(words::amount(&e, i18n.get_locale_untracked()))))
            }
        };
        let reason = move_reason.get_untracked();
        with_orders(Box::new(move |orders| {
            match current.move_cash(amount, &reason, out, &name(), Utc::now(), &orders) {
                Ok(m) => {
                    move_amount.set(String::new());
                    move_reason.set(String::new());
                    let event = if out { CashDrawerEvent::CashOut } else { CashDrawerEvent::CashIn };
                    record(Some(current.clone()), current, event, m.amount, Some(m.reason), vec![]);
                }
                Err(e) => error.set(Some(AppError::Invalid(e.to_string()))),
            }
        }));
    };
    // The shift's sales still in the outbox.
    let unsent_sales = move |s: &Shift, orders: &[Order]| {
        let mine: Vec<uuid::Uuid> = orders.iter().filter(|o| s.includes(o)).map(|o| o.id).collect();
        outbox.view.with_untracked(|v| v.ids_of(PushKind::Order).filter(|id| mine.contains(id)).count())
    };
    let show = move |s: &Shift, z: bool, orders: &[Order]| {
        let report = s.report(orders, &settings.get_untracked());
        let opened = td_string!(
            i18n.get_locale_untracked(),
            drawer.cash.opened,
            at = crate::clock::date_time(s.opened_at),
            name = s.opened_by.clone(),
            float = fmt(s.float)
        )
        .to_string();
        shown.set(Some(Shown {
            z,
            report,
            opened,
            opened_at: s.opened_at,
            opened_by: s.opened_by.clone(),
            unsent_sales: unsent_sales(s, orders),
            made: false,
        }));
    };
    let x_report = move |_| {
        let Some(current) = shift.get_untracked() else { return };
        with_orders(Box::new(move |orders| {
            show(&current, false, &orders);
            record(Some(current.clone()), current, CashDrawerEvent::XReport, Decimal::ZERO, None, vec![]);
        }));
    };
    let z_report = move || {
        let Some(current) = shift.get_untracked() else { return };
        with_orders(Box::new(move |orders| show(&current, true, &orders)));
    };
    let start_count = move |_| {
        let Some(current) = shift.get_untracked() else { return };
        with_orders(Box::new(move |orders| {
            counted.set(
                current
                    .expected(&orders)
                    .into_iter()
                    .map(|(m, _)| (m, RwSignal::new(String::new())))
                    .collect(),
            );
            counting.set(true);
        }));
    };
    let close = move |_| {
        let Some(mut current) = shift.get_untracked() else { return };
        let s = settings.get_untracked();
        let mut typed = Vec::new();
        for (method, text) in counted.get_untracked() {
            match money::parse_amount(&text.get_untracked(), false, &s) {
                Ok(amount) => typed.push((method, amount)),
                Err(e) => {
                    let locale = i18n.get_locale_untracked();
                    let why = words::amount(&e, locale);
                    let text = td_string!(
                        locale,
                        drawer.cash.count_error,
                        method = method_words(method, locale),
                        error = why
                    );
                    return error.set(Some(AppError::Invalid(text.to_string())));
                }
            }
        }
        with_orders(Box::new(move |orders| match current.close(&typed, &name(), Utc::now(), &orders) {
            Ok(counts) => {
                counting.set(false);
                show(&current, true, &orders);
                record(Some(current.clone()), current, CashDrawerEvent::Close, Decimal::ZERO, None, counts);
            }
            Err(e) => error.set(Some(AppError::Invalid(e.to_string()))),
        }));
    };
    let make_z = move || {
        let Some(current) = shift.get_untracked() else { return };
        let counts = current.closing.as_ref().map(|c| c.counted.clone()).unwrap_or_default();
        record(None, current, CashDrawerEvent::ZReport, Decimal::ZERO, None, counts);
        shown.update(|s| {
            if let Some(s) = s {
                s.made = true;
            }
        });
    };

    view! {
        <section class="card drawer" aria-labelledby="drawer-title">
            <h2 id="drawer-title">{t!(i18n, drawer.cash.title)}</h2>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" role="alert" data-testid="drawer-error">
                                {e.text(i18n.get_locale())}
                            </p>
                        }
                    })
            }}
            {move || match shift.get() {
                None => {
                    view! {
                        <p data-testid="drawer-state">{t!(i18n, drawer.cash.closed)}</p>
                        <label for="drawer-float">{t!(i18n, drawer.cash.starting_float)}</label>
                        <input
                            id="drawer-float"
                            type="text"
                            inputmode="decimal"
                            autocomplete="off"
                            bind:value=float
                        />
                        <button
                            type="button"
                            class="primary"
                            on:click=open
                            disabled=move || cashier.with(Option::is_none)
                        >
                            {t!(i18n, drawer.cash.open_drawer)}
                        </button>
                    }
                        .into_any()
                }
                Some(s) if s.closing.is_some() => {
                    view! {
                        <p data-testid="drawer-state">{t!(i18n, drawer.cash.z_pending)}</p>
                        <button type="button" class="primary" on:click=move |_| z_report()>
                            {t!(i18n, drawer.cash.z_report)}
                        </button>
                    }
                        .into_any()
                }
                Some(s) => {
                    view! {
                        <p data-testid="drawer-state">
                            {move || {
                                t_string!(
                                    i18n,
                                    drawer.cash.open_since,
                                    at = crate::clock::hour_minute(s.opened_at),
                                    name = s.opened_by.clone(),
                                    float = fmt(s.float)
                                )
                                    .to_string()
                            }}
                        </p>
                        <div class="drawer-move">
                            <label for="drawer-amount">{t!(i18n, drawer.cash.amount)}</label>
                            <input
                                id="drawer-amount"
                                type="text"
                                inputmode="decimal"
                                autocomplete="off"
                                bind:value=move_amount
                            />
                            <label for="drawer-reason">{t!(i18n, drawer.cash.reason)}</label>
                            <input id="drawer-reason" type="text" autocomplete="off" bind:value=move_reason />
                            <div class="actions">
                                <button type="button" on:click=move |_| move_cash(false)>
                                    {t!(i18n, drawer.cash.cash_in)}
                                </button>
                                <button type="button" on:click=move |_| move_cash(true)>
                                    {t!(i18n, drawer.cash.cash_out)}
                                </button>
                            </div>
                        </div>
                        <div class="actions">
                            <button type="button" on:click=x_report>
                                {t!(i18n, drawer.cash.x_report)}
                            </button>
                            <Show
                                when=may_close
                                fallback=move || {
                                    view! { <span class="hint">{t!(i18n, drawer.cash.needs_manager)}</span> }
                                }
                            >
                                <button type="button" on:click=start_count>
                                    {t!(i18n, drawer.cash.close_drawer)}
                                </button>
                            </Show>
                        </div>
                    }
                        .into_any()
                }
            }}
            // Outside the shift's view, which is made again on every change of
            // the shift: a manager's approval under way survives it.
            <Show when=move || shift.with(|s| s.as_ref().is_some_and(|s| s.closing.is_none()))>
                <OpenDrawer status=pulsed />
            </Show>
        </section>
        <Show when=move || counting.get()>
            <Modal labelled_by="count-title" on_cancel=Callback::new(move |_| counting.set(false))>
                <section class="card count">
                    <h2 id="count-title">{t!(i18n, drawer.cash.count_title)}</h2>
                    {move || {
                        counted
                            .get()
                            .into_iter()
                            .map(|(method, text)| {
                                let id = format!("count-{}", method.code());
                                view! {
                                    <label for=id.clone()>
                                        {move || {
                                            t_string!(i18n, drawer.cash.counted_method, method = method_words(method, i18n.get_locale()))
                                                .to_string()
                                        }}
                                    </label>
                                    <input
                                        id=id
                                        type="text"
                                        inputmode="decimal"
                                        autocomplete="off"
                                        bind:value=text
                                    />
                                }
                            })
                            .collect_view()
                    }}
                    {move || {
                        error
                            .get()
                            .map(|e| {
                                view! {
                                    <p class="error" role="alert">
                                        {e.text(i18n.get_locale())}
                                    </p>
                                }
                            })
                    }}
                    <div class="actions">
                        <button type="button" on:click=move |_| counting.set(false)>
                            {t!(i18n, drawer.cash.keep_open)}
                        </button>
                        <button type="button" class="primary" on:click=close>
                            {t!(i18n, drawer.cash.close_drawer)}
                        </button>
                    </div>
                </section>
            </Modal>
        </Show>
        <ReportDialog shown=shown on_make_z=make_z />
    }
}
