//! "Why this price?": every campaign and discount program the terminal
//! holds, and whether it applies to the cart as it is now, in plain words
//! (`possum_pricing`'s `Verdict`): what it took off, or why it does not
//! apply (not running at this hour, not for this customer, another one
//! takes more off…). It follows the cart and the minute while it is open.

use super::modal::Modal;
use super::sale::SaleState;
use crate::context::TerminalContext;
use crate::i18n::*;
use chrono::Utc;
use leptos::prelude::*;
use possum_contract::campaign::NotInForce;
use possum_register::deals::{Explanation, Verdict};

/// The answer for one campaign or program.
fn verdict_view(
    verdict: Verdict,
    has_customer: bool,
    amount: impl Fn(rust_decimal::Decimal) -> String,
    locale: Locale,
) -> AnyView {
    let words = match verdict {
        Verdict::Applied { lines, amount: off } => {
            let lines = match lines.len() {
                1 => td_string!(locale, sale.why.one_line),
                _ => td_string!(locale, sale.why.several_lines),
            };
            return view! {
                <span class="applied">
                    {td_string!(locale, sale.why.applied_takes)} <strong>{amount(off)}</strong>
                    {td_string!(locale, sale.why.applied_off, lines = lines)}
                </span>
            }
            .into_any();
        }
        Verdict::Beaten { by } => {
            return view! {
                <span>{td_string!(locale, sale.why.beaten)} <strong>{by}</strong> "."</span>
            }
            .into_any();
        }
        Verdict::NotInForce(why) => match why {
            NotInForce::NotYet => td_string!(locale, sale.why.not_yet),
            NotInForce::Ended => td_string!(locale, sale.why.ended),
            NotInForce::NotThisWeekday => td_string!(locale, sale.why.not_weekday),
            NotInForce::NotThisHour => td_string!(locale, sale.why.not_hour),
            NotInForce::NotThisDesk => td_string!(locale, sale.why.not_desk),
            NotInForce::NotThisPriceGroup => td_string!(locale, sale.why.not_price_group),
        },
        Verdict::NothingInCart => td_string!(locale, sale.why.nothing_in_cart),
        Verdict::NotForThisCustomer if has_customer => td_string!(locale, sale.why.not_customer),
        Verdict::NotForThisCustomer => td_string!(locale, sale.why.customer_only),
        Verdict::NoCredit => td_string!(locale, sale.why.no_credit),
        Verdict::BundleIncomplete => td_string!(locale, sale.why.bundle_incomplete),
    };
    words.into_any()
}

/// The dialog, while `open`.
#[component]
pub fn WhyPriceDialog(open: RwSignal<bool>) -> impl IntoView {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let kronor = crate::language::use_kronor();
    let state = SaleState::get();
    let explanations = move || -> Vec<Explanation> {
        state.minute.track();
        let settings = ctx.settings.get();
        let desk = ctx.session.with(|s| s.client_number);
        state.own.with(|own| {
            state
                .catalogue
                .with(|c| state.cart.with(|cart| c.explain(cart, desk, own, Utc::now(), &settings)))
        })
    };
    let close = move || open.set(false);
    move || {
        open.get().then(|| {
            let has_customer = state.cart.with_untracked(|c| c.customer.is_some());
            let fmt = move |d| kronor.show(d, &ctx.settings.get_untracked());
            view! {
                <Modal labelled_by="why-title" on_cancel=Callback::new(move |_| close())>
                    <section class="card why-price">
                        <h2 id="why-title">{t!(i18n, sale.cart.why)}</h2>
                        <ul
                            class="explanations"
                            aria-label=move || t_string!(i18n, sale.why.list)
                        >
                            {move || {
                                let all = explanations();
                                if all.is_empty() {
                                    return view! {
                                        <li>{t!(i18n, sale.why.none)}</li>
                                    }
                                        .into_any();
                                }
                                all.into_iter()
                                    .map(|e| {
                                        let applied = matches!(e.verdict, Verdict::Applied { .. });
                                        view! {
                                            <li data-testid="explanation" class:applied=applied>
                                                <strong class="name">{e.name}</strong>
                                                " "
                                                {verdict_view(e.verdict, has_customer, fmt, i18n.get_locale())}
                                            </li>
                                        }
                                    })
                                    .collect_view()
                                    .into_any()
                            }}
                        </ul>
                        <div class="actions">
                            <button type="button" class="primary" on:click=move |_| close()>
                                {t!(i18n, sale.why.close)}
                            </button>
                        </div>
                    </section>
                </Modal>
            }
        })
    }
}
