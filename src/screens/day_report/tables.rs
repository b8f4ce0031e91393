//! A register's day report on screen, as SKVFS 2014:9 lists its contents:
//! sales per article group, VAT per rate, the takings per payment method,
//! the counts (float, receipts, sales, returns, copies, training, discounts,
//! drawer openings, unfinished sales) and the grand totals. Each list is a
//! table with a caption and column headers, so a screen reader names every
//! figure by its row and column.

use crate::context::TerminalContext;
use crate::i18n::*;
use crate::language::use_kronor;
use crate::screens::sale::payment::method_words;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use possum_contract::sale::PaymentMethod;
use possum_register::journal::{DayReport, Tally};
use rust_decimal::Decimal;

/// A row's words, in the language on screen.
type Words = fn(I18nContext<Locale>) -> &'static str;

/// A row of the counts table: its test id, what it counts, the number and the amount.
type Count = (&'static str, Words, Option<u32>, Option<Decimal>);

fn counts(r: &DayReport, float: Decimal) -> Vec<Count> {
    let tally = |id, what: Words, t: &Tally| (id, what, Some(t.count), Some(t.amount));
    vec![
        ("day-float", |i| t_string!(i, drawer.day.float), None, Some(float)),
        ("day-receipts", |i| t_string!(i, drawer.day.receipts), Some(r.receipts), None),
        tally("day-sales", |i| t_string!(i, drawer.day.sales), &r.sales),
        tally("day-returns", |i| t_string!(i, drawer.day.returns), &r.returns),
        ("day-discounts", |i| t_string!(i, drawer.day.discounts), None, Some(r.discounts)),
        tally("day-copies", |i| t_string!(i, drawer.day.copies), &r.copies),
        tally("day-training", |i| t_string!(i, drawer.day.training), &r.training),
        tally("day-pro-forma", |i| t_string!(i, drawer.day.pro_forma), &r.pro_forma),
        ("day-openings", |i| t_string!(i, drawer.day.openings), Some(r.drawer_openings), None),
        ("day-price-changes", |i| t_string!(i, drawer.day.price_changes), Some(r.price_changes), None),
        ("day-parked", |i| t_string!(i, drawer.day.parked), Some(r.parked), None),
        ("day-cancelled", |i| t_string!(i, drawer.day.cancelled), Some(r.cancelled), None),
    ]
}

/// The tables of `report`, with the drawer's `float`.
#[component]
pub fn ReportTables(report: DayReport, float: Decimal) -> impl IntoView {
    let settings = TerminalContext::get().settings;
    let i18n = use_i18n();
    let kronor = use_kronor();
    let fmt = move |d: Decimal| kronor.show(d, &settings.get_untracked());
    let none = move || view! { <tr><td colspan="3">{t!(i18n, drawer.day.none_yet)}</td></tr> };
    let r = report;
    view! {
        <div class="day-tables">
            <table data-testid="day-groups">
                <caption>{t!(i18n, drawer.day.groups)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, drawer.day.group)}</th>
                        <th scope="col" class="amount">{t!(i18n, drawer.day.sales)}</th>
                    </tr>
                </thead>
                <tbody>
                    {r.sales_by_group.is_empty().then(none)}
                    {r
                        .sales_by_group
                        .iter()
                        .map(|(group, amount)| {
                            view! {
                                <tr data-testid="day-group">
                                    <th scope="row">{group.clone()}</th>
                                    <td class="amount">{fmt(*amount)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <table data-testid="day-vat">
                <caption>{t!(i18n, drawer.day.vat_rates)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, drawer.day.rate)}</th>
                        <th scope="col" class="amount">{t!(i18n, drawer.day.incl_vat)}</th>
                        <th scope="col" class="amount">{t!(i18n, drawer.day.vat)}</th>
                    </tr>
                </thead>
                <tbody>
                    {r.vat.is_empty().then(none)}
                    {r
                        .vat
                        .iter()
                        .map(|(rate, gross, vat)| {
                            view! {
                                <tr data-testid="day-vat-rate">
                                    <th scope="row">{format!("{}%", rate.normalize())}</th>
                                    <td class="amount">{fmt(*gross)}</td>
                                    <td class="amount">{fmt(*vat)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <table data-testid="day-methods">
                <caption>{t!(i18n, drawer.day.payments)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, drawer.day.method)}</th>
                        <th scope="col" class="amount">{t!(i18n, drawer.day.taken_less_back)}</th>
                    </tr>
                </thead>
                <tbody>
                    {r.by_method.is_empty().then(none)}
                    {r
                        .by_method
                        .iter()
                        .map(|(method, amount)| {
                            view! {
                                <tr data-testid="day-method">
                                    <th scope="row">
                                        {
                                            let m = PaymentMethod::from_name(method);
                                            move || method_words(m, i18n.get_locale())
                                        }
                                    </th>
                                    <td class="amount">{fmt(*amount)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <table data-testid="day-counts">
                <caption>{t!(i18n, drawer.day.counts)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, drawer.day.what)}</th>
                        <th scope="col" class="amount">{t!(i18n, drawer.day.number)}</th>
                        <th scope="col" class="amount">{t!(i18n, drawer.day.amount)}</th>
                    </tr>
                </thead>
                <tbody>
                    {counts(&r, float)
                        .into_iter()
                        .map(|(id, what, number, amount)| {
                            view! {
                                <tr data-testid=id>
                                    <th scope="row">{move || what(i18n)}</th>
                                    <td class="amount">{number.map(|n| n.to_string())}</td>
                                    <td class="amount">{amount.map(fmt)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <table data-testid="day-grand-totals">
                <caption>{t!(i18n, drawer.day.grand_totals)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, drawer.day.total)}</th>
                        <th scope="col" class="amount">{t!(i18n, drawer.day.before)}</th>
                        <th scope="col" class="amount">{t!(i18n, drawer.day.with_day)}</th>
                    </tr>
                </thead>
                <tbody>
                    {[
                        (
                            "day-grand-sales",
                            (|i| t_string!(i, drawer.day.sales)) as Words,
                            r.grand_totals_before.sales,
                            r.grand_totals.sales,
                        ),
                        (
                            "day-grand-returns",
                            |i| t_string!(i, drawer.day.returns),
                            r.grand_totals_before.returns,
                            r.grand_totals.returns,
                        ),
                        (
                            "day-grand-net",
                            |i| t_string!(i, drawer.day.net),
                            r.grand_totals_before.net(),
                            r.grand_totals.net(),
                        ),
                    ]
                        .into_iter()
                        .map(|(id, what, before, after)| {
                            view! {
                                <tr data-testid=id>
                                    <th scope="row">{move || what(i18n)}</th>
                                    <td class="amount">{fmt(before)}</td>
                                    <td class="amount">{fmt(after)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
