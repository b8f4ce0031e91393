//! The sale history of this terminal, made to answer a customer at the
//! counter: each sale with its items, payment methods and cashier, its sync
//! state and its wash token once the back office issued it; a search by
//! invoice number, amount, wash token, or a customer's card number, tag or
//! licence plate (`possum_register::history`); the newest 50 and "Show older"
//! for 50 more; a reprint marked as a copy, and refunds (each approved by a
//! manager).
//!
//! On a register, a reprint is a copy (KOPIA) journaled and registered with
//! the control unit first (`journal::record_copy`): it carries its own
//! control code and is counted in the day's copies. A receipt never
//! registered (its registration failed at the sale) is sealed on the way.

use super::receipt::ReceiptDialog;
use super::refund::{RefundDialog, RefundRequest};
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::language::use_kronor;
use crate::storage::ledger::{LocalOrder, OrderSync};
use crate::storage::Storage;
use crate::sync::journal;
use crate::tasks::reload_on;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use possum_contract::activity::{Order, OrderKind};
use possum_contract::customer::Customer;
use possum_contract::settings::TerminalSettings;
use possum_register::history::{self, page, Search, PAGE};
use possum_register::scan::Lookup;

fn state_text(i18n: I18nContext<Locale>, o: &LocalOrder) -> String {
    let problem = o.problem.clone().unwrap_or_default();
    match o.sync {
        OrderSync::Queued => t_string!(i18n, drawer.history.waiting).to_string(),
        OrderSync::Delivered => t_string!(i18n, drawer.history.delivered).to_string(),
        OrderSync::Attention => t_string!(i18n, drawer.history.attention, problem = problem).to_string(),
        OrderSync::Voided => t_string!(i18n, drawer.history.voided, problem = problem).to_string(),
    }
}

/// The refund of what is left of `sale`, or `None` when it was all refunded.
fn refund_request(sale: &Order, orders: &[LocalOrder], settings: &TerminalSettings) -> Option<RefundRequest> {
    let earlier: Vec<Order> =
        orders.iter().filter(|o| o.order.refund_of == Some(sale.id)).map(|o| o.order.clone()).collect();
    RefundRequest::of_sale(sale, &earlier, settings)
}

/// What the history shows.
#[derive(Clone)]
struct Loaded {
    shown: Vec<LocalOrder>,
    /// The orders a shown sale's refunds are among (all of them while searching).
    known: Vec<LocalOrder>,
    /// Older orders (or more found) than those shown.
    more: bool,
    searched: bool,
}

/// The customers whose card number, tag or licence plate `search` is.
async fn customers_of(storage: &Storage, search: &Search) -> Result<Vec<uuid::Uuid>, AppError> {
    let mut ids = Vec::new();
    for lookup in search.customer_lookups() {
        let (index, key) = match lookup {
            Lookup::CustomerCard(card) => ("by_card", card),
            Lookup::CustomerUid(uid) => ("by_uid", uid.to_string()),
            Lookup::LicensePlate(plate) => ("by_plate", plate),
            _ => continue,
        };
        ids.extend(storage.find_all::<Customer>(index, &key).await?.into_iter().map(|c| c.id));
    }
    Ok(ids)
}

/// The newest `pages` pages of sales, or of those `text` finds.
async fn load(text: String, pages: usize, settings: TerminalSettings) -> Result<Loaded, AppError> {
    let storage = Storage::open_default().await?;
    let search = Search::new(&text, &settings);
    if search.is_empty() {
        let (shown, more) = storage.order_history(pages * PAGE).await?;
        return Ok(Loaded { known: shown.clone(), shown, more, searched: false });
    }
    let search = search.clone().with_customers(customers_of(&storage, &search).await?);
    let all = storage.orders().await?;
    let found = all.iter().filter(|o| search.matches(&o.order)).cloned().collect();
    let (shown, more) = page(found, pages);
    Ok(Loaded { shown, known: all, more, searched: true })
}

/// One sale (or refund) of the history.
#[component]
fn HistoryRow(
    order: LocalOrder,
    known: StoredValue<Vec<LocalOrder>>,
    reprint: RwSignal<Option<LocalOrder>>,
    refunding: RwSignal<Option<RefundRequest>>,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let settings = TerminalContext::get().settings.get_untracked();
    let i18n = use_i18n();
    let kronor = use_kronor();
    let o = &order.order;
    let number = o.invoice_number;
    let refund = (o.kind == OrderKind::Sale)
        .then(|| known.with_value(|all| refund_request(o, all, &settings)))
        .flatten();
    let refunds = o
        .refund_of
        .map(|id| {
            known
                .with_value(|all| all.iter().find(|s| s.order.id == id).map(|s| s.order.invoice_number))
                .map_or_else(
                    || t_string!(i18n, drawer.history.refund).to_string(),
                    |n| t_string!(i18n, drawer.history.refund_of, number = n).to_string(),
                )
        })
        .unwrap_or_default();
    let token = o.token.clone().unwrap_or_default();
    let again = StoredValue::new(order.clone());
    let copying = RwSignal::new(false);
    let copy = move |_| {
        if copying.get_untracked() {
            return;
        }
        let local = again.get_value();
        // Not a register's receipt (a back office without registers): shown as before.
        if local.order.register_id.is_none() {
            reprint.set(Some(local));
            return;
        }
        copying.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match journal::record_copy(&local).await {
                Ok(copy) => {
                    reprint.try_set(Some(copy));
                }
                Err(e) => {
                    let text = td_string!(
                        i18n.get_locale_untracked(),
                        drawer.history.copy_failed,
                        number = local.order.invoice_number,
                        error = e
                    );
                    problem.try_set(Some(text.to_string()));
                }
            }
            copying.try_set(false);
        });
    };
    view! {
        <li class="history-row" data-testid="history-row" data-invoice=number.to_string()>
            <div class="history-head">
                <strong class="invoice">
                    {t_string!(i18n, drawer.history.number, number = number).to_string()}
                    {o.sold_offline.then(|| t_string!(i18n, drawer.history.offline))}
                    {refunds}
                </strong>
                <span>{crate::clock::date_time(o.created_at)}</span>
                <strong class="amount" data-testid="history-total">
                    {kronor.show(o.total, &settings)}
                </strong>
            </div>
            <p class="history-items" data-testid="history-items">
                {history::items(o)}
            </p>
            <dl class="history-facts">
                <dt>{t!(i18n, drawer.history.paid)}</dt>
                <dd data-testid="history-methods">{history::methods(o)}</dd>
                <dt>{t!(i18n, drawer.history.cashier)}</dt>
                <dd data-testid="history-cashier">{o.cashier_name.clone()}</dd>
                <dt>{t!(i18n, drawer.history.state)}</dt>
                <dd data-testid="history-state">{state_text(i18n, &order)}</dd>
                {(!token.is_empty()).then(|| view! { <dt>{t!(i18n, drawer.history.wash_token)}</dt> })}
                <dd data-testid="history-token">{token.clone()}</dd>
            </dl>
            <div class="actions">
                <button
                    type="button"
                    aria-label=move || t_string!(i18n, drawer.history.reprint_label, number = number).to_string()
                    disabled=move || copying.get()
                    on:click=copy
                >
                    {t!(i18n, drawer.history.reprint)}
                </button>
                {refund
                    .map(|r| {
                        view! {
                            <button
                                type="button"
                                aria-label=move || {
                                    t_string!(i18n, drawer.history.refund_label, number = number).to_string()
                                }
                                on:click=move |_| refunding.set(Some(r.clone()))
                            >
                                {t!(i18n, drawer.history.refund_button)}
                            </button>
                        }
                    })}
            </div>
        </li>
    }
}

#[component]
pub fn History() -> impl IntoView {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let settings = ctx.settings;
    let typed = RwSignal::new(String::new());
    // The search being shown, and how many pages of it.
    let query = RwSignal::new(String::new());
    let pages = RwSignal::new(1usize);
    let loaded = RwSignal::new(None::<Result<Loaded, AppError>>);
    reload_on(
        ctx.sync.ledger_version.into(),
        move || load(query.get(), pages.get(), settings.get_untracked()),
        move |read| loaded.set(Some(read)),
    );
    let reprint = RwSignal::new(None::<LocalOrder>);
    let refunding = RwSignal::new(None::<RefundRequest>);
    let refunded = RwSignal::new(None::<LocalOrder>);
    let problem = RwSignal::new(None::<String>);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pages.set(1);
        query.set(typed.get_untracked().trim().to_string());
    };
    let clear = move |_| {
        typed.set(String::new());
        pages.set(1);
        query.set(String::new());
    };
    let list = move |l: Loaded| {
        let known = StoredValue::new(l.known);
        let q = query.get_untracked();
        let heading = if l.searched {
            match l.shown.len() {
                0 => t_string!(i18n, drawer.history.none_match, query = q).to_string(),
                1 => t_string!(i18n, drawer.history.one_matches, query = q).to_string(),
                n => {
                    let count = format!("{n}{}", if l.more { "+" } else { "" });
                    t_string!(i18n, drawer.history.many_match, count = count, query = q).to_string()
                }
            }
        } else if l.shown.is_empty() {
            t_string!(i18n, drawer.history.no_sales).to_string()
        } else {
            t_string!(i18n, drawer.history.newest, count = l.shown.len()).to_string()
        };
        view! {
            <p class="history-found" role="status" data-testid="history-found">
                {heading}
            </p>
            <ol class="history-list" aria-label=move || t_string!(i18n, drawer.history.sales_list)>
                {l
                    .shown
                    .into_iter()
                    .map(|order| {
                        view! {
                            <HistoryRow
                                order=order
                                known=known
                                reprint=reprint
                                refunding=refunding
                                problem=problem
                            />
                        }
                    })
                    .collect_view()}
            </ol>
            {l
                .more
                .then(|| {
                    view! {
                        <button type="button" class="show-older" on:click=move |_| pages.update(|p| *p += 1)>
                            {t!(i18n, drawer.history.show_older)}
                        </button>
                    }
                })}
        }
    };
    view! {
        <section class="history card" aria-labelledby="history-title">
            <h2 id="history-title">{t!(i18n, drawer.history.title)}</h2>
            <form class="history-search" role="search" on:submit=search>
                <label for="history-search">{t!(i18n, drawer.history.search_label)}</label>
                <input
                    id="history-search"
                    type="search"
                    autocomplete="off"
                    enterkeyhint="search"
                    bind:value=typed
                />
                <button type="submit">{t!(i18n, drawer.history.search)}</button>
                <Show when=move || !query.with(String::is_empty)>
                    <button type="button" on:click=clear>
                        {t!(i18n, drawer.history.show_all)}
                    </button>
                </Show>
            </form>
            {move || {
                problem
                    .get()
                    .map(|text| {
                        view! {
                            <p class="error" role="alert" data-testid="history-problem">
                                {text}
                            </p>
                        }
                    })
            }}
            {move || {
                loaded
                    .get()
                    .map(|read| match read {
                        Ok(l) => list(l).into_any(),
                        Err(e) => {
                            view! {
                                <p class="error" role="alert">
                                    {e.text(i18n.get_locale())}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </section>
        <ReceiptDialog shown=reprint copy=true />
        <RefundDialog request=refunding on_done=move |order| refunded.set(Some(order)) />
        <ReceiptDialog shown=refunded copy=false />
    }
}
