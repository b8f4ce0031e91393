//! The sale history of this terminal: each sale's sync state, its wash token
//! once the back office issued it, a reprint marked as a copy, and refunds
//! (each approved by a manager).

use super::receipt::ReceiptDialog;
use super::refund::{RefundDialog, RefundRequest};
use crate::context::TerminalContext;
use crate::storage::ledger::{LocalOrder, OrderSync};
use crate::storage::Storage;
use crate::tasks::reload_on;
use leptos::prelude::*;
use possum_contract::activity::{Order, OrderKind};
use possum_contract::settings::TerminalSettings;
use possum_register::money;

/// Shown: the latest sales; older ones stay stored and synced.
const SHOWN: usize = 50;

fn state_text(o: &LocalOrder) -> String {
    match o.sync {
        OrderSync::Queued => "Waiting to be sent".into(),
        OrderSync::Delivered => "At the back office".into(),
        OrderSync::Attention => format!("Needs attention: {}", o.problem.clone().unwrap_or_default()),
        OrderSync::Voided => format!("Voided, not sent: {}", o.problem.clone().unwrap_or_default()),
    }
}

/// The refund of what is left of `sale`, or `None` when it was all refunded.
fn refund_request(sale: &Order, orders: &[LocalOrder], settings: &TerminalSettings) -> Option<RefundRequest> {
    let earlier: Vec<Order> =
        orders.iter().filter(|o| o.order.refund_of == Some(sale.id)).map(|o| o.order.clone()).collect();
    RefundRequest::of_sale(sale, &earlier, settings)
}

#[component]
pub fn History() -> impl IntoView {
    let ctx = TerminalContext::get();
    let settings = ctx.settings;
    let orders = RwSignal::new(None);
    reload_on(
        ctx.sync.ledger_version.into(),
        || async { Storage::open_default().await?.recent_orders(SHOWN).await },
        move |read| orders.set(Some(read)),
    );
    let reprint = RwSignal::new(None::<LocalOrder>);
    let refunding = RwSignal::new(None::<RefundRequest>);
    let refunded = RwSignal::new(None::<LocalOrder>);
    let rows = move |all: Vec<LocalOrder>| {
        all.iter()
            .take(SHOWN)
            .map(|o| {
                let again = o.clone();
                let number = o.order.invoice_number;
                let refund = (o.order.kind == OrderKind::Sale)
                    .then(|| refund_request(&o.order, &all, &settings.get_untracked()))
                    .flatten();
                let refunds = o
                    .order
                    .refund_of
                    .and_then(|id| all.iter().find(|s| s.order.id == id))
                    .map(|s| format!(" refund of {}", s.order.invoice_number));
                view! {
                    <tr data-testid="history-row" data-invoice=number.to_string()>
                        <td>{number}{o.order.sold_offline.then_some(" (offline)")}{refunds}</td>
                        <td>{crate::clock::time(o.order.created_at)}</td>
                        <td class="amount">{money::format(o.order.total, &settings.get_untracked())}</td>
                        <td data-testid="history-state">{state_text(o)}</td>
                        <td data-testid="history-token">{o.order.token.clone().unwrap_or_default()}</td>
                        <td class="actions">
                            <button
                                type="button"
                                aria-label=format!("Reprint invoice {number}")
                                on:click=move |_| reprint.set(Some(again.clone()))
                            >
                                "Reprint"
                            </button>
                            {refund
                                .map(|r| {
                                    view! {
                                        <button
                                            type="button"
                                            aria-label=format!("Refund invoice {number}")
                                            on:click=move |_| refunding.set(Some(r.clone()))
                                        >
                                            "Refund"
                                        </button>
                                    }
                                })}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="history card" aria-labelledby="history-title">
            <h2 id="history-title">"Sale history"</h2>
            {move || {
                orders
                    .get()
                    .map(|read| match read {
                        Ok(all) => {
                            view! {
                                <table>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Invoice"</th>
                                            <th scope="col">"Time"</th>
                                            <th scope="col" class="amount">
                                                "Total"
                                            </th>
                                            <th scope="col">"State"</th>
                                            <th scope="col">"Wash token"</th>
                                            <th scope="col">
                                                <span class="visually-hidden">"Actions"</span>
                                            </th>
                                        </tr>
                                    </thead>
                                    <tbody>{rows(all)}</tbody>
                                </table>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <p class="error" role="alert">
                                    {e.to_string()}
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
