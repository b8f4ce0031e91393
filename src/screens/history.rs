//! The sale history of this terminal: each sale's sync state, its wash token
//! once the back office issued it, and a reprint marked as a copy.

use super::receipt::Receipt;
use crate::ledger::{LocalOrder, OrderSync};
use crate::storage::Storage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::settings::{Setting, TerminalSettings};
use possum_register::money;

/// Shown: the latest sales; older ones stay stored and synced.
const SHOWN: usize = 50;

fn state_text(o: &LocalOrder) -> String {
    match o.sync {
        OrderSync::Queued => "Waiting to be sent".into(),
        OrderSync::Delivered => "At the back office".into(),
        OrderSync::Attention => format!("Needs attention: {}", o.problem.clone().unwrap_or_default()),
    }
}

#[component]
pub fn History(version: RwSignal<u32>) -> impl IntoView {
    let orders = RwSignal::new(Vec::<LocalOrder>::new());
    let settings = RwSignal::new(TerminalSettings::default());
    let error = RwSignal::new(None::<String>);
    let reprint = RwSignal::new(None::<LocalOrder>);
    Effect::new(move |_| {
        version.get();
        spawn_local(async move {
            let loaded = async {
                let storage = Storage::open_default().await?;
                let rows: Vec<Setting> = storage.all().await?;
                Ok::<_, crate::error::AppError>((storage.orders().await?, TerminalSettings::from_rows(&rows).0))
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
                <thead><tr><th scope="col">"Invoice"</th><th scope="col">"Time"</th><th scope="col" class="amount">"Total"</th><th scope="col">"State"</th><th scope="col">"Wash token"</th><th scope="col"><span class="visually-hidden">"Reprint"</span></th></tr></thead>
                <tbody>
                    {move || orders.get().into_iter().take(SHOWN).map(|o| {
                        let again = o.clone();
                        let number = o.order.invoice_number;
                        view! {
                            <tr data-testid="history-row" data-invoice=number.to_string()>
                                <td>{number}{o.order.sold_offline.then_some(" (offline)")}</td>
                                <td>{o.order.created_at.format("%H:%M:%S").to_string()}</td>
                                <td class="amount">{money::format(o.order.total, &settings.get_untracked())}</td>
                                <td data-testid="history-state">{state_text(&o)}</td>
                                <td data-testid="history-token">{o.order.token.clone().unwrap_or_default()}</td>
                                <td><button type="button" aria-label=format!("Reprint invoice {number}") on:click=move |_| reprint.set(Some(again.clone()))>"Reprint"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        {move || reprint.get().map(|o| view! { <Receipt order=o settings=settings.get_untracked() copy=true on_close=move || reprint.set(None) /> })}
    }
}
