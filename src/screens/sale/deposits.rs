//! A customer's account history, from the pulled `GetDepositHistory` rows:
//! deposits, sales on account and refunds, newest first.

use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::storage::Storage;
use crate::tasks::reload_on;
use leptos::prelude::*;
use possum_contract::customer::DepositHistory;
use uuid::Uuid;

/// Shown: the latest movements (the back office keeps them all).
const SHOWN: usize = 20;

#[component]
pub fn DepositHistoryList(customer_id: Uuid) -> impl IntoView {
    let settings = TerminalContext::get().settings;
    let read = RwSignal::new(None);
    reload_on(
        Signal::stored(0),
        move || async move {
            let mut found = Storage::open_default()
                .await?
                .find_all::<DepositHistory>("by_customer", &customer_id.to_string())
                .await?;
            found.sort_by_key(|d| std::cmp::Reverse(d.created_at));
            Ok::<_, AppError>(found)
        },
        move |found| read.set(Some(found)),
    );
    let rows = move || read.get().and_then(Result::ok).unwrap_or_default();
    let error = move || read.get().and_then(Result::err);
    let i18n = use_i18n();
    let kronor = crate::language::use_kronor();
    let fmt = move |d| kronor.show(d, &settings.get_untracked());
    view! {
        <details class="deposits" data-testid="deposit-history">
            <summary>{move || t_string!(i18n, sale.deposits.title, count = rows().len())}</summary>
            {move || {
                error()
                    .map(|e| {
                        view! {
                            <p class="error" role="alert">
                                {e.to_string()}
                            </p>
                        }
                    })
            }}
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, sale.deposits.date)}</th>
                        <th scope="col">{t!(i18n, sale.deposits.what)}</th>
                        <th scope="col" class="amount">
                            {t!(i18n, sale.deposits.amount)}
                        </th>
                        <th scope="col" class="amount">
                            {t!(i18n, sale.deposits.balance)}
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        rows()
                            .into_iter()
                            .take(SHOWN)
                            .map(|d| {
                                view! {
                                    <tr data-testid="deposit-row">
                                        <td>{crate::clock::date_time(d.created_at)}</td>
                                        <td>{format!("{:?}", d.kind)}{d.note.map(|n| format!(" · {n}"))}</td>
                                        <td class="amount">{fmt(d.amount)}</td>
                                        <td class="amount">{fmt(d.balance_after)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </details>
    }
}
