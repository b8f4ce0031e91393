//! A refund: of a sale from the history (what is left of it) or of lines
//! rung up without a receipt. The money goes back the way it came (the
//! sale's own payment methods; cash in their place only where the settings
//! allow it); without a receipt in cash, by card or Swish, within the
//! settings' limit. Every refund waits for a manager's approval.

use super::approval::{ApprovalAsk, ApprovalDialog};
use super::choice::Choice;
use super::modal::Modal;
use crate::cashier::Cashier;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::language::{use_kronor, written};
use crate::screens::sale::payment::method_words;
use crate::session::Session;
use crate::storage::ledger::{LocalOrder, OrderSync};
use crate::storage::Storage;
use crate::sync::approval::Wanted;
use crate::sync::checkout::{self, Refund};
use crate::tasks::Task;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use possum_contract::activity::{Order, OrderLine, StaffApproval};
use possum_contract::catalogue::Permission;
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use possum_register::cart::Cart;
use possum_register::order::{order_lines, refund_total};
use possum_register::refund::{
    check_method, refund_lines, refund_methods, refundable, unreceipted_left, RefundItem, RefundMethod,
    UNRECEIPTED_METHODS,
};
use rust_decimal::Decimal;
use uuid::Uuid;

/// What a refund is of, who gets the money and how.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundRequest {
    pub items: Vec<RefundItem>,
    pub refund_of: Option<Order>,
    pub customer_id: Option<Uuid>,
    /// The price group the items were sold (or rung up) in.
    pub price_group: u8,
    /// The methods the money may go back with, and the most each may still give back.
    pub methods: Vec<RefundMethod>,
}

impl RefundRequest {
    /// The refund of what is left of `sale` after the `earlier` refunds of
    /// it, or `None` when it was all refunded.
    pub fn of_sale(sale: &Order, earlier: &[Order], settings: &TerminalSettings) -> Option<Self> {
        let items = refundable(sale, earlier);
        items.iter().any(|i| i.remaining > 0).then(|| RefundRequest {
            items,
            refund_of: Some(sale.clone()),
            customer_id: sale.customer_id,
            price_group: sale.price_group,
            methods: refund_methods(sale, earlier, settings),
        })
    }

    /// A refund without a receipt of the lines in `cart`: in cash, by card
    /// or Swish (never to an account), at most `left` (what the settings'
    /// limits leave of the day: `refund::unreceipted_left`).
    pub fn without_receipt(cart: &Cart, left: Decimal, settings: &TerminalSettings) -> Self {
        let lines: Vec<OrderLine> = cart.lines.iter().flat_map(|l| order_lines(l, settings)).collect();
        RefundRequest {
            items: possum_register::refund::items(&lines),
            refund_of: None,
            customer_id: cart.customer.as_ref().map(|a| a.customer.id),
            price_group: cart.price_group,
            methods: UNRECEIPTED_METHODS.iter().map(|&method| RefundMethod { method, left }).collect(),
        }
    }

    /// The refund's title, in `locale`: of which invoice, or without a receipt.
    fn title(&self, locale: Locale) -> String {
        match &self.refund_of {
            Some(sale) => {
                td_string!(locale, drawer.refund.title_invoice, number = sale.invoice_number).to_string()
            }
            None => td_string!(locale, drawer.refund.title_without).to_string(),
        }
    }

    /// Whether `total` may go back with `method`, or why not (in `locale`).
    fn check(
        &self,
        method: PaymentMethod,
        total: Decimal,
        settings: &TerminalSettings,
        locale: Locale,
    ) -> Result<(), String> {
        match self.methods.iter().find(|m| m.method == method) {
            Some(m) if self.refund_of.is_none() && total.abs() > m.left => {
                let fmt = |d| written(d, settings, locale);
                let text = td_string!(
                    locale,
                    drawer.refund.over_limit,
                    each = fmt(settings.unreceipted_refund_limit),
                    day = fmt(settings.unreceipted_refund_daily_limit),
                    left = fmt(m.left)
                );
                Err(text.to_string())
            }
            _ => check_method(&self.methods, method, total, settings),
        }
    }
}

/// The orders read to find the day's refunds without a receipt: more than a busy day's.
const ORDERS_OF_A_DAY: usize = 1_000;

/// What one more refund without a receipt may give back today on this
/// terminal (the back office counts the same per terminal and day).
pub async fn unreceipted_left_today(settings: &TerminalSettings) -> Result<Decimal, AppError> {
    let recent = Storage::open_default().await?.recent_orders(ORDERS_OF_A_DAY).await?;
    let today = chrono::Local::now().date_naive();
    let of_today = recent
        .iter()
        .filter(|o| {
            o.sync != OrderSync::Voided
                && o.order.created_at.with_timezone(&chrono::Local).date_naive() == today
        })
        .map(|o| &o.order);
    Ok(unreceipted_left(of_today, settings))
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
    // The first method that can still give something back is the one offered first.
    let methods: Vec<_> = request.methods.iter().map(|m| m.method).collect();
    let first = request.methods.iter().find(|m| m.left > Decimal::ZERO).or(request.methods.first());
    let method = RwSignal::new(first.map(|m| m.method));
    // The refund's id from the start: a manager's approval is given for it.
    let order_id = Uuid::new_v4();
    let approving = RwSignal::new(None::<ApprovalAsk>);
    let counts: Vec<RwSignal<String>> =
        request.items.iter().map(|i| RwSignal::new(i.remaining.to_string())).collect();
    let error = RwSignal::new(None::<String>);
    let request = StoredValue::new(request);
    let settings = StoredValue::new(settings);
    let i18n = use_i18n();
    let kronor = use_kronor();
    let fmt = move |d| kronor.show(d, &settings.get_value());
    let locale = move || i18n.get_locale_untracked();
    let counts_for_lines = counts.clone();
    // The lines to refund, or why the counts typed cannot be refunded.
    let lines = move || {
        let quantities = counts_for_lines
            .iter()
            .zip(request.get_value().items)
            .map(|(c, item)| {
                c.get().trim().parse::<i32>().map_err(|_| {
                    t_string!(i18n, drawer.refund.not_a_number, typed = c.get(), item = item.label)
                        .to_string()
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        refund_lines(&request.get_value().items, &quantities, &settings.get_value())
            .map_err(|e| e.to_string())
    };
    let lines_for_total = lines.clone();
    let total = move || {
        let method = method.get().ok_or_else(|| no_method(i18n))?;
        lines_for_total()
            .map(|l| refund_total(l.iter().map(|l| l.line_total).sum(), method, &settings.get_value()))
    };
    let total_for_button = total.clone();
    let total_for_confirm = total.clone();
    let refund = Task::new(move |(lines, approval): &(Vec<OrderLine>, StaffApproval)| {
        let (session, cashier, request, settings) =
            (session.clone(), cashier.clone(), request.get_value(), settings.get_value());
        let (lines, approval) = (lines.clone(), approval.clone());
        async move {
            let Some(method) = method.get_untracked() else { return };
            let refund = Refund {
                order_id,
                lines: &lines,
                method,
                refund_of: request.refund_of.as_ref(),
                customer_id: request.customer_id,
                price_group: request.price_group,
                approval,
            };
            match checkout::refund(&session, &cashier, &refund, &settings).await {
                Ok(order) => on_done(order),
                Err(e) => error.set(Some(e.text(locale()))),
            }
        }
    });
    let busy = refund.pending();
    // Checked here first (the back office checks it again), then a manager approves it.
    let confirm = move || {
        let checked = lines().and_then(|lines| {
            let total = total_for_confirm()?;
            let method = method.get_untracked().ok_or_else(|| no_method(i18n))?;
            request.with_value(|r| settings.with_value(|s| r.check(method, total, s, locale())))?;
            Ok((lines, method, total))
        });
        let (lines, method, total) = match checked {
            Ok(checked) => checked,
            Err(e) => return error.set(Some(e)),
        };
        error.set(None);
        approving.set(Some(ApprovalAsk {
            what: td_string!(
                locale(),
                drawer.refund.approval_what,
                title = request.with_value(|r| r.title(locale())),
                amount = written(-total, &settings.get_value(), locale()),
                method = method_words(method, locale())
            )
            .to_string(),
            wanted: Wanted { order_id, permission: Permission::Refund, amount: total.abs() },
            then: Callback::new(move |approval| refund.dispatch((lines.clone(), approval))),
        }));
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
                <h2 id="refund-title">{move || request.with_value(|r| r.title(i18n.get_locale()))}</h2>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, drawer.refund.item)}</th>
                            <th scope="col">{t!(i18n, drawer.refund.sold)}</th>
                            <th scope="col">{t!(i18n, drawer.refund.left)}</th>
                            <th scope="col">{t!(i18n, drawer.refund.refund)}</th>
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
                    <legend>{t!(i18n, drawer.refund.pay_back)}</legend>
                    {methods
                        .into_iter()
                        .map(|m| {
                            view! {
                                <Choice
                                    name="refund-method"
                                    checked=Signal::derive(move || method.get() == Some(m))
                                    on_pick=Callback::new(move |_| method.set(Some(m)))
                                >
                                    {move || method_words(m, i18n.get_locale())}
                                </Choice>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <p data-testid="refund-total">
                    {move || match total() {
                        Ok(t) => t_string!(i18n, drawer.refund.to_pay_back, amount = fmt(-t)).to_string(),
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
                        {t!(i18n, drawer.refund.cancel)}
                    </button>
                    <button
                        type="button"
                        class="primary"
                        on:click=move |_| confirm()
                        disabled=move || busy.get() || total_for_button().is_err()
                    >
                        {move || {
                            if busy.get() {
                                t_string!(i18n, drawer.refund.refunding)
                            } else {
                                t_string!(i18n, drawer.refund.refund)
                            }
                        }}
                    </button>
                </div>
            </section>
            <ApprovalDialog ask=approving />
        </Modal>
    }
}

fn no_method(i18n: I18nContext<Locale>) -> String {
    t_string!(i18n, drawer.refund.no_method).to_string()
}
