//! A register's day report on screen, as SKVFS 2014:9 lists its contents:
//! sales per article group, VAT per rate, the takings per payment method,
//! the counts (float, receipts, sales, returns, copies, training, discounts,
//! drawer openings, unfinished sales) and the grand totals. Each list is a
//! table with a caption and column headers, so a screen reader names every
//! figure by its row and column.

use crate::context::TerminalContext;
use leptos::prelude::*;
use possum_contract::sale::PaymentMethod;
use possum_register::journal::{DayReport, Tally};
use possum_register::money;
use possum_register::payment::label;
use rust_decimal::Decimal;

/// A row of the counts table: its test id, what it counts, the number and the amount.
type Count = (&'static str, &'static str, Option<u32>, Option<Decimal>);

fn counts(r: &DayReport, float: Decimal) -> Vec<Count> {
    let tally = |id, what, t: &Tally| (id, what, Some(t.count), Some(t.amount));
    vec![
        ("day-float", "Float", None, Some(float)),
        ("day-receipts", "Receipts", Some(r.receipts), None),
        tally("day-sales", "Sales", &r.sales),
        tally("day-returns", "Returns", &r.returns),
        ("day-discounts", "Discounts", None, Some(r.discounts)),
        tally("day-copies", "Copies", &r.copies),
        tally("day-training", "Training sales", &r.training),
        tally("day-pro-forma", "Pro forma receipts", &r.pro_forma),
        ("day-openings", "Drawer openings", Some(r.drawer_openings), None),
        ("day-price-changes", "Price changes", Some(r.price_changes), None),
        ("day-parked", "Unfinished: parked", Some(r.parked), None),
        ("day-cancelled", "Unfinished: cancelled", Some(r.cancelled), None),
    ]
}

/// The tables of `report`, with the drawer's `float`.
#[component]
pub fn ReportTables(report: DayReport, float: Decimal) -> impl IntoView {
    let settings = TerminalContext::get().settings;
    let fmt = move |d: Decimal| money::format(d, &settings.get_untracked());
    let none = || view! { <tr><td colspan="3">"None yet"</td></tr> };
    let r = report;
    view! {
        <div class="day-tables">
            <table data-testid="day-groups">
                <caption>"Sales per article group"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Article group"</th>
                        <th scope="col" class="amount">"Sales"</th>
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
                <caption>"VAT per rate"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Rate"</th>
                        <th scope="col" class="amount">"Sales incl. VAT"</th>
                        <th scope="col" class="amount">"VAT"</th>
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
                <caption>"Payments"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Method"</th>
                        <th scope="col" class="amount">"Taken less paid back"</th>
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
                                    <th scope="row">{label(PaymentMethod::from_name(method))}</th>
                                    <td class="amount">{fmt(*amount)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <table data-testid="day-counts">
                <caption>"Counts"</caption>
                <thead>
                    <tr>
                        <th scope="col">"What"</th>
                        <th scope="col" class="amount">"Number"</th>
                        <th scope="col" class="amount">"Amount"</th>
                    </tr>
                </thead>
                <tbody>
                    {counts(&r, float)
                        .into_iter()
                        .map(|(id, what, number, amount)| {
                            view! {
                                <tr data-testid=id>
                                    <th scope="row">{what}</th>
                                    <td class="amount">{number.map(|n| n.to_string())}</td>
                                    <td class="amount">{amount.map(fmt)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <table data-testid="day-grand-totals">
                <caption>"Grand totals (never reset)"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Total"</th>
                        <th scope="col" class="amount">"Before this day"</th>
                        <th scope="col" class="amount">"With this day"</th>
                    </tr>
                </thead>
                <tbody>
                    {[
                        ("day-grand-sales", "Sales", r.grand_totals_before.sales, r.grand_totals.sales),
                        (
                            "day-grand-returns",
                            "Returns",
                            r.grand_totals_before.returns,
                            r.grand_totals.returns,
                        ),
                        ("day-grand-net", "Net", r.grand_totals_before.net(), r.grand_totals.net()),
                    ]
                        .into_iter()
                        .map(|(id, what, before, after)| {
                            view! {
                                <tr data-testid=id>
                                    <th scope="row">{what}</th>
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
