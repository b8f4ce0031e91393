//! The register's day report (SKVFS 2014:9, issue 20): the X report of the
//! shop day so far, read from the journal (`sync::journal::day_so_far`), and
//! the Z report that closes the day. Not the cash drawer's shift reports
//! (`drawer/`): those are about what the drawer holds; these are the
//! register's own, numbered, with grand totals that never reset.
//!
//! "Print X report" journals the X report (the rules count every one taken)
//! and prints it on the desk's report printer; without one the report on
//! screen is the report. "Take Z report" asks first whether one may be taken
//! today (one a day), then for a confirmation and a manager's PIN, as every
//! other thing a cashier may not do alone; the Z is journaled, numbered, and
//! shown (and printed) with its number.

mod tables;

use crate::catalogue::shop_time;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::printing::{self, Job};
use crate::screens::approval::{ApprovalAsk, ApprovalDialog};
use crate::screens::modal::Modal;
use crate::screens::paper::{self, words, Outcome};
use crate::storage::Storage;
use crate::sync::approval::Wanted;
use crate::sync::journal;
use crate::tasks::reload_on;
use chrono::{NaiveDate, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::catalogue::Permission;
use possum_contract::printers::PrinterRole;
use possum_contract::settings::TerminalSettings;
use possum_print::jobs::Printout;
use possum_print::report::{DayPaper, DayReportKind};
use possum_register::journal::chain::ZRefusal;
use possum_register::journal::DayReport;
use rust_decimal::Decimal;
use tables::ReportTables;
use uuid::Uuid;

/// A day's report with what the journal does not hold: the register, the
/// shop day and the drawer's float.
#[derive(Clone)]
struct Day {
    report: DayReport,
    register_id: String,
    day: NaiveDate,
    /// The open shift's float (växelkassa); zero with no shift open.
    float: Decimal,
}

/// The X report of the shop day so far.
async fn read_day(settings: TerminalSettings) -> Result<Day, AppError> {
    let day = shop_time(Utc::now(), &settings).date();
    let report = journal::day_so_far(&settings).await?;
    let storage = Storage::open_default().await?;
    let float = storage.shift().await?.map(|s| s.float).unwrap_or_default();
    let register_id = storage.register().await?.map(|r| r.register_id).unwrap_or_default();
    Ok(Day { report, register_id, day, float })
}

/// Prints `day` as `kind` on the desk's report printer (or its receipt printer).
async fn print_day(ctx: TerminalContext, kind: DayReportKind, day: Day) -> Outcome {
    let settings = ctx.settings.get_untracked();
    let job = Job::DayReport(DayPaper {
        kind,
        report: &day.report,
        settings: &settings,
        register_id: &day.register_id,
        day: day.day,
        printed_at: shop_time(Utc::now(), &settings),
        float: day.float,
        words: words(),
    });
    paper::print_report(ctx, &job).await
}

#[component]
pub fn DayReportScreen() -> impl IntoView {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let settings = ctx.settings;
    let today = RwSignal::new(None::<Day>);
    let error = RwSignal::new(None::<AppError>);
    // The Z report just taken, shown in place of the day so far.
    let taken = RwSignal::new(None::<(i64, Day)>);
    // The Z number waiting for the cashier's confirmation.
    let confirm = RwSignal::new(None::<i64>);
    let approving = RwSignal::new(None::<ApprovalAsk>);
    let printed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let refresh = RwSignal::new(0u32);
    let on_printer = printing::prints_on_desk(&paper::desk_printers(&ctx), PrinterRole::Report);
    // Read again after every sale or refund (this tab's or another's) and after an X or Z.
    let version = Signal::derive(move || ctx.sync.ledger_version.get().wrapping_add(refresh.get()));
    reload_on(
        version,
        move || read_day(settings.get_untracked()),
        move |read| match read {
            Ok(day) => today.set(Some(day)),
            Err(e) => error.set(Some(e)),
        },
    );
    // Said in the language on screen when it is shown, as the rule refused it.
    let refusal = RwSignal::new(None::<ZRefusal>);
    let print = move |kind: DayReportKind, day: Day| {
        printed.set(Some(Outcome::Printing.text_in(Printout::Report, i18n.get_locale_untracked())));
        spawn_local(async move {
            let done = print_day(ctx, kind, day).await;
            printed.try_set(Some(done.text_in(Printout::Report, i18n.get_locale_untracked())));
        });
    };
    let print_x = move |_| {
        let Some(day) = today.get_untracked() else { return };
        taken.set(None);
        busy.set(true);
        spawn_local(async move {
            let recorded =
                journal::record_x_report(day.day, &DayReport { float: day.float, ..day.report.clone() })
                    .await;
            busy.try_set(false);
            match recorded {
                Err(e) => {
                    error.try_set(Some(e));
                }
                Ok(()) if on_printer => print(DayReportKind::X, day),
                Ok(()) => {
                    let text = td_string!(i18n.get_locale_untracked(), drawer.day.x_recorded);
                    printed.try_set(Some(text.to_string()));
                }
            }
        });
    };
    let take = move |day: Day| {
        busy.set(true);
        spawn_local(async move {
            let settings = settings.get_untracked();
            let done = journal::take_z_report(&settings, day.day, day.float, Utc::now()).await;
            busy.try_set(false);
            match done {
                Ok((number, report)) => {
                    let z = Day { report, ..day };
                    error.try_set(None);
                    taken.try_set(Some((number, z.clone())));
                    refresh.try_update(|v| *v += 1);
                    if on_printer {
                        print(DayReportKind::Z { number }, z);
                    }
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    // One a day: whether one may be taken is asked before anyone confirms.
    let ask_z = move |_| {
        let Some(day) = today.get_untracked() else { return };
        error.set(None);
        refusal.set(None);
        printed.set(None);
        spawn_local(async move {
            match journal::next_z(day.day).await {
                Ok(Ok(number)) => {
                    confirm.try_set(Some(number));
                }
                Ok(Err(refused)) => {
                    refusal.try_set(Some(refused));
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    // Made with the screen, not in the confirmation's click: that dialog's
    // owner is gone by the time the manager approves.
    let confirmed_day = StoredValue::new(None::<Day>);
    let on_approved = Callback::new(move |_| {
        if let Some(day) = confirmed_day.get_value() {
            take(day);
        }
    });
    let confirmed = move |_| {
        let (Some(number), Some(day)) = (confirm.get_untracked(), today.get_untracked()) else { return };
        confirm.set(None);
        let what =
            td_string!(i18n.get_locale_untracked(), drawer.day.approval_what, number = number, day = day.day)
                .to_string();
        let wanted = Wanted {
            order_id: Uuid::new_v4(),
            permission: Permission::CloseCashDrawer,
            amount: Decimal::ZERO,
        };
        confirmed_day.set_value(Some(day));
        approving.set(Some(ApprovalAsk { what, wanted, then: on_approved }));
    };

    view! {
        <section class="card day-report" aria-labelledby="day-title">
            <h2 id="day-title">{t!(i18n, drawer.day.title)}</h2>
            {move || {
                today
                    .get()
                    .map(|d| {
                        view! {
                            <p data-testid="day-facts">
                                {t_string!(i18n, drawer.day.facts, register = d.register_id, day = d.day)
                                    .to_string()}
                            </p>
                        }
                    })
            }}
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" role="alert" data-testid="day-error">
                                {e.text(i18n.get_locale())}
                            </p>
                        }
                    })
            }}
            {move || {
                refusal
                    .get()
                    .map(|refused| {
                        let text = match refused {
                            ZRefusal::AlreadyTaken(day) => {
                                t_string!(i18n, drawer.day.already_taken, day = day).to_string()
                            }
                            ZRefusal::BeforeLast(day) => {
                                t_string!(i18n, drawer.day.before_last, day = day).to_string()
                            }
                        };
                        view! {
                            <p class="error" role="alert" data-testid="day-error">
                                {text}
                            </p>
                        }
                    })
            }}
            <div class="actions">
                <button type="button" on:click=print_x disabled=move || busy.get() || today.with(Option::is_none)>
                    {t!(i18n, drawer.day.print_x)}
                </button>
                <button
                    type="button"
                    class="primary"
                    on:click=ask_z
                    disabled=move || busy.get() || today.with(Option::is_none)
                >
                    {t!(i18n, drawer.day.take_z)}
                </button>
            </div>
            <p role="status" data-testid="day-print-status">
                {move || printed.get()}
            </p>
            {move || match (taken.get(), today.get()) {
                (Some((number, z)), _) => {
                    view! {
                        <h3 data-testid="z-taken">
                            {t_string!(i18n, drawer.day.z_taken, number = number, day = z.day).to_string()}
                        </h3>
                        <p class="hint">{t!(i18n, drawer.day.z_taken_hint)}</p>
                        <ReportTables report=z.report float=z.float />
                        <div class="actions">
                            <button type="button" on:click=move |_| taken.set(None)>
                                {t!(i18n, drawer.day.show_so_far)}
                            </button>
                        </div>
                    }
                        .into_any()
                }
                (None, Some(d)) => {
                    view! {
                        <h3 data-testid="x-so-far">{t!(i18n, drawer.day.x_so_far)}</h3>
                        <ReportTables report=d.report float=d.float />
                    }
                        .into_any()
                }
                (None, None) => ().into_any(),
            }}
        </section>
        <Show when=move || confirm.with(Option::is_some)>
            <Modal labelled_by="z-confirm-title" on_cancel=Callback::new(move |_| confirm.set(None))>
                <section class="card">
                    <h2 id="z-confirm-title">{t!(i18n, drawer.day.confirm_title)}</h2>
                    <p data-testid="z-confirm-what">
                        {move || {
                            let day = today.with(|d| d.as_ref().map(|d| d.day.to_string())).unwrap_or_default();
                            let number = confirm.get().unwrap_or_default();
                            t_string!(i18n, drawer.day.confirm_what, number = number, day = day).to_string()
                        }}
                    </p>
                    <div class="actions">
                        <button type="button" on:click=move |_| confirm.set(None)>
                            {t!(i18n, drawer.day.cancel)}
                        </button>
                        <button type="button" class="primary" on:click=confirmed>
                            {t!(i18n, drawer.day.take_z)}
                        </button>
                    </div>
                </section>
            </Modal>
        </Show>
        <ApprovalDialog ask=approving />
    }
}
