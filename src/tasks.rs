//! How the screens load and change things, in two small forms: a load that
//! follows a version (`reload_on`: the newest run's answer always wins) and
//! a task staff start (`Task`: `pending()` while it runs). They do what
//! Leptos' `LocalResource` and `Action` do for this app, in far less wasm:
//! measured, those two (with `<Transition>`) made the bundle 18 KB larger
//! (brotli), and the bundle must not grow.

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

/// Runs `fetch` now and whenever `version` changes, and hands each answer
/// to `apply`, but only if no newer run has started meanwhile: an older,
/// slower read (a catalogue of 50,000 products read while a pull stored
/// more) never replaces a newer one.
pub fn reload_on<T, Fut>(version: Signal<u32>, fetch: impl Fn() -> Fut + 'static, apply: impl Fn(T) + 'static)
where
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    let apply = Rc::new(apply);
    let runs = StoredValue::new(0u64);
    Effect::new(move |_| {
        version.track();
        let run = runs.get_value() + 1;
        runs.set_value(run);
        let (read, apply) = (fetch(), apply.clone());
        spawn_local(async move {
            let answer = read.await;
            if runs.get_value() == run {
                apply(answer);
            }
        });
    });
}

type Work<I> = Box<dyn Fn(&I) -> Pin<Box<dyn Future<Output = ()>>>>;

/// Something staff start (park, resume, retry, export, sign out…): the
/// work itself says what its outcome changes; `pending()` disables its
/// button while it runs, instead of a hand-kept busy flag.
pub struct Task<I: 'static> {
    work: StoredValue<Work<I>, LocalStorage>,
    running: RwSignal<u32>,
}

impl<I: 'static> Clone for Task<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static> Copy for Task<I> {}

impl<I: 'static> Task<I> {
    pub fn new<Fut: Future<Output = ()> + 'static>(work: impl Fn(&I) -> Fut + 'static) -> Self {
        let work: Work<I> = Box::new(move |input| Box::pin(work(input)));
        Self { work: StoredValue::new_local(work), running: RwSignal::new(0) }
    }

    /// Starts the work with `input`.
    pub fn dispatch(&self, input: I) {
        let done = self.work.with_value(|work| work(&input));
        let running = self.running;
        running.update(|n| *n += 1);
        spawn_local(async move {
            done.await;
            running.update(|n| *n -= 1);
        });
    }

    /// Whether the work runs (tracked).
    pub fn pending(&self) -> Signal<bool> {
        busy(self.running)
    }
}

/// Outside `Task<I>`, so that every kind of task shares it.
fn busy(running: RwSignal<u32>) -> Signal<bool> {
    Signal::derive(move || running.get() > 0)
}
