//! The installed app: registers the service worker (`sw.js`, written by the
//! build) and tells the terminal when a new version waits. The new version
//! takes over only when staff accept it, never in the middle of a sale; the
//! IndexedDB data (queued records included) is not touched by an update, and
//! a new schema upgrades it on the new version's first start.

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
}

fn service_workers() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // Browsers without service workers (or an http:// origin other than localhost) still run the terminal.
    js_sys::Reflect::has(&navigator, &"serviceWorker".into()).ok()?.then(|| navigator.service_worker())
}

/// Calls `f` on every `event` of `target` for the life of the page.
fn on(target: &web_sys::EventTarget, event: &str, f: impl FnMut() + 'static) {
    let callback = Closure::<dyn FnMut()>::new(f);
    let _ = target.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
    callback.forget();
}

/// Registers the service worker; `waiting` turns true when a new version is installed and waits.
pub fn register(waiting: RwSignal<bool>) {
    let Some(container) = service_workers() else { return };
    spawn_local(async move {
        let registered = JsFuture::from(container.register("/sw.js")).await;
        // Checked, not cast: a browser that blocks service workers (policy, an
        // automated test) may resolve with no registration at all.
        let Some(registration) = registered.ok().and_then(|r| r.dyn_into::<ServiceWorkerRegistration>().ok())
        else {
            web_sys::console::warn_1(
                &"the service worker could not be registered: the terminal will not start offline".into(),
            );
            return;
        };
        // Only an update waits: the first install takes over at once.
        let has_controller = move || service_workers().and_then(|c| c.controller()).is_some();
        if registration.waiting().is_some() && has_controller() {
            waiting.set(true);
        }
        let watched = registration.clone();
        on(&registration, "updatefound", move || {
            let Some(worker) = watched.installing() else { return };
            let installing = worker.clone();
            on(&worker, "statechange", move || {
                if installing.state() == ServiceWorkerState::Installed && has_controller() {
                    waiting.set(true);
                }
            });
        });
        REGISTRATION.with(|r| *r.borrow_mut() = Some(registration));
    });
}

/// Asks the browser to look for a new version now (after each sync).
pub fn check_for_update() {
    if let Some(registration) = REGISTRATION.with(|r| r.borrow().clone()) {
        if let Ok(promise) = registration.update() {
            spawn_local(async move {
                let _ = JsFuture::from(promise).await;
            });
        }
    }
}

/// Lets the waiting version take over, then reloads into it.
pub fn apply_update() {
    let (Some(container), Some(registration)) =
        (service_workers(), REGISTRATION.with(|r| r.borrow().clone()))
    else {
        return;
    };
    let Some(worker) = registration.waiting() else { return };
    on(&container, "controllerchange", || {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into());
    let _ = worker.post_message(&message);
}
