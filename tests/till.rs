//! The till as a busy cashier works it, in headless Chromium: whether the
//! back office answers (from the terminal's own calls) and the strip's words
//! for it, what waits to be sent in a cashier's words with right plurals, the
//! product grid's count and the desk's favourites as its first page, and the
//! cashier sign-in's PIN pad with a card swipe beside it.

mod support;

use chrono::{Duration, Local, TimeZone, Utc};
use leptos::prelude::*;
use possum_contract::endpoints::PushKind;
use possum_register::outbox::State;
use possum_terminal::error::{AppError, StorageError};
use possum_terminal::screens::cashier::CashierSignIn;
use possum_terminal::screens::outbox::waiting_text;
use possum_terminal::screens::sale::product_list::{count_text, favourites_first, Shown};
use possum_terminal::screens::status::{reach_text, trouble};
use possum_terminal::sync::status::Reach;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// 10:42 today, in the tablet's zone (what the strip shows).
fn today_at(hour: u32, minute: u32) -> chrono::DateTime<Utc> {
    let today = Local::now().date_naive().and_hms_opt(hour, minute, 0).unwrap();
    Local.from_local_datetime(&today).single().unwrap().with_timezone(&Utc)
}

#[wasm_bindgen_test]
fn the_back_office_is_unreachable_since_the_first_failed_call_and_answers_again_at_once() {
    let first = today_at(10, 42);
    let later = first + Duration::minutes(5);
    let reach = Reach::Unknown.after(false, first);
    assert_eq!(reach, Reach::Unreachable { since: first });
    // Further failures keep the time it went away.
    assert_eq!(reach.after(false, later), Reach::Unreachable { since: first });
    assert_eq!(reach.after(false, later).after(true, later), Reach::Answers { at: later });
    assert_eq!(Reach::Answers { at: first }.after(false, later), Reach::Unreachable { since: later });
    let now = today_at(11, 0);
    assert_eq!(reach_text(Reach::Unknown, now), "Connecting to the back office…");
    assert_eq!(reach_text(Reach::Answers { at: first }, now), "Back office connected");
    assert_eq!(reach_text(reach, now), "Back office unreachable since 10:42");
    // Since yesterday: the date too.
    let yesterday = first - Duration::days(1);
    let text = reach_text(Reach::Unreachable { since: yesterday }, now);
    assert_eq!(
        text,
        format!("Back office unreachable since {}", yesterday.with_timezone(&Local).format("%Y-%m-%d 10:42"))
    );
}

#[wasm_bindgen_test]
fn only_a_call_that_found_no_back_office_makes_it_unreachable() {
    assert_eq!(Reach::of_failure(&AppError::Network("refused".into())), Some(false));
    let in_pull = AppError::Network("refused".into()).in_step("the invoice counter");
    assert_eq!(Reach::of_failure(&in_pull), Some(false));
    // An answer, even a refusal or an error of its own, means it is there.
    for answered in [AppError::Server(500), AppError::Unauthorized, AppError::BadAnswer("x".into())] {
        assert_eq!(Reach::of_failure(&answered), Some(true), "{answered}");
    }
    // The tablet's own failure says nothing of the back office.
    assert_eq!(Reach::of_failure(&AppError::Storage(StorageError::Full)), None);
}

#[wasm_bindgen_test]
fn the_strip_links_to_the_sync_screen_only_for_what_the_indicator_does_not_say() {
    let network = AppError::Network("refused".into());
    assert_eq!(trouble(Some(&network), Some(&network)), None);
    assert_eq!(trouble(Some(&AppError::Unauthorized), None), None);
    assert_eq!(trouble(Some(&AppError::Server(500)), None), Some("Sync problem: see Sync"));
    assert_eq!(trouble(None, Some(&AppError::Server(503))), Some("Sync problem: see Sync"));
    let full = AppError::Storage(StorageError::Full);
    assert_eq!(trouble(Some(&AppError::Server(500)), Some(&full)), Some("Storage problem: see Sync"));
    assert_eq!(trouble(None, None), None);
}

#[wasm_bindgen_test]
fn what_waits_is_said_in_a_cashiers_words_with_right_plurals_and_since_when() {
    let now = today_at(12, 0);
    let at = today_at(10, 42);
    let pending = |kind, minutes| (kind, State::Pending, at + Duration::minutes(minutes));
    assert_eq!(waiting_text([], now), "Nothing waiting to be sent");
    // What needs attention is not "waiting": the strip's attention link counts it.
    assert_eq!(waiting_text([(PushKind::Order, State::Attention, at)], now), "Nothing waiting to be sent");
    assert_eq!(waiting_text([pending(PushKind::Order, 0)], now), "1 sale waiting to be sent since 10:42");
    let three = [pending(PushKind::Order, 3), pending(PushKind::Order, 1), pending(PushKind::Order, 2)];
    assert_eq!(waiting_text(three, now), "3 sales waiting to be sent since 10:43");
    // Device logs and invoice counters count only when no sale waits, as "records", never "1 device logs".
    let others = [pending(PushKind::DeviceLog, 0), pending(PushKind::InvoiceCounter, 5)];
    assert_eq!(waiting_text(others, now), "2 records waiting to be sent since 10:42");
    assert_eq!(
        waiting_text([pending(PushKind::DeviceLog, 0)], now),
        "1 record waiting to be sent since 10:42"
    );
    let mixed = [pending(PushKind::DeviceLog, 0), pending(PushKind::Order, 10)];
    assert_eq!(waiting_text(mixed, now), "1 sale waiting to be sent since 10:52");
}

#[wasm_bindgen_test]
fn the_grid_counts_products_and_combinations_as_the_strip_does() {
    assert_eq!(count_text(13, 2, false), "13 products, 2 combinations");
    assert_eq!(count_text(1, 1, false), "1 product, 1 combination");
    assert_eq!(count_text(12, 0, false), "12 products");
    assert_eq!(count_text(0, 1, true), "1 combination found");
    assert_eq!(count_text(3, 0, true), "3 products found");
    assert_eq!(count_text(0, 0, true), "Nothing found");
}

#[wasm_bindgen_test]
fn the_favourites_fill_the_first_rows_in_the_owners_order_and_the_rest_starts_on_the_next_row() {
    let articles = ["K200", "W100", "W200", "X10", "S100"];
    let favourites: Vec<String> = ["X10", "W100", "GONE"].map(String::from).to_vec();
    let shown = favourites_first(|i| articles[i as usize], &favourites, vec![0, 1, 2, 3, 4]);
    // The article the catalogue no longer has is skipped; each item shows once.
    assert_eq!(shown, Shown { items: vec![3, 1, 0, 2, 4], favourites: 2 });
    // Three to a row: the two favourites, a gap, then the rest.
    let grid: Vec<Option<u32>> = (0..shown.places(3)).map(|p| shown.at(p, 3)).collect();
    assert_eq!(grid, vec![Some(3), Some(1), None, Some(0), Some(2), Some(4)]);
    // Two to a row: no gap is needed.
    let grid: Vec<Option<u32>> = (0..shown.places(2)).map(|p| shown.at(p, 2)).collect();
    assert_eq!(grid, vec![Some(3), Some(1), Some(0), Some(2), Some(4)]);
    assert_eq!(shown.at(99, 3), None);
    // No favourites: the hits as they are.
    let plain = favourites_first(|i| articles[i as usize], &[], vec![4, 0]);
    assert_eq!(plain, Shown { items: vec![4, 0], favourites: 0 });
    assert_eq!(Shown::default().places(3), 0);
}

fn key(target: &web_sys::EventTarget, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    target
        .dispatch_event(&KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn the_pin_pad_types_the_pin_without_taking_the_focus_and_a_swipe_reaches_the_card_field() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), || {
        // The words of every screen come from the translation context (English here).
        possum_terminal::language::provide();
        view! { <CashierSignIn on_signed_in=|_| {} /> }
    });
    support::sleep(50).await;
    let field = |id: &str| -> HtmlInputElement { document.get_element_by_id(id).unwrap().unchecked_into() };
    let pad_key = |name: &str| -> HtmlElement {
        let keys = host.query_selector_all(".pin-pad button").unwrap();
        (0..keys.length())
            .map(|i| keys.item(i).unwrap().unchecked_into::<HtmlElement>())
            .find(|b| {
                b.get_attribute("aria-label").unwrap_or_else(|| b.text_content().unwrap_or_default()) == name
            })
            .unwrap_or_else(|| panic!("no pad key {name}"))
    };
    for digit in ["2", "4", "6", "8"] {
        pad_key(digit).click();
    }
    pad_key("Delete last digit").click();
    support::sleep(20).await;
    assert_eq!(field("cashier-pin").value(), "246");
    pad_key("Clear").click();
    support::sleep(20).await;
    assert_eq!(field("cashier-pin").value(), "");
    assert_eq!(host.query_selector_all(".pin-pad button").unwrap().length(), 12);

    // The focus left on the page (a tap beside the form): a swipe's digits reach the card field.
    if let Some(active) = document.active_element() {
        active.unchecked_into::<HtmlElement>().blur().unwrap();
    }
    let body: web_sys::EventTarget = document.body().unwrap().into();
    for digit in ["1", "0", "0", "1"] {
        key(&body, digit);
    }
    support::sleep(20).await;
    assert_eq!(field("cashier-card").value(), "1001");
    assert_eq!(document.active_element().map(|e| e.id()), Some("cashier-card".to_string()));
    assert_eq!(field("cashier-pin").value(), "");
    drop(handle);
    host.remove();
}
