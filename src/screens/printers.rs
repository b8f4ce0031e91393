//! The cash desk's printers on the Terminal screen (issue 21): each with its
//! settings and its state as the printer says it (`printing::check`, asked
//! when the screen opens and on "Check"), "Pair" for a USB or serial printer
//! (the browser's device chooser, once per tablet: a manager's job) and
//! "Test print". A misconfigured row says what is wrong; printing skips it.

use crate::context::TerminalContext;
use crate::i18n::*;
use crate::printing::error::problem_text;
use crate::printing::{self, deadline::Deadline, service, PrintError, PrintOptions};
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::catalogue::Permission;
use possum_contract::printers::{Connection, Printer, PrinterRole};
use possum_print::jobs::test_page;
use possum_print::status::PrinterProblem;
use possum_print::Paper;

/// The desk's printers, as the settings say.
#[component]
pub fn PrintersPanel() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = TerminalContext::get();
    let printers = Memo::new(move |_| {
        let client = ctx.session.with(|s| s.client_number);
        ctx.settings.with(|s| printing::desk_printers(s, client).to_vec())
    });
    view! {
        <section class="card printers" aria-labelledby="printers-title">
            <h2 id="printers-title">{t!(i18n, sync.printers.title)}</h2>
            {move || {
                let list = printers.get();
                if list.is_empty() {
                    view! {
                        <p data-testid="no-printers">{t!(i18n, sync.printers.none)}</p>
                    }
                        .into_any()
                } else {
                    view! {
                        <ul class="printer-list">
                            {list.into_iter().map(|p| view! { <PrinterRow printer=p /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// What the row says of its printer (in words only when shown, so a change
/// of language changes them too).
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Working(Work),
    Ready(Vec<PrinterProblem>),
    Done(Work),
    Problem(PrintError),
}

/// What the row is doing, or has done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Work {
    Check,
    Pair,
    TestPrint,
}

impl State {
    fn text(&self, locale: Locale) -> String {
        match self {
            State::Working(Work::Check) => td_string!(locale, sync.printers.checking).to_string(),
            State::Working(Work::Pair) => td_string!(locale, sync.printers.choose).to_string(),
            State::Working(Work::TestPrint) => td_string!(locale, sync.printers.printing_test).to_string(),
            State::Ready(warnings) => {
                let mut text = td_string!(locale, sync.printers.ready).to_string();
                for w in warnings {
                    text.push(' ');
                    text.push_str(problem_text(*w, locale));
                }
                text
            }
            State::Done(Work::Pair) => td_string!(locale, sync.printers.paired).to_string(),
            State::Done(_) => td_string!(locale, sync.printers.test_printed).to_string(),
            State::Problem(e) => e.problem_text(locale),
        }
    }
}

/// A printer's role and connection in staff's words (names this build does not know as written).
fn role_words(role: &PrinterRole, locale: Locale) -> String {
    match role {
        PrinterRole::Receipt => td_string!(locale, sync.printers.role.receipt).into(),
        PrinterRole::BayTicket => td_string!(locale, sync.printers.role.bay_ticket).into(),
        PrinterRole::Report => td_string!(locale, sync.printers.role.report).into(),
        PrinterRole::Unsupported(name) => name.clone(),
    }
}

fn connection_words(connection: &Connection, locale: Locale) -> String {
    match connection {
        Connection::Usb => td_string!(locale, sync.printers.connection.usb).into(),
        Connection::Serial => td_string!(locale, sync.printers.connection.serial).into(),
        Connection::Network => td_string!(locale, sync.printers.connection.network).into(),
        Connection::Unsupported(name) => name.clone(),
    }
}

/// One printer: what it is, its state, and what staff can do with it.
#[component]
fn PrinterRow(printer: Printer) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = TerminalContext::get();
    let problems = printer.problems();
    let usable = problems.is_empty() && service::reachable_here(&printer);
    let pairs = matches!(printer.connection, Connection::Usb | Connection::Serial);
    let state = RwSignal::new(match (problems.is_empty(), usable) {
        (false, _) => State::Problem(PrintError::Misconfigured(problems)),
        (true, false) => State::Problem(PrintError::Unsupported("WebUSB or Web Serial")),
        (true, true) => State::Working(Work::Check),
    });
    let name = printer.name.clone();
    let printer = StoredValue::new(printer);
    let busy = move || state.with(|s| matches!(s, State::Working(_)));
    let check = move || {
        state.set(State::Working(Work::Check));
        spawn_local(async move {
            let checked = service::check(&printer.get_value(), PrintOptions::default()).await;
            state.try_set(match checked {
                Ok(warnings) => State::Ready(warnings),
                Err(e) => State::Problem(e),
            });
        });
    };
    if usable {
        check();
    }
    // The browser's chooser needs this click's user activation: `pair` asks it first.
    let pair = move |_| {
        state.set(State::Working(Work::Pair));
        spawn_local(async move {
            let paired = service::pair(&printer.get_value()).await;
            state.try_set(match paired {
                Ok(()) => State::Done(Work::Pair),
                Err(e) => State::Problem(e),
            });
        });
    };
    let test_print = move |_| {
        state.set(State::Working(Work::TestPrint));
        spawn_local(async move {
            let p = printer.get_value();
            let paper = Paper::from_mm(p.paper_width_mm).unwrap_or(Paper::Mm80);
            let page =
                test_page(&p.name, p.code_page.name(), paper, &crate::clock::date_time(chrono::Utc::now()));
            let sent = service::send(&p, &page, Deadline::after(PrintOptions::default().deadline_ms)).await;
            state.try_set(match sent {
                Ok(warnings) if warnings.is_empty() => State::Done(Work::TestPrint),
                Ok(warnings) => State::Ready(warnings),
                Err(e) => State::Problem(e),
            });
        });
    };
    let facts = move || {
        let locale = i18n.get_locale();
        printer.with_value(|p| {
            let mut facts = vec![role_words(&p.role, locale), connection_words(&p.connection, locale)];
            facts.extend(p.address.clone().filter(|_| p.connection == Connection::Network));
            facts.push(format!("{} mm", p.paper_width_mm));
            if p.cash_drawer {
                facts.push(td_string!(locale, sync.printers.cash_drawer).into());
            }
            facts.join(" · ")
        })
    };
    view! {
        <li class="printer" data-testid="printer">
            <h3>{name.clone()}</h3>
            <p class="hint">{facts}</p>
            <p
                role="status"
                data-testid="printer-status"
                class:error=move || state.with(|s| matches!(s, State::Problem(_)))
            >
                {move || state.with(|s| s.text(i18n.get_locale()))}
            </p>
            <div class="actions">
                {usable
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                aria-label=t_string!(i18n, sync.printers.check_label, name = &name)
                                on:click=move |_| check()
                                disabled=busy
                            >
                                {t!(i18n, sync.printers.check)}
                            </button>
                            <button
                                type="button"
                                aria-label=t_string!(i18n, sync.printers.test_print_label, name = &name)
                                on:click=test_print
                                disabled=busy
                            >
                                {t!(i18n, sync.printers.test_print)}
                            </button>
                        }
                    })}
                {(pairs && usable)
                    .then(|| {
                        if ctx.may(Permission::TerminalSettings) {
                            view! {
                                <button
                                    type="button"
                                    aria-label=t_string!(i18n, sync.printers.pair_label, name = &name)
                                    on:click=pair
                                    disabled=busy
                                >
                                    {t!(i18n, sync.printers.pair)}
                                </button>
                            }
                                .into_any()
                        } else {
                            view! { <span class="hint">{t!(i18n, sync.printers.pair_needs_manager)}</span> }
                                .into_any()
                        }
                    })}
            </div>
        </li>
    }
}
