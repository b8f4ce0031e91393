//! This terminal: which back office and login it uses, its cash desk, the
//! tablet's storage, until when it is signed in, and signing it out (a
//! manager's job; unsent records make it a question first). Below it, the
//! cash desk's printers (`printers.rs`).

use super::language_picker::LanguagePicker;
use super::modal::Modal;
use super::printers::PrintersPanel;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::storage::Storage;
use crate::tasks::Task;
use leptos::prelude::*;
use possum_contract::catalogue::Permission;

#[component]
pub fn TerminalInfo() -> impl IntoView {
    let ctx = TerminalContext::get();
    let (session, storage_health) = (ctx.session, ctx.storage_health);
    let may_sign_out = move || ctx.may(Permission::TerminalSettings);
    let error = RwSignal::new(None::<AppError>);
    // Unsent records make signing out a question: they stay on the tablet but
    // go nowhere until the terminal is signed in again.
    let unsent_warning = RwSignal::new(None::<usize>);
    let sign_out = Task::new(move |confirmed: &bool| {
        let confirmed = *confirmed;
        async move {
            let done = async {
                let storage = Storage::open_default().await?;
                let queue = storage.outbox().await?;
                let unsent = queue.entries.len() + queue.unreadable.len();
                if unsent > 0 && !confirmed {
                    unsent_warning.set(Some(unsent));
                    return Ok(false);
                }
                storage.clear_session().await?;
                Ok::<_, AppError>(true)
            }
            .await;
            match done {
                Ok(true) => ctx.signed_out.run(()),
                Ok(false) => {}
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <section class="card terminal-info" aria-labelledby="terminal-title">
            <h2 id="terminal-title">"This terminal"</h2>
            <dl class="facts">
                <dt>"Back office"</dt>
                <dd data-testid="base-url">{move || session.get().base_url}</dd>
                <dt>"Terminal login"</dt>
                <dd data-testid="username">{move || session.get().username}</dd>
                <dt>"Cash desk"</dt>
                <dd data-testid="client-number">{move || session.get().client_number}</dd>
                <dt>"Storage"</dt>
                <dd data-testid="storage-health">
                    {move || storage_health.get().map(|h| h.text()).unwrap_or_else(|| "not measured".into())}
                </dd>
                <dt>"Signed in until"</dt>
                <dd>{move || crate::clock::date_time(session.get().expires)}</dd>
            </dl>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" role="alert">
                                {e.to_string()}
                            </p>
                        }
                    })
            }}
            <Show when=may_sign_out fallback=|| view! { <p>"Signing the terminal out needs a manager."</p> }>
                <button
                    type="button"
                    on:click=move |_| {
                        sign_out.dispatch(false);
                    }
                    disabled=sign_out.pending()
                >
                    "Sign the terminal out"
                </button>
            </Show>
        </section>
        <LanguagePicker />
        <PrintersPanel />
        {move || {
            unsent_warning
                .get()
                .map(|n| {
                    view! {
                        <Modal
                            labelled_by="unsent-title"
                            alert=true
                            on_cancel=Callback::new(move |_| unsent_warning.set(None))
                        >
                            <section class="card notice">
                                <h2 id="unsent-title">{format!("{n} records are not sent yet")}</h2>
                                <p>
                                    "They stay on this tablet, but reach the back office only after the terminal is signed in again."
                                </p>
                                <div class="actions">
                                    <button
                                        type="button"
                                        class="primary"
                                        on:click=move |_| unsent_warning.set(None)
                                    >
                                        "Keep the terminal signed in"
                                    </button>
                                    <button
                                        type="button"
                                        on:click=move |_| {
                                            unsent_warning.set(None);
                                            sign_out.dispatch(true);
                                        }
                                    >
                                        "Sign out anyway"
                                    </button>
                                </div>
                            </section>
                        </Modal>
                    }
                })
        }}
    }
}
