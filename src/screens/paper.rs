//! The screens' side of printing (issue 21): a stored sale's or refund's
//! receipt on the cash desk's receipt printer, the drawer's pulse, and each
//! opening of the drawer recorded. `printing::service` prints; the rules are
//! possum-register's (`drawer::opening`: when the drawer opens) and
//! possum-print's (`jobs`: original once, then copies).
//!
//! [`ReceiptPrinting`] is the receipt dialog's part: it prints the receipt
//! as the dialog opens when the desk has a receipt printer (the sale or
//! refund is stored by then), says what happened in plain words, and offers
//! the browser's print dialog beside a failure. Without a receipt printer it
//! is the Print button of before: the browser's dialog. A failed print never
//! touches the sale; the history prints it again (a copy).
//!
//! [`PrintActions`] is what every dialog that prints shows (the receipt's,
//! the X and Z reports' in `drawer/report.rs`): the outcome, Print, and
//! "Print in the browser" beside a failure; [`print_report`] prints a report.

use crate::context::TerminalContext;
use crate::i18n::*;
use crate::printing::{self, fallback, Job, PrintError, PrintOptions, Printed};
use crate::storage::ledger::LocalOrder;
use crate::storage::Storage;
use crate::sync::{device_log, journal};
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::activity::LogLevel;
use possum_contract::journal::JournalKind;
use possum_contract::printers::{Printer, PrinterRole};
use possum_contract::settings::TerminalSettings;
use possum_print::jobs::{receipt_mark, Printout};
use possum_print::receipt::{Mark, Receipt, RegisterFacts};
use possum_print::Words;
use possum_register::drawer::opening::Opening;
use possum_register::drawer::Recorder;

/// The words printers and their problems are said in on the till: the
/// screen's language (a receipt on paper speaks the tenant's instead).
pub fn words() -> &'static Words {
    Words::for_language(crate::language::tag(crate::language::shown()))
}

/// The printers of this terminal's cash desk, as the settings say now.
pub fn desk_printers(ctx: &TerminalContext) -> Vec<Printer> {
    let client = ctx.session.with_untracked(|s| s.client_number);
    ctx.settings.with_untracked(|s| printing::desk_printers(s, client).to_vec())
}

/// Whether the cash drawer hangs on one of this desk's printers.
pub fn has_drawer(printers: &[Printer]) -> bool {
    printers.iter().any(|p| p.cash_drawer)
}

/// The receipt of a stored order as possum-print lays it out, marked `mark`,
/// in the settings' `ReceiptLanguage`.
fn receipt<'a>(local: &'a LocalOrder, settings: &'a TerminalSettings, mark: Mark) -> Receipt<'a> {
    let at = local.order.created_at.with_timezone(&chrono::Local).naive_local();
    Receipt {
        feedback_url: local.feedback_portal_url.clone(),
        mark,
        register: local.registration.as_ref().map(|r| RegisterFacts {
            register_id: r.register_id.clone(),
            control_unit_id: r.control_unit_id.clone(),
            control_code: r.control_code.clone(),
        }),
        // Paper speaks the tenant's receipt language, whatever the screen does.
        words: Words::for_language(&settings.receipt_language),
        ..Receipt::new(&local.order, settings, at)
    }
}

/// What the drawer did along with a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drawer {
    /// Not asked to open (a card sale, a copy, no drawer on the printer).
    Shut,
    Opened,
    /// The printer's answer was lost: the pulse may or may not have gone out.
    Unknown,
    /// It should have opened and did not: why.
    Failed(String),
}

/// What printing a receipt or a report did, for its dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Printing,
    Printed { printer: String, warnings: Vec<String>, drawer: Drawer },
    Failed { words: String, may_have_printed: bool, drawer: Drawer },
}

impl Outcome {
    /// Whether the original is out (or may be): the next print is a copy.
    fn original_out(&self) -> bool {
        matches!(self, Outcome::Printed { .. } | Outcome::Failed { may_have_printed: true, .. })
    }

    /// What `done` did, when it printed (a report's, or a receipt's with `drawer`).
    fn printed(done: Printed, drawer: Drawer) -> Outcome {
        let warnings = done.warnings.iter().map(|p| words().problem(*p).to_string()).collect();
        Outcome::Printed { printer: done.printer, warnings, drawer }
    }

    /// What `e` means for a print of `what`, with the drawer's `drawer`.
    fn failed(e: &PrintError, what: Printout, drawer: Drawer) -> Outcome {
        Outcome::Failed { words: e.words(words(), what), may_have_printed: e.may_have_printed(), drawer }
    }

    /// The outcome of printing `what`, in the cashier's words (English).
    pub fn text(&self, what: Printout) -> String {
        self.text_in(what, Locale::en)
    }

    /// [`Outcome::text`] in `locale`.
    pub fn text_in(&self, what: Printout, locale: Locale) -> String {
        let drawer = |d: &Drawer| match d {
            Drawer::Shut => String::new(),
            Drawer::Opened => td_string!(locale, sale.print.drawer_opened).into(),
            Drawer::Unknown => td_string!(locale, sale.print.drawer_unknown).into(),
            Drawer::Failed(why) => td_string!(locale, sale.print.drawer_failed, why = why),
        };
        match self {
            Outcome::Printing if what == Printout::Report => {
                td_string!(locale, sale.print.printing_report).into()
            }
            Outcome::Printing => td_string!(locale, sale.print.printing_receipt).into(),
            Outcome::Printed { printer, warnings, drawer: d } => {
                let mut text =
                    td_string!(locale, sale.print.printed_on, printer = printer, drawer = drawer(d));
                for w in warnings {
                    text.push(' ');
                    text.push_str(w);
                }
                text
            }
            Outcome::Failed { words, drawer: d, .. } => format!("{words}{}", drawer(d)),
        }
    }
}

/// Records an opening of the drawer: counted on the shift with its
/// `DrawerOpened` record queued, and journaled when the tablet is a register.
/// A failure to record is written to the device log; the drawer did open.
pub async fn record_opening(ctx: TerminalContext, opening: Opening) {
    let terminal = ctx.terminal_id();
    match async { Storage::open_default().await?.drawer_opened(&opening).await }.await {
        Ok(true) => ctx.sync.queued(),
        Ok(false) => {}
        Err(e) => {
            let text = format!("A drawer opening ({}) could not be recorded: {e}", opening.log_reason());
            device_log::write(terminal, LogLevel::Error, "drawer", &text, None).await;
        }
    }
    journal::spawn_record(terminal, JournalKind::DrawerOpened, opening.journal_data());
}

/// Opens the drawer alone (cash in or out, a manager's "open drawer", a
/// cash sale whose receipt did not print) and records the opening. Answers
/// the printer the drawer hangs on.
pub async fn open_drawer(ctx: TerminalContext, opening: Opening) -> Result<String, PrintError> {
    let printed = printing::print(&Job::OpenDrawer, &desk_printers(&ctx), PrintOptions::default()).await?;
    record_opening(ctx, opening).await;
    Ok(printed.printer)
}

/// Prints `local`'s receipt marked `mark` on the desk's receipt printer. A
/// cash sale or refund's original pulses the drawer with it; when the
/// receipt could not print at all, the drawer is opened alone.
pub async fn print_receipt(ctx: TerminalContext, local: LocalOrder, mark: Mark) -> Outcome {
    let settings = ctx.settings.get_untracked();
    let job = Job::Receipt(receipt(&local, &settings, mark));
    let printed = printing::print(&job, &desk_printers(&ctx), PrintOptions::default()).await;
    let by = Recorder { terminal_id: ctx.terminal_id(), user_id: local.order.cashier_id, now: Utc::now() };
    let opening = by.order_opening(&local.order).filter(|_| mark == Mark::Original);
    match printed {
        Ok(done) => {
            let drawer = match opening {
                Some(opening) if done.drawer_kicked => {
                    record_opening(ctx, opening).await;
                    Drawer::Opened
                }
                _ => Drawer::Shut,
            };
            Outcome::printed(done, drawer)
        }
        Err(e) => {
            let text = format!("Receipt {} did not print: {e}", local.order.invoice_number);
            device_log::write(ctx.terminal_id(), LogLevel::Warning, "printing", &text, None).await;
            let drawer = match opening {
                _ if !has_drawer(&desk_printers(&ctx)) => Drawer::Shut,
                Some(_) if e.may_have_printed() => Drawer::Unknown,
                Some(opening) => match open_drawer(ctx, opening).await {
                    Ok(_) => Drawer::Opened,
                    Err(e) => Drawer::Failed(e.problem_words(words())),
                },
                None => Drawer::Shut,
            };
            Outcome::failed(&e, Printout::receipt(local.order.kind), drawer)
        }
    }
}

/// Prints a report `job` (`Job::ShiftReport`, `Job::DayReport`) on the
/// desk's report printer, or its receipt printer when it has none. A report
/// never pulses the drawer: its layout has no pulse.
pub async fn print_report(ctx: TerminalContext, job: &Job<'_>) -> Outcome {
    match printing::print(job, &desk_printers(&ctx), PrintOptions::default()).await {
        Ok(done) => Outcome::printed(done, Drawer::Shut),
        Err(e) => {
            let text = format!("A report did not print: {e}");
            device_log::write(ctx.terminal_id(), LogLevel::Warning, "printing", &text, None).await;
            Outcome::failed(&e, Printout::Report, Drawer::Shut)
        }
    }
}

/// The browser's print dialog for the receipt or report on screen.
fn browser_print() {
    if let Err(e) = fallback::print_dialog() {
        leptos::logging::warn!("{e}");
    }
}

/// The receipt dialog's printing: the outcome, Print (the printer when the
/// desk has a receipt printer, else the browser), the browser's dialog
/// beside a failure, and `on_close`. `reprint`: a copy from the history.
/// `mark`: a receipt that is no sale (TRAINING, NOT A RECEIPT) is printed
/// with its mark every time: it opens no drawer and has no copies to count.
#[component]
pub fn ReceiptPrinting(
    order: LocalOrder,
    reprint: bool,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
    #[prop(default = None)] mark: Option<Mark>,
) -> impl IntoView {
    let fixed = mark;
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let on_printer = printing::prints_on_desk(&desk_printers(&ctx), PrinterRole::Receipt);
    let what = Printout::receipt(order.order.kind);
    let outcome = RwSignal::new(None::<Outcome>);
    let original_out = StoredValue::new(false);
    let order = StoredValue::new(order);
    let print = move || {
        if outcome.with_untracked(|o| matches!(o, Some(Outcome::Printing))) {
            return;
        }
        let mark = fixed.unwrap_or_else(|| receipt_mark(reprint, original_out.get_value()));
        outcome.set(Some(Outcome::Printing));
        spawn_local(async move {
            let mut local = order.get_value();
            // A second print of a register's original is a copy: journaled
            // and registered, with its own control code (a history reprint
            // is one already).
            if fixed.is_none() && mark == Mark::Copy && !reprint && local.registration.is_some() {
                match journal::record_copy(&local).await {
                    Ok(copy) => local = copy,
                    Err(e) => {
                        let words = tu_string!(i18n, sale.print.copy_unregistered, why = e);
                        let failed = Outcome::Failed { words, may_have_printed: false, drawer: Drawer::Shut };
                        outcome.try_set(Some(failed));
                        return;
                    }
                }
            }
            let done = print_receipt(ctx, local, mark).await;
            // The dialog may be closed by now (the next sale started): the print still counted.
            if done.original_out() {
                original_out.try_update_value(|out| *out = true);
            }
            outcome.try_set(Some(done));
        });
    };
    // The sale or refund is stored before its receipt shows: print it now.
    if on_printer {
        print();
    }
    view! {
        <PrintActions what on_printer outcome print=Callback::new(move |()| print())>
            <button type="button" class="primary" on:click=move |_| on_close()>
                {t!(i18n, sale.receipt.close)}
            </button>
        </PrintActions>
    }
}

/// What a dialog that prints `what` shows: the `outcome` in plain words,
/// Print (`print` when the desk prints it on a printer, `on_printer`, else
/// the browser's dialog), "Print in the browser" beside a failure, then
/// `children` (the dialog's other buttons).
#[component]
pub fn PrintActions(
    what: Printout,
    on_printer: bool,
    outcome: RwSignal<Option<Outcome>>,
    print: Callback<()>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let busy = move || outcome.with(|o| matches!(o, Some(Outcome::Printing)));
    view! {
        {move || {
            outcome
                .get()
                .map(|o| {
                    let failed = matches!(o, Outcome::Failed { .. });
                    view! {
                        <p
                            class=if failed { "print-status error" } else { "print-status" }
                            role=if failed { "alert" } else { "status" }
                            data-testid="print-status"
                        >
                            {o.text_in(what, i18n.get_locale())}
                        </p>
                    }
                })
        }}
        <div class="actions">
            <button
                type="button"
                on:click=move |_| if on_printer { print.run(()) } else { browser_print() }
                disabled=busy
            >
                {t!(i18n, sale.print.print)}
            </button>
            {move || {
                outcome
                    .with(|o| matches!(o, Some(Outcome::Failed { .. })))
                    .then(|| {
                        view! {
                            <button type="button" on:click=move |_| browser_print()>
                                {t!(i18n, sale.print.in_browser)}
                            </button>
                        }
                    })
            }}
            {children()}
        </div>
    }
}
