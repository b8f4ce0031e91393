//! What the terminal's tabs share: one flush at a time (Web Locks), writers
//! that take turns (the journal's), and a notice when the outbox changed, so
//! every tab shows the same status.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

const FLUSH_LOCK: &str = "possum-outbox-flush";
const CHANNEL: &str = "possum-outbox";

/// Runs `work` while holding the flush lock; returns `false` at once, without
/// running it, when another tab holds the lock. Without Web Locks (an old
/// browser) it simply runs.
pub async fn exclusively(work: impl Future<Output = ()> + 'static) -> bool {
    let locks = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| js_sys::Reflect::get(&n, &"locks".into()).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let Some(locks) = locks else {
        work.await;
        return true;
    };
    let ran = Rc::new(RefCell::new(false));
    let work = Rc::new(RefCell::new(Some(work)));
    let callback = {
        let ran = ran.clone();
        Closure::once(move |lock: JsValue| -> js_sys::Promise {
            let Some(work) = work.borrow_mut().take().filter(|_| !lock.is_null()) else {
                return js_sys::Promise::resolve(&JsValue::FALSE);
            };
            *ran.borrow_mut() = true;
            future_to_promise(async move {
                work.await;
                Ok(JsValue::TRUE)
            })
        })
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let request = js_sys::Reflect::get(&locks, &"request".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call3(&locks, &FLUSH_LOCK.into(), &options, callback.as_ref().unchecked_ref()).ok());
    if let Some(promise) = request.and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) {
        let _ = JsFuture::from(promise).await;
    }
    let ran = *ran.borrow();
    ran
}

/// Runs `work` holding the Web Lock `name`, waiting while another tab (or
/// this one) holds it: one writer at a time, in turn, across tabs. Without
/// Web Locks (an old browser) it simply runs. Not reentrant: `work` must not
/// ask for the same lock again.
pub async fn in_turn<T: 'static>(name: &str, work: impl Future<Output = T> + 'static) -> T {
    let locks = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| js_sys::Reflect::get(&n, &"locks".into()).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let request = locks.as_ref().and_then(|locks| {
        js_sys::Reflect::get(locks, &"request".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    });
    let (Some(locks), Some(request)) = (locks, request) else {
        return work.await;
    };
    let out = Rc::new(RefCell::new(None));
    let work = Rc::new(RefCell::new(Some(work)));
    let callback = {
        let (out, work) = (out.clone(), work.clone());
        Closure::once(move |_lock: JsValue| -> js_sys::Promise {
            let taken = work.borrow_mut().take();
            future_to_promise(async move {
                if let Some(taken) = taken {
                    *out.borrow_mut() = Some(taken.await);
                }
                Ok(JsValue::UNDEFINED)
            })
        })
    };
    if let Ok(promise) = request.call2(&locks, &name.into(), callback.as_ref().unchecked_ref()) {
        if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
            let _ = JsFuture::from(promise).await;
        }
    }
    let done = out.borrow_mut().take();
    if let Some(value) = done {
        return value;
    }
    // The browser refused the request itself, so the work never ran: run it unlocked rather than never.
    let left = work.borrow_mut().take();
    left.expect("work runs once: under the lock or here").await
}

thread_local! {
    /// This tab's name on the channel. Every announcement carries it: a
    /// BroadcastChannel delivers to every other channel object of the same
    /// name, this tab's own listener included, and a tab must not reload its
    /// whole outbox for what it did itself (it already shows that).
    static TAB: String = uuid::Uuid::new_v4().simple().to_string();
}

/// Tells the other tabs that the outbox changed.
pub fn announce() {
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
        let _ = TAB.with(|tab| channel.post_message(&JsValue::from_str(tab)));
        channel.close();
    }
}

/// Calls `on_change` whenever another tab announces a change (never for
/// this tab's own). The listener lives as long as the returned handle.
pub struct Listener {
    channel: web_sys::BroadcastChannel,
    _callback: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

pub fn listen(on_change: impl Fn() + 'static) -> Option<Listener> {
    let channel = web_sys::BroadcastChannel::new(CHANNEL).ok()?;
    let callback = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let from = event.data().as_string();
        if TAB.with(|tab| from.as_deref() != Some(tab.as_str())) {
            on_change();
        }
    });
    channel.set_onmessage(Some(callback.as_ref().unchecked_ref()));
    Some(Listener { channel, _callback: callback })
}
