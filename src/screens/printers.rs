//! The cash desk's printers on the Terminal screen (issue 21): each with its
//! settings and its state as the printer says it (`printing::check`, asked
//! when the screen opens and on "Check"), "Pair" for a USB or serial printer
//! (the browser's device chooser, once per tablet: a manager's job) and
//! "Test print". A misconfigured row says what is wrong; printing skips it.

use crate::context::TerminalContext;
use crate::printing::{self, deadline::Deadline, service, PrintError, PrintOptions};
use crate::screens::paper::WORDS;
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::catalogue::Permission;
use possum_contract::printers::{Connection, Printer};
use possum_print::jobs::test_page;
use possum_print::status::PrinterProblem;
use possum_print::Paper;

/// The desk's printers, as the settings say.
#[component]
pub fn PrintersPanel() -> impl IntoView {
    let ctx = TerminalContext::get();
    let printers = Memo::new(move |_| {
        let client = ctx.session.with(|s| s.client_number);
        ctx.settings.with(|s| printing::desk_printers(s, client).to_vec())
    });
    view! {
        <section class="card printers" aria-labelledby="printers-title">
            <h2 id="printers-title">"Printers"</h2>
            {move || {
                let list = printers.get();
                if list.is_empty() {
                    view! {
                        <p data-testid="no-printers">
                            "No printer is set for this cash desk: receipts print through the browser's print dialog. A manager sets printers in the back office."
                        </p>
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

/// What the row says of its printer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Working(&'static str),
    Ready(Vec<PrinterProblem>),
    Done(String),
    Problem(String),
}

impl State {
    fn text(&self) -> String {
        match self {
            State::Working(what) => (*what).to_string(),
            State::Ready(warnings) => {
                let mut text = "Ready.".to_string();
                for w in warnings {
                    text.push(' ');
                    text.push_str(WORDS.problem(*w));
                }
                text
            }
            State::Done(what) | State::Problem(what) => what.clone(),
        }
    }
}

fn problem(e: &PrintError) -> State {
    State::Problem(e.problem_words(WORDS))
}

/// One printer: what it is, its state, and what staff can do with it.
#[component]
fn PrinterRow(printer: Printer) -> impl IntoView {
    let ctx = TerminalContext::get();
    let problems = printer.problems();
    let usable = problems.is_empty() && service::reachable_here(&printer);
    let pairs = matches!(printer.connection, Connection::Usb | Connection::Serial);
    let state = RwSignal::new(match (problems.is_empty(), usable) {
        (false, _) => State::Problem(format!("{} {}", WORDS.printer_misconfigured, problems.join(" "))),
        (true, false) => State::Problem(WORDS.printer_unsupported.to_string()),
        (true, true) => State::Working("Checking…"),
    });
    let name = printer.name.clone();
    let printer = StoredValue::new(printer);
    let busy = move || state.with(|s| matches!(s, State::Working(_)));
    let check = move || {
        state.set(State::Working("Checking…"));
        spawn_local(async move {
            let checked = service::check(&printer.get_value(), PrintOptions::default()).await;
            state.try_set(match checked {
                Ok(warnings) => State::Ready(warnings),
                Err(e) => problem(&e),
            });
        });
    };
    if usable {
        check();
    }
    // The browser's chooser needs this click's user activation: `pair` asks it first.
    let pair = move |_| {
        state.set(State::Working("Choose the printer in the browser's list…"));
        spawn_local(async move {
            let paired = service::pair(&printer.get_value()).await;
            state.try_set(match paired {
                Ok(()) => State::Done("Paired with this tablet.".into()),
                Err(e) => problem(&e),
            });
        });
    };
    let test_print = move |_| {
        state.set(State::Working("Printing a test page…"));
        spawn_local(async move {
            let p = printer.get_value();
            let paper = Paper::from_mm(p.paper_width_mm).unwrap_or(Paper::Mm80);
            let page =
                test_page(&p.name, p.code_page.name(), paper, &crate::clock::date_time(chrono::Utc::now()));
            let sent = service::send(&p, &page, Deadline::after(PrintOptions::default().deadline_ms)).await;
            state.try_set(match sent {
                Ok(warnings) if warnings.is_empty() => State::Done("The test page printed.".into()),
                Ok(warnings) => State::Ready(warnings),
                Err(e) => problem(&e),
            });
        });
    };
    let facts = printer.with_value(|p| {
        let mut facts = vec![p.role.name().to_string(), p.connection.name().to_string()];
        facts.extend(p.address.clone().filter(|_| p.connection == Connection::Network));
        facts.push(format!("{} mm", p.paper_width_mm));
        if p.cash_drawer {
            facts.push("cash drawer".into());
        }
        facts.join(" · ")
    });
    view! {
        <li class="printer" data-testid="printer">
            <h3>{name.clone()}</h3>
            <p class="hint">{facts}</p>
            <p
                role="status"
                data-testid="printer-status"
                class:error=move || state.with(|s| matches!(s, State::Problem(_)))
            >
                {move || state.with(State::text)}
            </p>
            <div class="actions">
                {usable
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                aria-label=format!("Check {name}")
                                on:click=move |_| check()
                                disabled=busy
                            >
                                "Check"
                            </button>
                            <button
                                type="button"
                                aria-label=format!("Test print on {name}")
                                on:click=test_print
                                disabled=busy
                            >
                                "Test print"
                            </button>
                        }
                    })}
                {(pairs && usable)
                    .then(|| {
                        if ctx.may(Permission::TerminalSettings) {
                            view! {
                                <button
                                    type="button"
                                    aria-label=format!("Pair {name}")
                                    on:click=pair
                                    disabled=busy
                                >
                                    "Pair"
                                </button>
                            }
                                .into_any()
                        } else {
                            view! { <span class="hint">"Pairing a printer needs a manager."</span> }.into_any()
                        }
                    })}
            </div>
        </li>
    }
}
