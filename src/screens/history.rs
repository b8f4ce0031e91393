//! The sale history of this terminal: each sale's sync state, its wash token
//! once the back office issued it, a reprint marked as a copy, and refunds
//! for the roles that may make them.

use super::receipt::Receipt;
use super::refund::{RefundDialog, RefundRequest};
use crate::cashier::Cashier;
use crate::session::Session;
use crate::storage::ledger::{LocalOrder, OrderSync};
use crate::storage::Storage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::activity::{Order, OrderKind};
use possum_contract::catalogue::Permission;
use possum_contract::settings::{Setting, TerminalSettings};
use possum_register::money;
use possum_register::refund::refundable;

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
fn refund_request(sale: &Order, orders: &[LocalOrder]) -> Option<RefundRequest> {
    let earlier: Vec<Order> =
        orders.iter().filter(|o| o.order.refund_of == Some(sale.id)).map(|o| o.order.clone()).collect();
    let items = refundable(sale, &earlier);
    items.iter().any(|i| i.remaining > 0).then(|| RefundRequest {
        title: format!("Refund invoice {}", sale.invoice_number),
        items,
        refund_of: Some(sale.clone()),
        customer_id: sale.customer_id,
    })
}

#[component]
pub fn History(
    version: RwSignal<u32>,
    session: RwSignal<Session>,
    cashier: RwSignal<Option<Cashier>>,
    /// Called after a refund is stored: the outbox has news.
    on_queued: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let orders = RwSignal::new(Vec::<LocalOrder>::new());
    let settings = RwSignal::new(TerminalSettings::default());
    let error = RwSignal::new(None::<String>);
    let reprint = RwSignal::new(None::<LocalOrder>);
    let refunding = RwSignal::new(None::<RefundRequest>);
    let refunded = RwSignal::new(None::<LocalOrder>);
    let may_refund = move || cashier.with(|c| c.as_ref().is_some_and(|c| c.may(Permission::Refund)));
    Effect::new(move |_| {
        version.get();
        spawn_local(async move {
            let loaded = async {
                let storage = Storage::open_default().await?;
                let rows: Vec<Setting> = storage.all().await?;
                Ok::<_, crate::error::AppError>((
                    storage.recent_orders(SHOWN).await?,
                    TerminalSettings::from_rows(&rows).0,
                ))
            }
            .await;
            match loaded {
                Ok((o, s)) => {
                    orders.set(o);
                    settings.set(s);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    });
    view! {
        <section class="history card" aria-labelledby="history-title">
            <h2 id="history-title">"Sale history"</h2>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <table>
                <thead><tr><th scope="col">"Invoice"</th><th scope="col">"Time"</th><th scope="col" class="amount">"Total"</th><th scope="col">"State"</th><th scope="col">"Wash token"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    {move || { let all = orders.get(); all.iter().take(SHOWN).map(|o| {
                        let again = o.clone();
                        let number = o.order.invoice_number;
                        let refund = (o.order.kind == OrderKind::Sale).then(|| refund_request(&o.order, &all)).flatten();
                        let refunds = o.order.refund_of.and_then(|id| all.iter().find(|s| s.order.id == id)).map(|s| format!(" refund of {}", s.order.invoice_number));
                        view! {
                            <tr data-testid="history-row" data-invoice=number.to_string()>
                                <td>{number}{o.order.sold_offline.then_some(" (offline)")}{refunds}</td>
                                <td>{crate::clock::time(o.order.created_at)}</td>
                                <td class="amount">{money::format(o.order.total, &settings.get_untracked())}</td>
                                <td data-testid="history-state">{state_text(o)}</td>
                                <td data-testid="history-token">{o.order.token.clone().unwrap_or_default()}</td>
                                <td class="actions">
                                    <button type="button" aria-label=format!("Reprint invoice {number}") on:click=move |_| reprint.set(Some(again.clone()))>"Reprint"</button>
                                    {refund.filter(|_| may_refund()).map(|r| view! {
                                        <button type="button" aria-label=format!("Refund invoice {number}") on:click=move |_| refunding.set(Some(r.clone()))>"Refund"</button>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view() }}
                </tbody>
            </table>
        </section>
        {move || reprint.get().map(|o| view! { <Receipt order=o settings=settings.get_untracked() copy=true on_close=move || reprint.set(None) /> })}
        {move || refunding.get().zip(cashier.get()).map(|(request, by)| view! {
            <RefundDialog
                request=request
                session=session.get_untracked()
                cashier=by
                settings=settings.get_untracked()
                on_done=move |order| {
                    refunding.set(None);
                    refunded.set(Some(order));
                    on_queued();
                }
                on_cancel=move || refunding.set(None)
            />
        })}
        {move || refunded.get().map(|o| view! { <Receipt order=o settings=settings.get_untracked() copy=false on_close=move || refunded.set(None) /> })}
    }
}
