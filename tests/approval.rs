//! The manager-approval dialog in headless Chromium, with the back office
//! out of reach: the tablet checks the PIN against the cached hash (argon2,
//! compiled to wasm), only within the offline limit, and says why not.

mod support;

use leptos::prelude::*;
use possum_contract::activity::StaffApproval;
use possum_contract::catalogue::{Permission, Role, User};
use possum_contract::settings::TerminalSettings;
use possum_terminal::screens::approval::{ApprovalAsk, ApprovalForm};
use possum_terminal::session::Session;
use possum_terminal::sync::approval::Wanted;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// argon2id of "1234" with the back office's parameters, made by another implementation (argon2-cffi).
const HASH_OF_1234: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$vdfgGdWKUQc/TqViHr3SVQ$xpENLJdPeJmqNf9uK9Bb4ZIehORgJbuOw4+h2P4sh5Y";

fn manager(name: &str, card: &str) -> User {
    User {
        id: Uuid::new_v4(),
        name: name.into(),
        role: Role::Manager,
        cashier_card_number: Some(card.into()),
        pin_hash: Some(HASH_OF_1234.into()),
        active: true,
    }
}

/// A session whose back office nobody answers (the discard port): every call fails at once.
fn unreachable() -> Session {
    Session {
        base_url: "http://127.0.0.1:9".into(),
        username: "terminal.user@possum.com".into(),
        access_token: "a.b.c".into(),
        expires: chrono::Utc::now() + chrono::Duration::hours(1),
        terminal_id: Uuid::new_v4(),
        client_number: 1,
    }
}

struct Mounted {
    host: HtmlElement,
    approved: RwSignal<Option<StaffApproval>>,
}

impl Mounted {
    fn new(managers: Vec<User>, amount: &str) -> Self {
        let document = web_sys::window().unwrap().document().unwrap();
        let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        let approved = RwSignal::new(None);
        let ask = ApprovalAsk {
            what: "Take 10% off Basic wash".into(),
            wanted: Wanted {
                order_id: Uuid::new_v4(),
                permission: Permission::Discount,
                amount: amount.parse().unwrap(),
            },
            then: Callback::new(|_| {}),
        };
        let handle = leptos::mount::mount_to(host.clone(), move || {
            // The words of every screen come from the translation context (English here).
            possum_terminal::language::provide();
            view! {
                <ApprovalForm
                    ask=ask.clone()
                    managers=managers.clone()
                    session=unreachable()
                    settings=TerminalSettings::default()
                    on_duty=None
                    on_done=Callback::new(move |a| approved.set(Some(a)))
                    on_cancel=Callback::new(|_| {})
                />
            }
        });
        handle.forget();
        Self { host, approved }
    }

    fn field(&self, id: &str) -> HtmlInputElement {
        self.host.query_selector(&format!("#{id}")).unwrap().expect(id).unchecked_into()
    }

    fn type_into(&self, id: &str, text: &str) {
        let field = self.field(id);
        field.set_value(text);
        field.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    }

    /// Taps "Approve" (the form's submit button).
    fn approve(&self) {
        let button: HtmlElement =
            self.host.query_selector("button[type=submit]").unwrap().expect("Approve").unchecked_into();
        button.click();
    }

    /// The error shown, once the check (argon2 takes a moment) has answered.
    async fn error(&self) -> String {
        for _ in 0..100 {
            support::sleep(50).await;
            if let Some(e) = self.host.query_selector("[data-testid=approval-error]").unwrap() {
                return e.text_content().unwrap_or_default();
            }
            if self.approved.get_untracked().is_some() {
                return String::new();
            }
        }
        panic!("no answer: {}", self.host.inner_html());
    }
}

#[wasm_bindgen_test]
async fn offline_the_tablet_checks_the_managers_pin_within_the_limit() {
    let magnus = manager("Magnus Manager", "2001");
    let m = Mounted::new(vec![magnus.clone()], "150.00");
    support::sleep(20).await;
    assert!(m.host.text_content().unwrap().contains("Take 10% off Basic wash"));
    m.approve();
    assert_eq!(m.error().await, "Type Magnus Manager's PIN.");
    m.type_into("approval-pin", "9999");
    m.approve();
    assert_eq!(m.error().await, "That is not Magnus Manager's PIN.");
    assert_eq!(m.field("approval-pin").value(), "", "a PIN never stays in the field");
    m.type_into("approval-pin", "1234");
    m.approve();
    assert_eq!(m.error().await, "");
    assert_eq!(m.approved.get_untracked(), Some(StaffApproval { user_id: magnus.id, offline: true }));
}

#[wasm_bindgen_test]
async fn offline_more_than_the_limit_needs_the_back_office_whatever_the_pin() {
    let m = Mounted::new(vec![manager("Magnus Manager", "2001")], "200.01");
    m.type_into("approval-pin", "1234");
    m.approve();
    let said = m.error().await;
    assert!(said.contains("200.01 SEK") && said.contains("200.00 SEK"), "{said}");
    assert!(said.contains("needs the back office"), "{said}");
    assert_eq!(m.approved.get_untracked(), None);
}

#[wasm_bindgen_test]
async fn the_manager_is_picked_by_name_or_by_a_card_swipe() {
    let (magnus, maria) = (manager("Magnus Manager", "2001"), manager("Maria Manager", "2002"));
    let m = Mounted::new(vec![magnus, maria.clone()], "10");
    support::sleep(20).await;
    // Two managers: nobody is picked for them.
    m.type_into("approval-pin", "1234");
    m.approve();
    assert_eq!(m.error().await, "Choose the manager who approves.");
    let radios = m.host.query_selector_all("input[type=radio]").unwrap();
    assert_eq!(radios.length(), 2);
    // A card reader types the number into the card field (and Enter, which ends the change).
    let swipe = |card: &str| {
        m.type_into("approval-card", card);
        m.field("approval-card").dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    };
    swipe("7777");
    assert_eq!(m.error().await, "No manager has the card “7777”.");
    swipe("2002");
    support::sleep(20).await;
    let second: HtmlInputElement = radios.item(1).unwrap().unchecked_into();
    assert!(second.checked(), "Maria is picked by her card");
    m.type_into("approval-pin", "1234");
    m.approve();
    m.error().await;
    assert_eq!(m.approved.get_untracked().map(|a| a.user_id), Some(maria.id));
}
