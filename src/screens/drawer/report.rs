//! The X and Z reports on screen: the shift's figures, what the drawer
//! should hold and what was counted, whether everything reached the back
//! office, and (for a Z report) making it, which ends the shift. Print puts
//! the report on the desk's report printer (else its receipt printer; never
//! a pulse of the drawer), or in the browser's dialog when the desk has
//! neither, as the receipt dialog does (`paper::PrintActions`).

use crate::context::TerminalContext;
use crate::printing::{self, Job};
use crate::screens::modal::Modal;
use crate::screens::paper::{self, Outcome, PrintActions, WORDS};
use crate::storage::ledger::OutboxView;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::printers::PrinterRole;
use possum_print::jobs::Printout;
use possum_print::report::XReport;
use possum_register::drawer::Report;
use possum_register::money;
use possum_register::payment::label;
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
    let fmt = move |d: Decimal| money::format(d, &settings.get_untracked());
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
            let title = if s.z { "Z report" } else { "X report" };
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
                        words: WORDS,
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
                            <dt>"Sales"</dt>
                            <dd data-testid="report-sales">{r.sales}</dd>
                            <dt>"Refunds"</dt>
                            <dd>{r.refunds}</dd>
                            <dt>"Turnover"</dt>
                            <dd data-testid="report-turnover">{fmt(r.turnover)}</dd>
                            {r
                                .by_method
                                .iter()
                                .map(|(m, a)| {
                                    view! {
                                        <dt>{label(*m)}</dt>
                                        <dd>{fmt(*a)}</dd>
                                    }
                                })
                                .collect_view()}
                            {r
                                .vat
                                .iter()
                                .map(|(rate, gross, vat)| {
                                    view! {
                                        <dt>{format!("VAT {}% of {}", rate.normalize(), fmt(*gross))}</dt>
                                        <dd>{fmt(*vat)}</dd>
                                    }
                                })
                                .collect_view()}
                            <dt>"Cash in"</dt>
                            <dd>{fmt(r.cash_in)}</dd>
                            <dt>"Cash out"</dt>
                            <dd>{fmt(r.cash_out)}</dd>
                            <dt>"Drawer openings"</dt>
                            <dd data-testid="report-openings">{r.drawer_openings}</dd>
                        </dl>
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">"Method"</th>
                                    <th scope="col" class="amount">
                                        "Expected"
                                    </th>
                                    {counted
                                        .then(|| {
                                            view! {
                                                <th scope="col" class="amount">
                                                    "Counted"
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
                                                <td>{label(line.method)}</td>
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
                                    <p data-testid="report-difference">{format!("Difference: {}", fmt(d))}</p>
                                }
                                    .into_any()
                            }
                            None => {
                                view! {
                                    <p class="hint" data-testid="report-not-counted">
                                        "Not counted yet: the amounts are what the drawer should hold."
                                    </p>
                                }
                                    .into_any()
                            }
                        }}
                        <h3>"Sync"</h3>
                        <p data-testid="report-sync">
                            {if health.pending + health.attention == 0 {
                                "Everything is at the back office.".to_string()
                            } else {
                                health
                                    .kinds
                                    .iter()
                                    .map(|k| {
                                        format!(
                                            "{}: {} waiting, {} need attention",
                                            k.kind.name(),
                                            k.pending,
                                            k.attention,
                                        )
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
                                                    {format!(
                                                        "{} sales of this shift are not at the back office yet. Sync first, or a manager can make the Z report anyway.",
                                                        s.unsent_sales,
                                                    )}
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
                                                        "Sync now"
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
                                                "Make Z report anyway"
                                            } else {
                                                "Make Z report"
                                            }}
                                        </button>
                                    </div>
                                }
                            })}
                        {s
                            .made
                            .then(|| {
                                view! { <p data-testid="z-made">"Z report made; the shift is over."</p> }
                            })}
                        <PrintActions what=Printout::Report on_printer outcome print>
                            <button type="button" on:click=move |_| shown.set(None)>
                                "Close report"
                            </button>
                        </PrintActions>
                    </article>
                </Modal>
            }
        })
    }
}
