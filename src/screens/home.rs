//! The signed-in terminal: which back office and terminal this is.

use crate::session::Session;
use crate::storage::Storage;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Home(session: Session, on_signed_out: impl Fn() + Clone + 'static) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let sign_out = move |_| {
        let on_signed_out = on_signed_out.clone();
        spawn_local(async move {
            let cleared = match Storage::open_default().await {
                Ok(store) => store.clear_session().await,
                Err(e) => Err(e),
            };
            match cleared {
                Ok(()) => on_signed_out(),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="terminal-title">
            <h2 id="terminal-title">"Terminal ready"</h2>
            <dl class="facts">
                <dt>"Back office"</dt><dd data-testid="base-url">{session.base_url.clone()}</dd>
                <dt>"Terminal login"</dt><dd data-testid="username">{session.username.clone()}</dd>
                <dt>"Cash desk"</dt><dd data-testid="client-number">{session.client_number}</dd>
                <dt>"Signed in until"</dt><dd>{session.expires.format("%Y-%m-%d %H:%M UTC").to_string()}</dd>
            </dl>
            <button type="button" on:click=sign_out>"Sign the terminal out"</button>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
    }
}
