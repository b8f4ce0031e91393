//! The sale screen: products, scanner, customer, cart, payment, receipt and
//! parked carts. The arithmetic is `possum_register`'s; these files wire it
//! to the screen. `state.rs` is what outlives a visit to another screen,
//! `customer.rs` the customer panel, `parked.rs` parking and the parked list,
//! `cart.rs`, `payment.rs`, `product_list.rs`, `new_customer.rs` and
//! `deposits.rs` the parts the screen is made of; `pricing.rs` keeps the
//! cart's promotions current, `plan.rs` is the wash club, `training.rs`
//! training mode (ÖVNING) and the pro forma (EJ KVITTO).

pub mod cart;
pub mod customer;
pub mod deposits;
pub mod new_customer;
pub mod parked;
pub mod payment;
pub mod plan;
pub mod price_change;
mod pricing;
pub mod product_list;
pub mod state;
pub mod training;

use super::approval::{ApprovalAsk, ApprovalDialog};
use super::receipt::ReceiptDialog;
use super::refund::{unreceipted_left_today, RefundDialog, RefundRequest};
use super::why_price::WhyPriceDialog;
use crate::catalogue::Item;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::storage::ledger::LocalOrder;
use crate::sync::{checkout, device_log};
use cart::{show_refusal, CartPanel};
use customer::{look_up, CustomerPanel};
use leptos::prelude::*;
use leptos::task::spawn_local;
use new_customer::NewCustomerDialog;
use parked::{park_action, ParkedList};
use payment::{desk_methods, PaymentDialog};
use plan::{on_plan, plan_refusal, PlanOffer};
use possum_contract::activity::LogLevel;
use possum_contract::catalogue::Permission;
use possum_contract::journal::JournalKind;
use possum_register::approval::{given_away, offline_allowed};
use possum_register::cart::{AttachedCustomer, Cart, IdentifiedBy};
use possum_register::journal::events;
use possum_register::payment::Checkout;
use possum_register::scan::{looks_misread, lookups, Lookup, ScanBuffer};
use price_change::change_with_approval;
use product_list::ProductList;
pub use state::SaleState;
use training::{SaleTools, TrainingBanner};

#[component]
pub fn SaleScreen() -> impl IntoView {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let kronor = crate::language::use_kronor();
    let state = SaleState::get();
    let SaleState { catalogue, load_error, cart, highlighted, storage_trouble, .. } = state;
    let (settings, cashier, sync) = (ctx.settings, ctx.cashier, ctx.sync);
    let message = RwSignal::new(None::<String>);
    // What needs no action (a sale sold offline, a customer created): said calmly.
    let note = RwSignal::new(None::<String>);
    let explaining = RwSignal::new(false);
    // The payment being taken, as it started (the dialog keeps the rest).
    let paying = RwSignal::new(None::<Checkout>);
    let receipt = RwSignal::new(None::<LocalOrder>);
    let quote = RwSignal::new(None::<LocalOrder>);
    let refunding = RwSignal::new(None::<RefundRequest>);
    let approving = RwSignal::new(None::<ApprovalAsk>);
    let creating_customer = RwSignal::new(false);
    Effect::new(move |_| {
        state.dialog_open.set(
            paying.with(Option::is_some)
                || refunding.with(Option::is_some)
                || approving.with(Option::is_some),
        )
    });
    on_cleanup(move || state.dialog_open.set(false));

    let signed_in = move || cashier.with(Option::is_some);
    let pick = move |item: Item| {
        if !signed_in() {
            message.set(Some(tu_string!(i18n, sale.screen.sign_in_first).into()));
            return;
        }
        let s = settings.get_untracked();
        let added = catalogue.with_untracked(|c| c.article(&item, &s)).and_then(|a| {
            let mut result = Ok(0);
            cart.update(|cart| result = cart.add(a, &s));
            result
        });
        message.set(added.err().map(|e| e.to_string()));
    };
    // A scan goes to what the code is: a product, else a customer.
    let route_scan = move |code: String| {
        if let Some(item) = catalogue.with_untracked(|c| {
            lookups(&code).iter().find_map(|l| match l {
                Lookup::ProductBarcode(b) => c.by_barcode(b).cloned(),
                Lookup::ArticleNumber(a) => c.by_article(a).cloned(),
                _ => None,
            })
        }) {
            pick(item);
            return;
        }
        spawn_local(async move {
            let found = look_up(&code).await;
            match found {
                Ok(Some(c)) => message.set(state.attach(c)),
                Ok(None) if looks_misread(&code) => {
                    message.set(Some(tu_string!(i18n, sale.screen.misread, code = &code)))
                }
                Ok(None) => message.set(Some(tu_string!(i18n, sale.screen.no_match, code = &code))),
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let scanner = StoredValue::new(ScanBuffer::default());
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        // A field of its own (the cashier card, the customer look-up, an amount)
        // takes a scan as typed input; only the page and the search box route it.
        let field =
            ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok());
        if field.as_ref().is_some_and(|f| f.id() != "product-search") {
            return;
        }
        let mut code = None;
        scanner.update_value(|b| code = b.key(&ev.key(), ev.time_stamp()));
        if let Some(code) = code {
            // Behind an open dialog the cart is being paid or refunded: a scan must not change it.
            if paying.with_untracked(Option::is_some)
                || refunding.with_untracked(Option::is_some)
                || approving.with_untracked(Option::is_some)
                || creating_customer.get_untracked()
                || explaining.get_untracked()
            {
                return;
            }
            ev.prevent_default();
            // A scan into the search box is not a search: take it back out.
            if let Some(input) = field {
                let value = input.value();
                if let Some(rest) = value.strip_suffix(code.as_str()) {
                    input.set_value(rest);
                    let _ = input.dispatch_event(&web_sys::Event::new("input").expect("an input event"));
                }
            }
            // A scan while the receipt shows starts the next sale.
            receipt.set(None);
            route_scan(code);
        }
    });
    on_cleanup(move || keys.remove());

    let start_payment = move |_| {
        if cart.with(Cart::is_empty) {
            message.set(Some(tu_string!(i18n, sale.screen.cart_empty).into()));
            return;
        }
        let s = settings.get_untracked();
        let current = cart.get_untracked();
        // Prices away from the list (or another price group) are sold only as a manager approved them.
        if current.needs_approval(&s) {
            match &current.approval {
                None => {
                    let what =
                        (tu_string!(i18n, sale.screen.sell_at_prices).to_string(), Permission::PriceOverride);
                    let locale = i18n.get_locale_untracked();
                    change_with_approval(cart, &s, approving, message, what, |_, _| Ok(()), locale);
                    return;
                }
                Some(a) if a.offline => {
                    if let Err(over) = offline_allowed(given_away(&current, &s), &s) {
                        return message.set(Some(tu_string!(
                            i18n,
                            sale.screen.approved_offline,
                            over = over
                        )));
                    }
                }
                Some(_) => {}
            }
        }
        paying.set(Some(Checkout::for_cart(&current, &s)));
        message.set(None);
        note.set(None);
    };
    // A wash on the plan is being sold (no payment dialog): its button waits.
    let selling_on_plan = RwSignal::new(false);
    // Completes `current` paid as `paid`.
    let complete_cart = move |current: Cart, paid: Checkout| {
        let Some(who) = cashier.get_untracked() else {
            paying.set(None);
            return;
        };
        let s = settings.get_untracked();
        // The wash club pays only the one wash a plan covers now (the payment
        // dialog offers the method whatever the cart holds).
        let refused = state.own.with_untracked(|own| {
            let locale = i18n.get_locale_untracked();
            catalogue
                .with_untracked(|c| plan_refusal(c, &current, &paid, own, chrono::Utc::now(), &s, locale))
        });
        if let Some(why) = refused {
            paying.set(None);
            return message.set(Some(why));
        }
        selling_on_plan.set(true);
        spawn_local(async move {
            let training = state.training.get_untracked();
            let session = ctx.session.get_untracked();
            let locale = i18n.get_locale_untracked();
            let result = checkout::complete(&session, &who, &current, &paid, &s, training, locale).await;
            paying.set(None);
            selling_on_plan.set(false);
            match result {
                Ok(done) => {
                    state.clear_cart();
                    message.set(None);
                    // Selling offline is routine: the receipt says so too.
                    // Nothing for the cashier to check: the strip says since when the back office is away.
                    note.set(
                        done.offline_because
                            .as_ref()
                            .map(|_| tu_string!(i18n, sale.screen.sold_offline).to_string()),
                    );
                    if done.offline_because.as_ref().is_some_and(AppError::is_unauthorized) {
                        sync.needs_login.set(true);
                    }
                    if done.answered {
                        sync.back_office_answered();
                    }
                    receipt.set(Some(done.order));
                    sync.queued();
                }
                Err(AppError::Application(error)) => {
                    show_refusal(&error, message, highlighted, i18n.get_locale_untracked())
                }
                Err(e) => {
                    note.set(None);
                    if e.stops_sales() {
                        storage_trouble.set(Some(e.clone()));
                        let text = format!("A sale could not be stored: {e}");
                        device_log::write(ctx.terminal_id(), LogLevel::Error, "storage", &text, None).await;
                    }
                    message.set(Some(e.to_string()));
                }
            }
        });
    };
    let complete = move |paid: Checkout| complete_cart(cart.get_untracked(), paid);
    // The cart's one wash, at its list price, paid in full by the car's plan.
    let sell_on_plan =
        Callback::new(move |()| match on_plan(&cart.get_untracked(), &settings.get_untracked()) {
            Ok((listed, paid)) => complete_cart(listed, paid),
            Err(e) => message.set(Some(e.to_string())),
        });
    // A refund without a receipt: the cart's lines, all of them refundable.
    let start_refund = move |_| {
        let s = settings.get_untracked();
        spawn_local(async move {
            match unreceipted_left_today(&s).await {
                Ok(left) => {
                    refunding.set(Some(cart.with_untracked(|c| RefundRequest::without_receipt(c, left, &s))))
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let park = park_action(message);
    let parking = park.pending();
    // The tiles follow the cart's price group, not every change of the cart.
    let price_group = Signal::from(Memo::new(move |_| cart.with(|c| c.price_group)));

    view! {
        <div class="sale">
            <TrainingBanner />
            <ProductList catalogue=catalogue price_group=price_group settings=settings on_pick=pick />
            <div class="side">
                {move || {
                    load_error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="error" role="alert">
                                    {e.to_string()}
                                </p>
                            }
                        })
                }} <CustomerPanel message=message creating_customer=creating_customer />
                <CartPanel
                    cart=cart
                    settings=settings
                    cashier=cashier.into()
                    highlighted=highlighted
                    message=message
                    approving=approving
                    note=note
                    on_why=Callback::new(move |()| explaining.set(true))
                /> <PlanOffer on_sell=sell_on_plan busy=selling_on_plan />
                {move || {
                    storage_trouble
                        .get()
                        .map(|why| {
                            view! {
                                <div class="notice" role="alert" data-testid="sales-stopped">
                                    <p>
                                        <strong>{t!(i18n, sale.screen.sales_stopped)}</strong>
                                    </p>
                                    <p>{why.to_string()}</p>
                                    <p>{t!(i18n, sale.screen.sales_stopped_next)}</p>
                                    <button type="button" on:click=move |_| storage_trouble.set(None)>
                                        {t!(i18n, sale.screen.try_again)}
                                    </button>
                                </div>
                            }
                        })
                }} <div class="actions sale-actions">
                    <button
                        type="button"
                        class="primary pay"
                        // The amount shows on the button (style: generated text), its name stays "Pay".
                        data-amount=move || {
                            let s = settings.get();
                            cart.with(|c| kronor.show(c.totals(&s).total, &s))
                        }
                        on:click=start_payment
                        disabled=move || {
                            !signed_in() || cart.with(Cart::is_empty) || storage_trouble.with(Option::is_some)
                        }
                    >
                        {t!(i18n, sale.screen.pay)}
                    </button>
                    // Beside Pay, so the cart keeps its six lines in view.
                    <SaleTools quote=quote message=message />
                    <button
                        type="button"
                        on:click=move |_| {
                            park.dispatch(());
                        }
                        // A practice cart is never parked: it would come back as a real sale.
                        disabled=move || {
                            !signed_in() || cart.with(Cart::is_empty) || parking.get() || state.training.get()
                        }
                    >
                        {t!(i18n, sale.screen.park)}
                    </button>
                    <button
                        type="button"
                        on:click=move |_| {
                            cancelled(ctx, &state);
                            state.clear_cart();
                            message.set(None);
                            note.set(None);
                        }
                        disabled=move || cart.with(|c| c.is_empty() && c.customer.is_none())
                    >
                        {t!(i18n, sale.screen.clear)}
                    </button>
                    <button
                        type="button"
                        on:click=start_refund
                        // A refund pays real money back: none while training.
                        disabled=move || !signed_in() || cart.with(Cart::is_empty) || state.training.get()
                    >
                        {t!(i18n, sale.screen.refund_without_receipt)}
                    </button>
                </div> <ParkedList message=message />
            </div>
        </div>
        {move || {
            paying
                .get()
                .map(|start| {
                    view! {
                        <PaymentDialog
                            start=start
                            settings=settings.get_untracked()
                            methods=desk_methods(
                                &settings.get_untracked(),
                                ctx.session.get_untracked().client_number,
                            )
                            on_complete=complete
                            on_cancel=move || paying.set(None)
                        />
                    }
                })
        }}
        <Show when=move || creating_customer.get()>
            <NewCustomerDialog
                on_created=move |customer| {
                    creating_customer.set(false);
                    let by = if customer.card_number.is_some() {
                        IdentifiedBy::CardNumber
                    } else {
                        IdentifiedBy::LicensePlate
                    };
                    let created = tu_string!(i18n, sale.screen.customer_created, name = &customer.name);
                    message.set(state.attach(AttachedCustomer { customer, by }));
                    note.set(Some(created));
                    sync.queued();
                }
                on_cancel=move || creating_customer.set(false)
            />
        </Show>
        <RefundDialog
            request=refunding
            on_done=move |order| {
                state.clear_cart();
                receipt.set(Some(order));
            }
        />
        <ApprovalDialog ask=approving />
        <WhyPriceDialog open=explaining />
        <ReceiptDialog shown=receipt copy=false />
        <ReceiptDialog shown=quote copy=false pro_forma=true />
    }
}

/// A cart with items cleared before payment is a cancelled sale: journaled,
/// so the day report counts the unfinished sales.
fn cancelled(ctx: TerminalContext, state: &SaleState) {
    let cart = state.cart.get_untracked();
    // A practice cart cleared is no unfinished sale.
    if cart.lines.is_empty() || state.training.get_untracked() {
        return;
    }
    let cashier = ctx.cashier.with_untracked(|c| c.as_ref().map(|c| c.name.clone())).unwrap_or_default();
    let data = ctx.settings.with_untracked(|s| events::unfinished_cart(&cart, s, &cashier, None));
    crate::sync::journal::spawn_record(ctx.terminal_id(), JournalKind::Cancelled, data);
}
