//! The X and Z reports on screen: the shift's figures, what the drawer
//! should hold and what was counted, whether everything reached the back
//! office, and (for a Z report) making it, which ends the shift. Print puts
//! the report on the desk's report printer (else its receipt printer; never
//! a pulse of the drawer), or in the browser's dialog when the desk has
//! neither, as the receipt dialog does (`paper::PrintActions`).

use crate::context::TerminalContext;
use crate::i18n::*;
use crate::language::use_kronor;
use crate::printing::{self, Job};
use crate::screens::modal::Modal;
use crate::screens::paper::{self, words, Outcome, PrintActions};
use crate::screens::sale::payment::method_words;
use crate::storage::ledger::OutboxView;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::printers::PrinterRole;
use possum_print::jobs::Printout;
use possum_print::report::XReport;
use possum_register::drawer::Report;
use rust_decimal::Decimal;

/// A report on screen: which one, and what it says.
#[derive(Clone)]
pub struct Shown {
    pub z: bool,
    pub report: Report,
    pub opened: String,
    /// When and by whom the shift's drawer was opened (for the paper).
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    /// The shift's sales not at the back office yet (a Z report waits for them).
    pub unsent_sales: usize,
    /// The Z report was made (the shift is over).
    pub made: bool,
}

/// The report in `shown`, while there is one; `on_make_z` makes the Z report.
#[component]
pub fn ReportDialog(
    shown: RwSignal<Option<Shown>>,
    on_make_z: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = TerminalContext::get();
    let (settings, outbox) = (ctx.settings, ctx.sync.outbox);
    let may_close = move || ctx.may(possum_contract::catalogue::Permission::CloseCashDrawer);
    let i18n = use_i18n();
    let kronor = use_kronor();
    let fmt = move |d: Decimal| kronor.show(d, &settings.get_untracked());
    // What printing did, kept while the report is shown: the dialog below is
    // made again when the outbox changes (its Sync line), the print's answer
    // stays. A closed report forgets it.
    let outcome = RwSignal::new(None::<Outcome>);
    Effect::new(move |_| {
        if shown.with(Option::is_none) {
            outcome.set(None);
        }
    });
    move || {
        shown.get().map(|s| {
            let title = if s.z { t_string!(i18n, drawer.cash.z_report) } else { t_string!(i18n, drawer.cash.x_report) };
            let r = s.report.clone();
            // Before a count the drawer's figures are what it should hold:
            // no "Counted" column and no difference (issue 19).
            let counted = r.counted();
            let health = outbox.view.with(OutboxView::summary);
            let on_printer = printing::prints_on_desk(&paper::desk_printers(&ctx), PrinterRole::Report);
            let paper_of = StoredValue::new(s.clone());
            let print = Callback::new(move |()| {
                if outcome.with_untracked(|o| matches!(o, Some(Outcome::Printing))) {
                    return;
                }
                outcome.set(Some(Outcome::Printing));
                let s = paper_of.get_value();
                spawn_local(async move {
                    let settings = settings.get_untracked();
                    let shop = |t: DateTime<Utc>| t.with_timezone(&chrono::Local).naive_local();
                    let job = Job::ShiftReport(XReport {
                        z: s.z,
                        report: &s.report,
                        settings: &settings,
                        opened_at: shop(s.opened_at),
                        opened_by: s.opened_by.clone(),
                        printed_at: shop(Utc::now()),
                        words: words(),
                    });
                    let done = paper::print_report(ctx, &job).await;
                    // The dialog may be closed by now: the report printed all the same.
                    outcome.try_set(Some(done));
                });
            });
            view! {
                <Modal labelled_by="report-title" on_cancel=Callback::new(move |_| shown.set(None))>
                    <article class="receipt card report" data-testid="drawer-report">
                        <h2 id="report-title">{title}</h2>
                        <p>{s.opened.clone()}</p>
                        <dl class="facts">
                            <dt>{t!(i18n, drawer.report.sales)}</dt>
                            <dd data-testid="report-sales">{r.sales}</dd>
                            <dt>{t!(i18n, drawer.report.refunds)}</dt>
                            <dd>{r.refunds}</dd>
                            <dt>{t!(i18n, drawer.report.turnover)}</dt>
                            <dd data-testid="report-turnover">{fmt(r.turnover)}</dd>
                            {r
                                .by_method
                                .iter()
                                .map(|(m, a)| {
                                    view! {
                                        <dt>{method_words(*m, i18n.get_locale_untracked())}</dt>
                                        <dd>{fmt(*a)}</dd>
                                    }
                                })
                                .collect_view()}
                            {r
                                .vat
                                .iter()
                                .map(|(rate, gross, vat)| {
                                    view! {
                                        <dt>
                                            {t_string!(
                                                i18n,
                                                drawer.report.vat_of,
                                                rate = rate.normalize(),
                                                gross = fmt(*gross)
                                            )
                                                .to_string()}
                                        </dt>
                                        <dd>{fmt(*vat)}</dd>
                                    }
                                })
                                .collect_view()}
                            <dt>{t!(i18n, drawer.report.cash_in)}</dt>
                            <dd>{fmt(r.cash_in)}</dd>
                            <dt>{t!(i18n, drawer.report.cash_out)}</dt>
                            <dd>{fmt(r.cash_out)}</dd>
                            <dt>{t!(i18n, drawer.report.drawer_openings)}</dt>
                            <dd data-testid="report-openings">{r.drawer_openings}</dd>
                        </dl>
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, drawer.report.method)}</th>
                                    <th scope="col" class="amount">
                                        {t!(i18n, drawer.report.expected)}
                                    </th>
                                    {counted
                                        .then(|| {
                                            view! {
                                                <th scope="col" class="amount">
                                                    {t!(i18n, drawer.report.counted)}
                                                </th>
                                            }
                                        })}
                                </tr>
                            </thead>
                            <tbody>
                                {r
                                    .drawer
                                    .iter()
                                    .map(|line| {
                                        view! {
                                            <tr data-testid="report-count">
                                                <td>{method_words(line.method, i18n.get_locale_untracked())}</td>
                                                <td class="amount">{fmt(line.expected)}</td>
                                                {line
                                                    .counted
                                                    .map(|c| view! { <td class="amount">{fmt(c)}</td> })}
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        {match r.difference() {
                            Some(d) => {
                                view! {
                                    <p data-testid="report-difference">
                                        {t_string!(i18n, drawer.report.difference, amount = fmt(d)).to_string()}
                                    </p>
                                }
                                    .into_any()
                            }
                            None => {
                                view! {
                                    <p class="hint" data-testid="report-not-counted">
                                        {t!(i18n, drawer.report.not_counted)}
                                    </p>
                                }
                                    .into_any()
                            }
                        }}
                        <h3>{t!(i18n, drawer.report.sync)}</h3>
                        <p data-testid="report-sync">
                            {if health.pending + health.attention == 0 {
                                t_string!(i18n, drawer.report.all_sent).to_string()
                            } else {
                                health
                                    .kinds
                                    .iter()
                                    .map(|k| {
                                        t_string!(
                                            i18n,
                                            drawer.report.kind_waiting,
                                            kind = k.kind.name(),
                                            pending = k.pending,
                                            attention = k.attention
                                        )
                                            .to_string()
                                    })
                                    .collect::<Vec<_>>()
                                    .join("; ")
                            }}
                        </p>
                        {(s.z && !s.made)
                            .then(|| {
                                view! {
                                    {(s.unsent_sales > 0)
                                        .then(|| {
                                            view! {
                                                <p class="notice" role="alert" data-testid="z-waits">
                                                    {t_string!(i18n, drawer.report.z_waits, count = s.unsent_sales)
                                                        .to_string()}
                                                </p>
                                            }
                                        })}
                                    <div class="actions">
                                        {(s.unsent_sales > 0)
                                            .then(|| {
                                                view! {
                                                    <button
                                                        type="button"
                                                        on:click=move |_| {
                                                            ctx.sync.sync_now(true);
                                                            shown.set(None);
                                                        }
                                                    >
                                                        {t!(i18n, drawer.report.sync_now)}
                                                    </button>
                                                }
                                            })}
                                        <button
                                            type="button"
                                            class="primary"
                                            on:click=move |_| on_make_z()
                                            disabled=move || !may_close()
                                        >
                                            {if s.unsent_sales > 0 {
                                                t_string!(i18n, drawer.report.make_z_anyway)
                                            } else {
                                                t_string!(i18n, drawer.report.make_z)
                                            }}
                                        </button>
                                    </div>
                                }
                            })}
                        {s
                            .made
                            .then(|| {
                                view! { <p data-testid="z-made">{t!(i18n, drawer.report.z_made)}</p> }
                            })}
                        <PrintActions what=Printout::Report on_printer outcome print>
                            <button type="button" on:click=move |_| shown.set(None)>
                                {t!(i18n, drawer.report.close)}
                            </button>
                        </PrintActions>
                    </article>
                </Modal>
            }
        })
    }
}
