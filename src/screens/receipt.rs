//! The receipt: on screen and on an 80 mm printer through the browser's print
//! dialog (`@media print` in the stylesheet shows only the receipt). Its top
//! is the printed receipt's (`possum_print::receipt::header_lines`): each
//! line of the settings' header on its own line, the shop's name once.
//!
//! On a register (SKVFS 2014:9) a receipt shows its register id and the
//! control unit's id and control code, as the paper one does; a register's
//! receipt without its control code is never shown as a receipt: the dialog
//! says it is stored and will be registered at the next sync. A copy is
//! marked COPY in letters twice the height of the amounts (`.copy-mark`),
//! a training sale TRAINING (ÖVNING) and a pro forma NOT A RECEIPT (EJ
//! KVITTO) the same way; neither shows a wash token, change or a number of
//! the receipt series that a pro forma does not have.

use super::modal::Modal;
use super::paper::ReceiptPrinting;
use super::sale::payment::method_words;
use super::sale::training::TrainingBanner;
use crate::context::TerminalContext;
use crate::i18n::*;
use crate::storage::ledger::{LocalOrder, OrderSync};
use leptos::prelude::*;
use possum_contract::activity::OrderKind;
use possum_contract::settings::TerminalSettings;
use possum_print::receipt::{header_lines, Mark};
use possum_print::Words;
use possum_register::money;
use possum_register::receipt::{ean13_svg, qr_svg};
use rust_decimal::Decimal;

/// The receipt of the order in `shown`, while there is one (`copy`: a
/// reprint, marked as such; `pro_forma`: a quote of the cart, marked NOT A
/// RECEIPT; a training sale is marked TRAINING); closing it empties `shown`.
#[component]
pub fn ReceiptDialog(
    shown: RwSignal<Option<LocalOrder>>,
    copy: bool,
    #[prop(optional)] pro_forma: bool,
) -> impl IntoView {
    let settings = TerminalContext::get().settings;
    move || {
        shown.get().map(|order| {
            let on_close = move || shown.set(None);
            let mark = match (pro_forma, order.training, copy) {
                (true, _, _) => Mark::ProForma,
                (_, true, _) => Mark::Training,
                (_, _, true) => Mark::Copy,
                _ => Mark::Original,
            };
            if order.order.register_id.is_some() && order.registration.is_none() {
                view! { <Unregistered order=order on_close=on_close /> }.into_any()
            } else {
                view! { <Receipt order=order settings=settings.get_untracked() mark=mark on_close=on_close /> }
                    .into_any()
            }
        })
    }
}

/// The words of the receipt's header on screen: the screen's language.
fn header_words(locale: Locale) -> &'static Words {
    match locale {
        Locale::sv => &Words::SWEDISH,
        Locale::en => &Words::ENGLISH,
    }
}

/// The large mark of a receipt that is not an original: its words in
/// `locale` (KOPIA, ÖVNING, EJ KVITTO in Swedish) and its test id.
fn mark_words(mark: Mark, locale: Locale) -> Option<(&'static str, &'static str)> {
    match mark {
        Mark::Original => None,
        Mark::Copy => Some((td_string!(locale, sale.receipt.copy_mark), "copy-mark")),
        Mark::Training => Some((td_string!(locale, sale.receipt.training_mark), "training-mark")),
        Mark::ProForma => Some((td_string!(locale, sale.receipt.pro_forma_mark), "pro-forma-mark")),
    }
}

/// A register's receipt that the control unit has not registered: the sale
/// or refund is stored and queued, but no receipt may be shown or printed
/// without its control code.
#[component]
fn Unregistered(order: LocalOrder, on_close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let o = &order.order;
    let i18n = use_i18n();
    let refund = o.kind == OrderKind::Refund;
    let number = o.invoice_number;
    view! {
        <Modal labelled_by="unregistered-title" on_cancel=Callback::new(move |_| on_close())>
            <article class="receipt card" data-testid="receipt-unregistered">
                <h2 id="unregistered-title">{t!(i18n, sale.receipt.unregistered_title)}</h2>
                <p class="error" role="alert">
                    {move || {
                        if refund {
                            t_string!(i18n, sale.receipt.unregistered_refund, number = number)
                        } else {
                            t_string!(i18n, sale.receipt.unregistered_sale, number = number)
                        }
                    }}
                </p>
                <div class="actions">
                    <button type="button" class="primary" on:click=move |_| on_close()>
                        {t!(i18n, sale.receipt.close)}
                    </button>
                </div>
            </article>
        </Modal>
    }
}

#[component]
fn Receipt(
    order: LocalOrder,
    settings: TerminalSettings,
    mark: Mark,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let kronor = crate::language::use_kronor();
    let s = settings.clone();
    let fmt = move |d: Decimal| kronor.show(d, &s);
    let o = order.order.clone();
    let for_print = order.clone();
    let copy = mark == Mark::Copy;
    // Neither a practice sale nor a quote issues a wash token or takes money.
    let real = matches!(mark, Mark::Original | Mark::Copy);
    let has_wash = real && o.lines.iter().any(|l| l.is_wash) && o.kind == OrderKind::Sale;
    let barcode = o.token.as_deref().map(|t| (t.to_string(), ean13_svg(t)));
    let qr = order.feedback_portal_url.clone().map(|url| (url.clone(), qr_svg(&url)));
    let mut vat: Vec<(Decimal, Decimal)> = Vec::new();
    for l in &o.lines {
        match vat.iter_mut().find(|(p, _)| *p == l.vat_percent) {
            Some((_, g)) => *g += l.line_total,
            None => vat.push((l.vat_percent, l.line_total)),
        }
    }
    // The change to hand back, large, while the cashier counts it (not on a reprint).
    let change: Decimal = o.payments.iter().filter_map(|p| p.change).sum();
    let change_due = (mark != Mark::Copy && change > Decimal::ZERO).then_some(change);
    let register_id = order.registration.as_ref().map(|r| r.register_id.clone());
    let control = order.registration.as_ref().map(|r| (r.control_unit_id.clone(), r.control_code.clone()));
    let kind = o.kind;
    let title = move || match (mark, kind) {
        (Mark::ProForma, _) => t_string!(i18n, sale.receipt.pro_forma),
        (Mark::Training, _) => t_string!(i18n, sale.receipt.training),
        (_, OrderKind::Refund) => t_string!(i18n, sale.receipt.refund),
        (_, OrderKind::Sale) => t_string!(i18n, sale.receipt.receipt),
    };
    let numbered = mark != Mark::ProForma;
    view! {
        <Modal labelled_by="receipt-title" on_cancel=Callback::new(move |_| on_close())>
            <article class="receipt card" data-testid="receipt">
                <h2 id="receipt-title">{title}</h2>
                {(mark == Mark::Training).then(|| view! { <TrainingBanner always=true /> })}
                {mark_words(mark, i18n.get_locale_untracked())
                    .map(|(words, id)| {
                        view! {
                            <p class="mark copy-mark" data-testid=id>
                                {words}
                            </p>
                        }
                    })}
                {o
                    .sold_offline
                    .then(|| {
                        view! {
                            <p class="mark" data-testid="offline-mark">
                                {t!(i18n, sale.receipt.sold_offline)}
                            </p>
                        }
                    })}
                <header class="receipt-header" data-testid="receipt-header">
                    {header_lines(&settings, header_words(i18n.get_locale_untracked()))
                        .into_iter()
                        .map(|line| {
                            view! {
                                <p class:shop=line.heading data-testid="receipt-header-line">
                                    {line.text}
                                </p>
                            }
                        })
                        .collect_view()}
                </header>
                <dl class="facts">
                    {numbered
                        .then(|| {
                            view! {
                                <dt>{t!(i18n, sale.receipt.invoice)}</dt>
                                <dd data-testid="invoice-number">{o.invoice_number}</dd>
                            }
                        })}
                    <dt>{t!(i18n, sale.receipt.date)}</dt>
                    <dd data-testid="receipt-date">{crate::clock::date_time(o.created_at)}</dd>
                    <dt>{t!(i18n, sale.receipt.cashier)}</dt>
                    <dd>{o.cashier_name.clone()}</dd>
                    {register_id
                        .map(|id| {
                            view! {
                                <dt>{t!(i18n, sale.receipt.register)}</dt>
                                <dd data-testid="register-id">{id}</dd>
                            }
                        })}
                </dl>
                {change_due
                    .map(|c| {
                        view! {
                            <p class="change-due" role="status" data-testid="receipt-change-due">
                                {t!(i18n, sale.payment.change_to_give)} <strong>{fmt(c)}</strong>
                            </p>
                        }
                    })}
                <table class="receipt-lines">
                    <tbody>
                        {o
                            .lines
                            .iter()
                            .map(|l| {
                                view! {
                                    <tr>
                                        <td>
                                            {format!("{} × {}", l.quantity, l.name)}
                                            {(!l.discount.is_zero())
                                                .then(|| {
                                                    view! {
                                                        <small>{format!(" (−{})", fmt(l.discount))}</small>
                                                    }
                                                })}
                                        </td>
                                        <td class="amount">{fmt(l.line_total)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <dl class="totals">
                    {(!o.rounding.is_zero())
                        .then(|| {
                            view! {
                                <dt>{t!(i18n, sale.receipt.rounding)}</dt>
                                <dd>{fmt(o.rounding)}</dd>
                            }
                        })} <dt class="total">{t!(i18n, sale.cart.total)}</dt><dd class="total" data-testid="receipt-total">
                        {fmt(o.total)}
                    </dd>
                    {vat
                        .into_iter()
                        .map(|(p, g)| {
                            view! {
                                <dt>{t_string!(i18n, sale.receipt.vat_of, percent = p.normalize(), amount = fmt(g))}</dt>
                                <dd>{fmt(money::vat_of_gross(g, p, &settings))}</dd>
                            }
                        })
                        .collect_view()}
                    {o
                        .payments
                        .iter()
                        .map(|p| {
                            view! {
                                <dt>{method_words(p.method, i18n.get_locale_untracked())}</dt>
                                <dd>{fmt(p.amount)}</dd>
                                {p
                                    .tendered
                                    .map(|t| {
                                        view! {
                                            <dt>{t!(i18n, sale.receipt.received)}</dt>
                                            <dd>{fmt(t)}</dd>
                                        }
                                    })}
                                {p
                                    .change
                                    .map(|c| {
                                        view! {
                                            <dt>{t!(i18n, sale.receipt.change)}</dt>
                                            <dd data-testid="receipt-change">{fmt(c)}</dd>
                                        }
                                    })}
                            }
                        })
                        .collect_view()}
                </dl>
                {match barcode {
                    Some((token, Ok(svg))) => {
                        view! {
                            <figure class="token" data-testid="wash-token">
                                <div
                                    class="barcode"
                                    role="img"
                                    aria-label=t_string!(i18n, sale.receipt.token_barcode, token = &token)
                                    inner_html=svg
                                ></div>
                                <figcaption data-testid="token-number">{token}</figcaption>
                            </figure>
                        }
                            .into_any()
                    }
                    Some((token, Err(e))) => {
                        view! {
                            <p class="error" role="alert">
                                {t_string!(i18n, sale.receipt.token_error, why = e, token = &token)}
                            </p>
                        }
                            .into_any()
                    }
                    None if has_wash => {
                        view! {
                            <p class="notice" data-testid="token-pending">
                                {if order.sync == OrderSync::Delivered {
                                    t_string!(i18n, sale.receipt.no_token)
                                } else {
                                    t_string!(i18n, sale.receipt.token_later)
                                }}
                            </p>
                        }
                            .into_any()
                    }
                    None => ().into_any(),
                }}
                {qr
                    .map(|(url, svg)| match svg {
                        Ok(svg) => {
                            view! {
                                <figure class="feedback">
                                    <div
                                        class="qr"
                                        role="img"
                                        aria-label=t_string!(i18n, sale.receipt.feedback_qr)
                                        inner_html=svg
                                    ></div>
                                    <figcaption>
                                        {t!(i18n, sale.receipt.feedback)} <span data-testid="feedback-url">{url}</span>
                                    </figcaption>
                                </figure>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p>{e.to_string()}</p> }.into_any(),
                    })}
                {control
                    .map(|(unit, code)| {
                        view! {
                            <dl class="facts control">
                                <dt>{t!(i18n, sale.receipt.control_unit)}</dt>
                                <dd data-testid="control-unit-id">{unit}</dd>
                                <dt>{t!(i18n, sale.receipt.control_code)}</dt>
                                <dd class="control-code" data-testid="control-code">
                                    {code}
                                </dd>
                            </dl>
                        }
                    })}
                {(!settings.receipt_footer.is_empty())
                    .then(|| view! { <p class="receipt-footer">{settings.receipt_footer.clone()}</p> })}
                <ReceiptPrinting
                    order=for_print
                    reprint=copy
                    on_close=on_close
                    mark=(!real).then_some(mark)
                />
            </article>
        </Modal>
    }
}
