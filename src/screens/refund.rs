//! A refund: of a sale from the history (what is left of it) or of lines
//! rung up without a receipt, paid back in cash or to the customer's account.

use super::modal::Modal;
use crate::cashier::Cashier;
use crate::context::TerminalContext;
use crate::session::Session;
use crate::storage::ledger::LocalOrder;
use crate::sync::checkout;
use crate::tasks::Task;
use leptos::prelude::*;
use possum_contract::activity::{Order, OrderLine};
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use possum_register::money;
use possum_register::order::refund_total;
use possum_register::payment::label;
use possum_register::refund::{refund_lines, RefundItem};
use uuid::Uuid;

/// What a refund is of, and who gets the money.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundRequest {
    pub title: String,
    pub items: Vec<RefundItem>,
    pub refund_of: Option<Order>,
    pub customer_id: Option<Uuid>,
}

impl RefundRequest {
    /// Money goes back the way it came: to the account the sale charged, or
    /// (with a customer) to their credit; otherwise only cash.
    fn methods(&self) -> Vec<PaymentMethod> {
        let charged = self
            .refund_of
            .iter()
            .flat_map(|o| &o.payments)
            .map(|p| p.method)
            .find(|m| matches!(m, PaymentMethod::CreditPayment | PaymentMethod::PrepaidPayment));
        let account = charged.or(self.customer_id.map(|_| PaymentMethod::CreditPayment));
        std::iter::once(PaymentMethod::CashPayment).chain(account).collect()
    }
}

/// The refund dialog, while `request` holds a refund to make: it refunds as
/// the cashier on duty, queues the refund, closes itself and hands the
/// stored refund to `on_done` (for its receipt).
#[component]
pub fn RefundDialog(
    request: RwSignal<Option<RefundRequest>>,
    on_done: impl Fn(LocalOrder) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = TerminalContext::get();
    move || {
        request.get().zip(ctx.cashier.get()).map(|(r, by)| {
            view! {
                <RefundForm
                    request=r
                    session=ctx.session.get_untracked()
                    cashier=by
                    settings=ctx.settings.get_untracked()
                    on_done=move |order| {
                        request.set(None);
                        ctx.sync.queued();
                        on_done(order);
                    }
                    on_cancel=move || request.set(None)
                />
            }
        })
    }
}

#[component]
fn RefundForm(
    request: RefundRequest,
    session: Session,
    cashier: Cashier,
    settings: TerminalSettings,
    on_done: impl Fn(LocalOrder) + Copy + Send + Sync + 'static,
    on_cancel: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let methods = request.methods();
    let method = RwSignal::new(methods[0]);
    let counts: Vec<RwSignal<String>> =
        request.items.iter().map(|i| RwSignal::new(i.remaining.to_string())).collect();
    let error = RwSignal::new(None::<String>);
    let request = StoredValue::new(request);
    let settings = StoredValue::new(settings);
    let fmt = move |d| money::format(d, &settings.get_value());
    let counts_for_lines = counts.clone();
    // The lines to refund, or why the counts typed cannot be refunded.
    let lines = move || {
        let quantities = counts_for_lines
            .iter()
            .zip(request.get_value().items)
            .map(|(c, item)| {
                c.get()
                    .trim()
                    .parse::<i32>()
                    .map_err(|_| format!("“{}” is not a number of {}.", c.get(), item.label))
            })
            .collect::<Result<Vec<_>, _>>()?;
        refund_lines(&request.get_value().items, &quantities, &settings.get_value())
            .map_err(|e| e.to_string())
    };
    let lines_for_total = lines.clone();
    let total = move || {
        lines_for_total()
            .map(|l| refund_total(l.iter().map(|l| l.line_total).sum(), method.get(), &settings.get_value()))
    };
    let total_for_button = total.clone();
    let refund = Task::new(move |lines: &Vec<OrderLine>| {
        let (session, cashier, request, settings) =
            (session.clone(), cashier.clone(), request.get_value(), settings.get_value());
        let lines = lines.clone();
        async move {
            let done = checkout::refund(
                &session,
                &cashier,
                &lines,
                method.get_untracked(),
                request.refund_of.as_ref(),
                request.customer_id,
                &settings,
            )
            .await;
            match done {
                Ok(order) => on_done(order),
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let busy = refund.pending();
    let confirm = move || match lines() {
        Ok(lines) => {
            refund.dispatch(lines);
        }
        Err(e) => error.set(Some(e)),
    };
    view! {
        <Modal
            labelled_by="refund-title"
            on_cancel=Callback::new(move |_| {
                if !busy.get_untracked() {
                    on_cancel()
                }
            })
        >
            <section class="card refund">
                <h2 id="refund-title">{request.get_value().title}</h2>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Item"</th>
                            <th scope="col">"Sold"</th>
                            <th scope="col">"Left"</th>
                            <th scope="col">"Refund"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {request
                            .get_value()
                            .items
                            .into_iter()
                            .zip(counts)
                            .enumerate()
                            .map(|(i, (item, count))| {
                                let id = format!("refund-count-{i}");
                                view! {
                                    <tr data-testid="refund-item">
                                        <th scope="row">
                                            <label for=id.clone()>{item.label.clone()}</label>
                                        </th>
                                        <td>{item.sold}</td>
                                        <td>{item.remaining}</td>
                                        <td>
                                            <input
                                                id=id
                                                type="number"
                                                inputmode="numeric"
                                                min="0"
                                                max=item.remaining.to_string()
                                                bind:value=count
                                                disabled=item.remaining == 0
                                            />
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <fieldset class="methods">
                    <legend>"Pay back"</legend>
                    {methods
                        .into_iter()
                        .map(|m| {
                            view! {
                                <label class="choice">
                                    <input
                                        type="radio"
                                        name="refund-method"
                                        checked=move || method.get() == m
                                        on:change=move |_| method.set(m)
                                    />
                                    {label(m)}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <p data-testid="refund-total">
                    {move || match total() {
                        Ok(t) => format!("To pay back: {}", fmt(-t)),
                        Err(e) => e,
                    }}
                </p>
                {move || {
                    error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="error" role="alert">
                                    {e}
                                </p>
                            }
                        })
                }}
                <div class="actions">
                    <button type="button" on:click=move |_| on_cancel() disabled=busy>
                        "Cancel refund"
                    </button>
                    <button
                        type="button"
                        class="primary"
                        on:click=move |_| confirm()
                        disabled=move || busy.get() || total_for_button().is_err()
                    >
                        {move || if busy.get() { "Refunding…" } else { "Refund" }}
                    </button>
                </div>
            </section>
        </Modal>
    }
}
