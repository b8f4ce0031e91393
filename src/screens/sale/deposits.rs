//! A customer's account history, from the pulled `GetDepositHistory` rows:
//! deposits, sales on account and refunds, newest first.

use crate::storage::Storage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::customer::DepositHistory;
use possum_contract::settings::TerminalSettings;
use possum_register::money;
use uuid::Uuid;

/// Shown: the latest movements (the back office keeps them all).
const SHOWN: usize = 20;

#[component]
pub fn DepositHistoryList(customer_id: Uuid, settings: Signal<TerminalSettings>) -> impl IntoView {
    let rows = RwSignal::new(Vec::<DepositHistory>::new());
    let error = RwSignal::new(None::<String>);
    spawn_local(async move {
        let loaded = async {
            Storage::open_default()
                .await?
                .find_all::<DepositHistory>("by_customer", &customer_id.to_string())
                .await
        }
        .await;
        match loaded {
            Ok(mut found) => {
                found.sort_by_key(|d| std::cmp::Reverse(d.created_at));
                rows.set(found);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    });
    let fmt = move |d| money::format(d, &settings.get_untracked());
    view! {
        <details class="deposits" data-testid="deposit-history">
            <summary>{move || format!("Account history ({})", rows.with(Vec::len))}</summary>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <table>
                <thead><tr><th scope="col">"Date"</th><th scope="col">"What"</th><th scope="col" class="amount">"Amount"</th><th scope="col" class="amount">"Balance"</th></tr></thead>
                <tbody>
                    {move || rows.get().into_iter().take(SHOWN).map(|d| view! {
                        <tr data-testid="deposit-row">
                            <td>{crate::clock::date_time(d.created_at)}</td>
                            <td>{format!("{:?}", d.kind)}{d.note.map(|n| format!(" · {n}"))}</td>
                            <td class="amount">{fmt(d.amount)}</td>
                            <td class="amount">{fmt(d.balance_after)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}
