//! Screen components mounted in headless Chromium: the cart's arithmetic as
//! the cashier sees it, price changes waiting for a manager's approval, and
//! every `api/Sale` refusal as the cart shows it.

mod support;

use leptos::prelude::*;
use possum_contract::activity::StaffApproval;
use possum_contract::catalogue::{GroupPrice, Permission, Role};
use possum_contract::error::{ApplicationErrorCode, ErrorResponse};
use possum_contract::settings::{PriceGroup, TerminalSettings};
use possum_register::cart::{Article, Cart, Part};
use possum_terminal::cashier::Cashier;
use possum_terminal::screens::approval::ApprovalAsk;
use possum_terminal::screens::sale::cart::{show_refusal, CartPanel};
use rust_decimal::Decimal;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn article(number: &str, name: &str, price: &str, vat: u32, parts: Vec<Part>) -> Article {
    Article {
        article_number: number.into(),
        name: name.into(),
        prices: vec![GroupPrice { price_group: 1, price: price.parse().unwrap() }],
        vat_percent: Decimal::from(vat),
        is_wash: number.starts_with('W'),
        blocked: false,
        parts,
    }
}

fn part(number: &str, name: &str, price: &str) -> Part {
    Part {
        article_number: number.into(),
        name: name.into(),
        quantity: 1,
        list_price: price.parse().unwrap(),
        vat_percent: Decimal::from(25),
        is_wash: false,
    }
}

fn cashier(role: Role) -> Cashier {
    Cashier { id: uuid::Uuid::new_v4(), name: format!("{role:?}"), role, card: None }
}

struct Mounted {
    host: HtmlElement,
    cart: RwSignal<Cart>,
    who: RwSignal<Option<Cashier>>,
    message: RwSignal<Option<String>>,
    highlighted: RwSignal<Vec<String>>,
    approving: RwSignal<Option<ApprovalAsk>>,
}

/// The settings of the mounted cart: two price groups to choose from.
fn settings() -> TerminalSettings {
    TerminalSettings {
        price_groups: vec![
            PriceGroup { number: 1, name: "Standard".into() },
            PriceGroup { number: 3, name: "Fleet".into() },
        ],
        ..TerminalSettings::default()
    }
}

impl Mounted {
    fn new(cart: Cart) -> Self {
        let document = web_sys::window().unwrap().document().unwrap();
        let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        let (cart, who) = (RwSignal::new(cart), RwSignal::new(Some(cashier(Role::Cashier))));
        let (message, highlighted, approving) =
            (RwSignal::new(None), RwSignal::new(vec![]), RwSignal::new(None));
        let settings = Signal::derive(settings);
        let handle = leptos::mount::mount_to(host.clone(), move || {
            // The words of every screen come from the translation context (English here).
            possum_terminal::language::provide();
            view! {
                <CartPanel
                    cart=cart
                    settings=settings
                    cashier=who.into()
                    highlighted=highlighted
                    message=message
                    approving=approving
                />
            }
        });
        handle.forget();
        Self { host, cart, who, message, highlighted, approving }
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.host.query_selector_all(selector).unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into()).collect()
    }

    fn text(&self, selector: &str) -> String {
        self.host
            .query_selector(selector)
            .unwrap()
            .map(|e| e.text_content().unwrap_or_default())
            .unwrap_or_default()
    }

    /// The manager approves what waits: the ask's `then` runs, as the dialog runs it.
    fn approve(&self, offline: bool) -> ApprovalAsk {
        let ask = self.approving.get_untracked().expect("an approval is asked");
        self.approving.set(None);
        ask.then.run(StaffApproval { user_id: uuid::Uuid::new_v4(), offline });
        ask
    }

    /// Types `text` into the price field of `article`'s line and presses its button `label`.
    fn change_line(&self, article: &str, text: &str, label: &str) {
        let line = self.host.query_selector(&format!("[data-article={article}]")).unwrap().unwrap();
        let field: HtmlInputElement =
            line.query_selector("details.override input").unwrap().unwrap().unchecked_into();
        field.set_value(text);
        field.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
        let buttons = line.query_selector_all("details.override button").unwrap();
        (0..buttons.length())
            .map(|i| buttons.item(i).unwrap().unchecked_into::<HtmlElement>())
            .find(|b| b.text_content().as_deref() == Some(label))
            .expect(label)
            .click();
    }

    fn button(&self, label: &str) -> HtmlElement {
        self.all("button")
            .into_iter()
            .find(|b| b.get_attribute("aria-label").as_deref() == Some(label))
            .expect(label)
            .unchecked_into()
    }
}

async fn settle() {
    support::sleep(20).await;
}

fn sample_cart() -> Cart {
    let s = TerminalSettings::default();
    let mut cart = Cart::new(1);
    cart.add(article("W100", "Basic wash", "149.00", 25, vec![]), &s).unwrap();
    cart.add(
        article(
            "K200",
            "Premium wash + hot wax",
            "269.00",
            25,
            vec![part("W200", "Premium wash", "229.00"), part("X30", "Hot wax", "79.00")],
        ),
        &s,
    )
    .unwrap();
    cart.add(article("C100", "Coffee", "25.00", 12, vec![]), &s).unwrap();
    cart
}

#[wasm_bindgen_test]
async fn the_cart_shows_lines_vat_per_rate_and_totals_and_follows_the_buttons() {
    let m = Mounted::new(sample_cart());
    settle().await;
    let totals: Vec<String> =
        m.all("[data-testid=line-total]").iter().map(|e| e.text_content().unwrap()).collect();
    assert_eq!(totals, ["149.00 SEK", "269.00 SEK", "25.00 SEK"]);
    assert_eq!(m.text("[data-testid=cart-total]"), "443.00 SEK");
    let summary = m.text(".totals");
    // 418.00 at 25 % holds 83.60 VAT; 25.00 at 12 % holds 2.68.
    assert!(summary.contains("VAT 25%83.60 SEK") && summary.contains("VAT 12%2.68 SEK"), "{summary}");
    assert!(m.text("[data-article=K200]").contains("1 × Premium wash, 1 × Hot wax"));

    m.button("One more Basic wash").click();
    settle().await;
    assert_eq!(m.text("[data-testid=cart-total]"), "592.00 SEK");
    assert_eq!(m.cart.with_untracked(|c| c.lines[0].quantity), 2);

    // A quantity that is not a number is refused with a message and changes nothing.
    let quantity: HtmlInputElement =
        m.host.query_selector("input[aria-label='Quantity of Coffee']").unwrap().unwrap().unchecked_into();
    quantity.set_value("two");
    quantity.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
    assert!(m.message.get_untracked().is_some());
    assert!(!m.text("[data-testid=cart-message]").is_empty());
    assert_eq!(m.text("[data-testid=cart-total]"), "592.00 SEK");

    m.button("Remove Coffee").click();
    settle().await;
    assert_eq!(m.all("[data-testid=cart-line]").len(), 2);
    assert_eq!(m.text("[data-testid=cart-total]"), "567.00 SEK");
}

#[wasm_bindgen_test]
async fn a_price_change_or_discount_waits_for_a_managers_approval() {
    let m = Mounted::new(sample_cart());
    settle().await;
    // Every cashier may ask; nobody changes a price without the manager's proof.
    assert_eq!(m.all("details.override").len(), 3);
    m.change_line("W100", "120", "Set price");
    settle().await;
    assert_eq!(
        m.text("[data-article=W100] [data-testid=line-total]"),
        "149.00 SEK",
        "unchanged until approved"
    );
    let ask = m.approving.get_untracked().expect("the manager is asked");
    assert_eq!(ask.wanted.permission, Permission::PriceOverride);
    assert_eq!(ask.wanted.order_id, m.cart.with_untracked(|c| c.order_id), "approved for the sale's own id");
    assert_eq!(ask.wanted.amount, "29.00".parse::<Decimal>().unwrap());
    assert!(ask.what.contains("Basic wash") && ask.what.contains("29.00 SEK"), "{}", ask.what);
    m.approve(true);
    settle().await;
    assert_eq!(m.text("[data-article=W100] [data-testid=line-total]"), "120.00 SEK");
    assert_eq!(m.cart.with_untracked(|c| c.approval.as_ref().map(|a| a.offline)), Some(true));
    assert!(m.text("[data-testid=cart-approval]").contains("on this tablet alone"));

    m.change_line("C100", "10", "Discount %");
    settle().await;
    assert_eq!(m.approve(false).wanted.permission, Permission::Discount);
    settle().await;
    assert_eq!(m.text("[data-article=C100] [data-testid=line-total]"), "22.50 SEK");

    // More than MaxDiscountPercent is refused at once: no approval allows it.
    m.change_line("C100", "60", "Discount %");
    settle().await;
    assert!(m.approving.get_untracked().is_none());
    assert!(
        m.text("[data-testid=cart-message]").contains("At most 50%"),
        "{}",
        m.text("[data-testid=cart-message]")
    );
    assert_eq!(m.text("[data-article=C100] [data-testid=line-total]"), "22.50 SEK");
}

#[wasm_bindgen_test]
async fn another_price_group_chosen_by_hand_waits_for_approval_and_cancel_keeps_the_old() {
    let m = Mounted::new(sample_cart());
    settle().await;
    let select = m.host.query_selector("#price-group").unwrap().unwrap();
    let shown = || js_sys::Reflect::get(&select, &"value".into()).unwrap().as_string().unwrap();
    let choose = |group: &str| {
        js_sys::Reflect::set(&select, &"value".into(), &group.into()).unwrap();
        select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    };
    choose("3");
    settle().await;
    let ask = m.approving.get_untracked().expect("the manager is asked");
    assert!(ask.what.contains("Fleet"), "{}", ask.what);
    assert_eq!(shown(), "1", "the select shows the cart's group until approved");
    m.approving.set(None); // Cancel
    settle().await;
    assert_eq!((m.cart.with_untracked(|c| c.price_group), shown().as_str()), (1, "1"));

    choose("3");
    settle().await;
    m.approve(false);
    settle().await;
    assert_eq!((m.cart.with_untracked(|c| c.price_group), shown().as_str()), (3, "3"));
    // Back to the default group needs nobody.
    choose("1");
    settle().await;
    assert!(m.approving.get_untracked().is_none());
    assert_eq!(m.cart.with_untracked(|c| c.price_group), 1);
}

#[wasm_bindgen_test]
async fn every_refusal_shows_what_happened_and_what_to_do_and_marks_the_lines_it_names() {
    let m = Mounted::new(sample_cart());
    settle().await;
    for code in ApplicationErrorCode::DOCUMENTED.into_iter().chain([ApplicationErrorCode::Unknown(99)]) {
        let error = match code {
            ApplicationErrorCode::ArticleNotFound | ApplicationErrorCode::ArticleBlocked => {
                ErrorResponse::with_data(code, vec!["C100".into()])
            }
            _ => ErrorResponse::new(code),
        };
        m.highlighted.set(vec![]);
        show_refusal(&error, m.message, m.highlighted, possum_terminal::i18n::Locale::en);
        settle().await;
        let shown = m.text("[data-testid=cart-message]");
        assert!(shown.len() > 40, "{code:?}: {shown}");
        assert_eq!(
            m.host.query_selector("[role=alert]").unwrap().map(|e| e.text_content().unwrap()),
            Some(shown.clone())
        );
        let marked: Vec<String> =
            m.all(".cart-line.marked").iter().map(|e| e.get_attribute("data-article").unwrap()).collect();
        let expected: Vec<String> = if error.data.is_some() { vec!["C100".into()] } else { vec![] };
        assert_eq!(marked, expected, "{code:?}");
        if !marked.is_empty() {
            assert!(m.text("[data-article=C100]").contains("Refused by the back office"));
        }
    }
    // Every code says something of its own.
    let mut messages = std::collections::HashSet::new();
    for code in ApplicationErrorCode::DOCUMENTED {
        show_refusal(&ErrorResponse::new(code), m.message, m.highlighted, possum_terminal::i18n::Locale::en);
        messages.insert(m.message.get_untracked().unwrap());
    }
    assert_eq!(messages.len(), ApplicationErrorCode::DOCUMENTED.len());
}

#[wasm_bindgen_test]
async fn a_price_change_takes_an_amount_as_staff_type_it_with_a_comma() {
    let m = Mounted::new(sample_cart());
    m.who.set(Some(cashier(Role::Manager)));
    settle().await;
    // "49,50" is how a Swedish keyboard types it; it was refused as "not an amount".
    m.change_line("C100", "49,50", "Set price");
    settle().await;
    assert_eq!(m.message.get_untracked(), None);
    // A manager on duty is asked too: the PIN is the proof.
    m.approve(false);
    settle().await;
    assert_eq!(m.text("[data-article=C100] [data-testid=line-total]"), "49.50 SEK");

    // What is not an amount is refused with a message and changes nothing.
    m.change_line("C100", "49,5,0", "Set price");
    settle().await;
    assert!(m.text("[data-testid=cart-message]").contains("is not an amount"));
    assert!(m.approving.get_untracked().is_none());
    assert!(m.text("[data-article=C100]").contains("49.50 SEK"));
}

#[wasm_bindgen_test]
async fn a_slower_older_load_never_replaces_a_newer_one() {
    use possum_terminal::tasks::reload_on;
    // Version 1 is read slowly (a catalogue of 50,000 products read while a
    // pull stored more); version 2 quickly. The old pattern (an Effect that
    // spawned each read and set a signal when it ended) showed version 1 last.
    let version = RwSignal::new(1u32);
    let shown = RwSignal::new(0u32);
    let owner = Owner::new();
    owner.with(|| {
        reload_on(
            version.into(),
            move || {
                let v = version.get_untracked();
                async move {
                    support::sleep(if v == 1 { 300 } else { 20 }).await;
                    v
                }
            },
            move |v| shown.set(v),
        );
    });
    support::sleep(50).await;
    version.set(2);
    support::sleep(500).await;
    assert_eq!(shown.get_untracked(), 2, "the newer read stays shown");
    drop(owner);
}
