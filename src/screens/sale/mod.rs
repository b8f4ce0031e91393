//! The sale screen: products, scanner, customer, cart, payment, receipt and
//! parked carts. The arithmetic is `possum_register`'s; this file wires it to
//! the screen, IndexedDB and the back office.

use super::cart::{show_refusal, CartPanel};
use super::deposits::DepositHistoryList;
use super::new_customer::NewCustomerDialog;
use super::payment::{desk_methods, PaymentDialog};
use super::product_list::ProductList;
use super::receipt::Receipt;
use super::refund::{RefundDialog, RefundRequest};
use crate::cashier::Cashier;
use crate::catalogue::{Catalogue, Item};
use crate::error::AppError;
use crate::session::Session;
use crate::storage::ledger::{LocalOrder, Parked};
use crate::storage::shared;
use crate::storage::Storage;
use crate::sync::checkout;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::activity::{LogLevel, OpenOrder, OpenOrderStatus};
use possum_contract::catalogue::Permission;
use possum_contract::customer::Customer;
use possum_contract::endpoints::PushKind;
use possum_register::cart::{AttachedCustomer, Cart, IdentifiedBy};
use possum_register::money;
use possum_register::order::order_lines;
use possum_register::outbox::Entry;
use possum_register::payment::Checkout;
use possum_register::refund;
use possum_register::scan::{looks_misread, lookups, Lookup, ScanBuffer};
use std::sync::Arc;
use uuid::Uuid;

/// Finds a customer by card number, RFID UID or licence plate, in that order
/// (one IndexedDB round trip for all three).
async fn find_customer(storage: &Storage, code: &str) -> Result<Option<AttachedCustomer>, AppError> {
    let candidates: Vec<(&str, String, IdentifiedBy)> = lookups(code)
        .into_iter()
        .filter_map(|lookup| match lookup {
            Lookup::CustomerCard(card) => Some(("by_card", card, IdentifiedBy::CardNumber)),
            Lookup::CustomerUid(uid) => Some(("by_uid", uid.to_string(), IdentifiedBy::CardUid)),
            Lookup::LicensePlate(plate) => Some(("by_plate", plate, IdentifiedBy::LicensePlate)),
            _ => None,
        })
        .collect();
    let look_ups: Vec<(&str, &str)> =
        candidates.iter().map(|(index, key, _)| (*index, key.as_str())).collect();
    let found = storage.find_first::<Customer>(&look_ups).await?;
    Ok(found.map(|(position, customer)| AttachedCustomer { customer, by: candidates[position].2 }))
}

/// A customer look-up on the connection the sale screen keeps open.
async fn look_up(code: &str) -> Result<Option<AttachedCustomer>, AppError> {
    shared::read(|storage| async move { find_customer(&storage, code).await }).await
}

/// The `PostOpenOrder` record of a parked cart's state change.
fn open_order_entry(
    parked: &Parked,
    status: OpenOrderStatus,
    session: &Session,
    cashier: &Cashier,
    settings: &possum_contract::settings::TerminalSettings,
) -> Result<Entry, AppError> {
    let now = Utc::now();
    let record = OpenOrder {
        id: Uuid::new_v4(),
        open_order_id: parked.id,
        terminal_id: session.terminal_id,
        status,
        label: parked.label.clone(),
        cashier_id: cashier.id,
        customer_id: parked.cart.customer.as_ref().map(|c| c.customer.id),
        price_group: parked.cart.price_group,
        lines: parked.cart.lines.iter().flat_map(|l| order_lines(l, settings)).collect(),
        total: parked.cart.totals(settings).total,
        changed_at: now,
    };
    let body = serde_json::to_string(&record)?;
    Ok(Entry::new(record.id, PushKind::OpenOrder, body, None, now))
}

/// What the sale screen works on, kept by the terminal so that it outlives
/// a visit to another screen: the catalogue (read once per pull, not per
/// visit), the cart (saved on every change: it survives a reload too), the
/// parked carts and whether sales are stopped.
#[derive(Clone, Copy)]
pub struct SaleState {
    pub catalogue: RwSignal<Arc<Catalogue>>,
    /// The catalogue could not be read, or the cart not saved.
    pub load_error: RwSignal<Option<String>>,
    pub cart: RwSignal<Cart>,
    /// Article numbers the back office refused in this cart (errors 14 and 16).
    pub highlighted: RwSignal<Vec<String>>,
    pub parked: RwSignal<Vec<Parked>>,
    /// A sale could not be stored (the disk is full…): no more sales until staff have looked.
    pub storage_trouble: RwSignal<Option<String>>,
    /// A dialog of the sale screen is open (payment, refund): a sale is under way.
    pub dialog_open: RwSignal<bool>,
    cart_loaded: RwSignal<bool>,
}

impl SaleState {
    /// Reads the catalogue and parked carts whenever `version` moves (after a
    /// pull that changed the cache), the saved cart once, and saves every
    /// change of the cart.
    pub fn new(version: RwSignal<u32>) -> Self {
        let state = Self {
            catalogue: RwSignal::new(Arc::new(Catalogue::empty())),
            load_error: RwSignal::new(None),
            cart: RwSignal::new(Cart::new(1)),
            highlighted: RwSignal::new(Vec::new()),
            parked: RwSignal::new(Vec::new()),
            storage_trouble: RwSignal::new(None),
            dialog_open: RwSignal::new(false),
            cart_loaded: RwSignal::new(false),
        };
        let Self { catalogue, load_error, cart, parked, storage_trouble, cart_loaded, .. } = state;
        Effect::new(move |_| {
            version.get();
            spawn_local(async move {
                let loaded = async {
                    let storage = Storage::open_default().await?;
                    let c = Catalogue::load(&storage).await?;
                    let saved = if cart_loaded.get_untracked() { None } else { storage.load_cart().await? };
                    let waiting = storage.parked().await?;
                    Ok::<_, AppError>((c, saved, waiting))
                }
                .await;
                match loaded {
                    Ok((c, saved, waiting)) => {
                        if !cart_loaded.get_untracked() {
                            cart.set(saved.unwrap_or_else(|| Cart::new(c.settings.default_price_group)));
                            cart_loaded.set(true);
                        }
                        catalogue.set(c);
                        parked.set(waiting);
                        load_error.set(None);
                    }
                    Err(e) => load_error.set(Some(e.to_string())),
                }
            });
        });
        Effect::new(move |_| {
            let current = cart.get();
            if !cart_loaded.get_untracked() {
                return;
            }
            spawn_local(async move {
                let saved = async { Storage::open_default().await?.save_cart(&current).await }.await;
                if let Err(e) = saved {
                    if e.stops_sales() {
                        storage_trouble.set(Some(e.to_string()));
                    }
                    load_error.set(Some(e.to_string()));
                }
            });
        });
        // A new version of the app waits while a sale is under way.
        if let Some(crate::SaleInProgress(in_progress)) = use_context::<crate::SaleInProgress>() {
            Effect::new(move |_| in_progress.set(!cart.with(Cart::is_empty) || state.dialog_open.get()));
            on_cleanup(move || in_progress.set(false));
        }
        state
    }

    fn settings(&self) -> Signal<possum_contract::settings::TerminalSettings> {
        let catalogue = self.catalogue;
        Signal::derive(move || catalogue.with(|c| c.settings.clone()))
    }

    /// An empty cart in the default price group.
    fn clear_cart(&self) {
        let group = self.catalogue.with_untracked(|c| c.settings.default_price_group);
        self.cart.set(Cart::new(group));
        self.highlighted.set(vec![]);
    }
}

#[component]
pub fn SaleScreen(
    state: SaleState,
    session: RwSignal<Session>,
    cashier: RwSignal<Option<Cashier>>,
    /// Called after a sale or park is stored: the outbox has news.
    on_queued: impl Fn() + Copy + Send + Sync + 'static,
    /// Called when a sale was completed offline because the sign-in expired.
    on_unauthorized: impl Fn() + Copy + Send + Sync + 'static,
    /// Called when api/Sale answered: the back office is reachable now.
    on_answered: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let SaleState { catalogue, load_error, cart, highlighted, parked, storage_trouble, .. } = state;
    let settings = state.settings();
    let message = RwSignal::new(None::<String>);
    // The payment being taken, as it started (the dialog keeps the rest).
    let paying = RwSignal::new(None::<Checkout>);
    let receipt = RwSignal::new(None::<LocalOrder>);
    let customer_code = RwSignal::new(String::new());
    let refunding = RwSignal::new(None::<RefundRequest>);
    let creating_customer = RwSignal::new(false);
    let may_refund = move || cashier.with(|c| c.as_ref().is_some_and(|c| c.may(Permission::Refund)));
    Effect::new(move |_| {
        state.dialog_open.set(paying.with(Option::is_some) || refunding.with(Option::is_some))
    });
    on_cleanup(move || state.dialog_open.set(false));

    let signed_in = move || cashier.with(Option::is_some);
    let pick = move |item: Item| {
        if !signed_in() {
            message.set(Some("Sign in a cashier before selling.".into()));
            return;
        }
        let added = catalogue.with_untracked(|c| c.article(&item)).and_then(|a| {
            let s = settings.get_untracked();
            let mut result = Ok(0);
            cart.update(|cart| result = cart.add(a, &s));
            result
        });
        message.set(added.err().map(|e| e.to_string()));
    };
    let attach = move |found: AttachedCustomer| {
        let s = settings.get_untracked();
        let group = found.customer.price_group;
        let warning = found
            .customer
            .locked
            .then(|| format!("{}'s card is locked: account payments will be refused.", found.customer.name));
        cart.update(|c| {
            c.customer = Some(found);
            if let Some(g) = group {
                c.set_price_group(g, &s);
            }
        });
        message.set(warning);
    };
    let look_up_customer = move |code: String| {
        spawn_local(async move {
            let found = look_up(&code).await;
            match found {
                Ok(Some(c)) => {
                    customer_code.set(String::new());
                    attach(c);
                }
                Ok(None) => {
                    message.set(Some(format!("No customer has the card, tag or licence plate “{code}”.")))
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
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
                Ok(Some(c)) => attach(c),
                Ok(None) if looks_misread(&code) => message.set(Some(format!(
                    "“{code}” is not a valid barcode (wrong check digit). Scan it again."
                ))),
                Ok(None) => message.set(Some(format!("Nothing matches the scanned code “{code}”."))),
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
                || creating_customer.get_untracked()
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
            message.set(Some("The cart is empty.".into()));
            return;
        }
        let s = settings.get_untracked();
        paying.set(Some(cart.with(|c| Checkout::for_cart(c, &s))));
        message.set(None);
    };
    let complete = move |paid: Checkout| {
        let Some(who) = cashier.get_untracked() else {
            paying.set(None);
            return;
        };
        spawn_local(async move {
            let s = settings.get_untracked();
            let current = cart.get_untracked();
            let result = checkout::complete(&session.get_untracked(), &who, &current, &paid, &s).await;
            paying.set(None);
            match result {
                Ok(done) => {
                    state.clear_cart();
                    message
                        .set(done.offline_because.as_ref().map(|e| format!("Sold offline and queued ({e})")));
                    if done.offline_because.as_ref().is_some_and(AppError::is_unauthorized) {
                        on_unauthorized();
                    }
                    if done.answered {
                        on_answered();
                    }
                    receipt.set(Some(done.order));
                    on_queued();
                }
                Err(AppError::Application(error)) => show_refusal(&error, message, highlighted),
                Err(e) => {
                    if e.stops_sales() {
                        storage_trouble.set(Some(e.to_string()));
                        let terminal = session.get_untracked().terminal_id;
                        crate::sync::device_log::write(
                            terminal,
                            LogLevel::Error,
                            "storage",
                            &format!("A sale could not be stored: {e}"),
                            None,
                        )
                        .await;
                    }
                    message.set(Some(e.to_string()));
                }
            }
        });
    };
    // A refund without a receipt: the cart's lines, all of them refundable.
    let start_refund = move |_| {
        let s = settings.get_untracked();
        let request = cart.with(|c| RefundRequest {
            title: "Refund without receipt".into(),
            items: refund::items(&c.lines.iter().flat_map(|l| order_lines(l, &s)).collect::<Vec<_>>()),
            refund_of: None,
            customer_id: c.customer.as_ref().map(|a| a.customer.id),
        });
        refunding.set(Some(request));
    };
    let park = move |_| {
        let Some(who) = cashier.get_untracked() else { return };
        let current = cart.get_untracked();
        if current.is_empty() {
            message.set(Some("The cart is empty: nothing to park.".into()));
            return;
        }
        let now = Utc::now();
        let label = match &current.customer {
            Some(c) => format!("{} {}", c.customer.name, crate::clock::hour_minute(now)),
            None => format!("Parked {}", crate::clock::time(now)),
        };
        let entry = Parked {
            id: Uuid::new_v4(),
            label,
            cart: current,
            cashier_name: who.name.clone(),
            parked_at: now,
        };
        spawn_local(async move {
            let stored = async {
                let record = open_order_entry(
                    &entry,
                    OpenOrderStatus::Parked,
                    &session.get_untracked(),
                    &who,
                    &settings.get_untracked(),
                )?;
                Storage::open_default().await?.park(&entry, &record).await
            }
            .await;
            match stored {
                Ok(()) => {
                    parked.update(|p| p.push(entry));
                    state.clear_cart();
                    message.set(None);
                    on_queued();
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let resume = move |id: Uuid| {
        let Some(who) = cashier.get_untracked() else { return };
        if !cart.with_untracked(Cart::is_empty) {
            message.set(Some("Finish or park the current sale before resuming another.".into()));
            return;
        }
        let Some(entry) = parked.with_untracked(|p| p.iter().find(|p| p.id == id).cloned()) else { return };
        spawn_local(async move {
            let stored = async {
                let record = open_order_entry(
                    &entry,
                    OpenOrderStatus::Resumed,
                    &session.get_untracked(),
                    &who,
                    &settings.get_untracked(),
                )?;
                Storage::open_default().await?.unpark(entry.id, &record).await
            }
            .await;
            match stored {
                Ok(()) => {
                    parked.update(|p| p.retain(|p| p.id != id));
                    cart.set(entry.cart);
                    message.set(None);
                    on_queued();
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let fmt = move |d| money::format(d, &settings.get_untracked());
    // The tiles follow the cart's price group, not every change of the cart.
    let price_group = Signal::from(Memo::new(move |_| cart.with(|c| c.price_group)));
    // The customer panel (and its account history read) follows the customer, not every tap.
    let attached = Memo::new(move |_| cart.with(|c| c.customer.clone()));

    view! {
        <div class="sale">
            <ProductList catalogue=catalogue price_group=price_group on_pick=pick />
            <div class="side">
                {move || load_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <section class="customer card" aria-labelledby="customer-title">
                    <h2 id="customer-title" class="visually-hidden">"Customer"</h2>
                    {move || match attached.get() {
                        Some(c) => view! {
                            <div data-testid="customer">
                                <p><strong>{c.customer.name.clone()}</strong>{c.customer.locked.then_some(" — card locked")}</p>
                                <p>{format!("Balance {} · credit line {}", fmt(c.customer.balance), fmt(c.customer.credit_line))}</p>
                                <DepositHistoryList customer_id=c.customer.id settings=settings />
                                <button type="button" on:click=move |_| cart.update(|c| c.customer = None)>"Remove customer"</button>
                            </div>
                        }.into_any(),
                        None => view! {
                            <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); look_up_customer(customer_code.get_untracked()) }>
                                <label for="customer-code">"Card number, tag or licence plate"</label>
                                <input id="customer-code" type="text" autocomplete="off" bind:value=customer_code />
                                <button type="submit">"Find customer"</button>
                                <button type="button" on:click=move |_| creating_customer.set(true) disabled=move || !signed_in()>"New customer"</button>
                            </form>
                        }.into_any(),
                    }}
                </section>
                <CartPanel cart=cart settings=settings cashier=cashier.into() highlighted=highlighted message=message />
                {move || storage_trouble.get().map(|why| view! {
                    <div class="notice" role="alert" data-testid="sales-stopped">
                        <p><strong>"Sales are stopped: this tablet could not store the last sale, so it was not completed."</strong></p>
                        <p>{why}</p>
                        <p>"Send what waits (Sync now) and free space on the tablet, then try again. The cart is kept."</p>
                        <button type="button" on:click=move |_| storage_trouble.set(None)>"Try again"</button>
                    </div>
                })}
                <div class="actions sale-actions">
                    <button type="button" class="primary pay" on:click=start_payment disabled=move || !signed_in() || cart.with(Cart::is_empty) || storage_trouble.with(Option::is_some)>"Pay"</button>
                    <button type="button" on:click=park disabled=move || !signed_in() || cart.with(Cart::is_empty)>"Park sale"</button>
                    <button type="button" on:click=move |_| { state.clear_cart(); message.set(None); }
                        disabled=move || cart.with(|c| c.is_empty() && c.customer.is_none())>"Clear cart"</button>
                    <Show when=may_refund>
                        <button type="button" on:click=start_refund disabled=move || cart.with(Cart::is_empty)>"Refund without receipt"</button>
                    </Show>
                </div>
                <Show when=move || parked.with(|p| !p.is_empty())>
                    <section class="parked card" aria-labelledby="parked-title">
                        <h2 id="parked-title">{move || format!("Parked sales ({})", parked.with(Vec::len))}</h2>
                        <ul>
                            {move || parked.get().into_iter().map(|p| {
                                let id = p.id;
                                view! {
                                    <li data-testid="parked">
                                        {format!("{} · {} items · {}", p.label, p.cart.totals(&settings.get_untracked()).items, p.cashier_name)}
                                        <button type="button" on:click=move |_| resume(id) disabled=move || !signed_in()>{format!("Resume {}", p.label)}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                </Show>
            </div>
        </div>
        {move || paying.get().map(|start| view! {
            <PaymentDialog
                start=start
                settings=settings.get_untracked()
                methods=desk_methods(&settings.get_untracked(), session.get_untracked().client_number)
                on_complete=complete
                on_cancel=move || paying.set(None)
            />
        })}
        <Show when=move || creating_customer.get()>
            <NewCustomerDialog
                on_created=move |customer| {
                    creating_customer.set(false);
                    let by = if customer.card_number.is_some() { IdentifiedBy::CardNumber } else { IdentifiedBy::LicensePlate };
                    let created = format!("{} is a customer now; the back office hears of it with the next sync.", customer.name);
                    attach(AttachedCustomer { customer, by });
                    message.set(Some(created));
                    on_queued();
                }
                on_cancel=move || creating_customer.set(false)
            />
        </Show>
        {move || refunding.get().zip(cashier.get()).map(|(request, by)| view! {
            <RefundDialog
                request=request
                session=session.get_untracked()
                cashier=by
                settings=settings.get_untracked()
                on_done=move |order| {
                    refunding.set(None);
                    state.clear_cart();
                    receipt.set(Some(order));
                    on_queued();
                }
                on_cancel=move || refunding.set(None)
            />
        })}
        {move || receipt.get().map(|order| view! {
            <Receipt order=order settings=settings.get_untracked() copy=false on_close=move || receipt.set(None) />
        })}
    }
}
