//! This terminal: which back office and login it uses, its cash desk, the
//! tablet's storage, until when it is signed in, and signing it out (a
//! manager's job; unsent records make it a question first). Below it, the
//! cash desk's printers (`printers.rs`).

use super::language_picker::LanguagePicker;
use super::modal::Modal;
use super::printers::PrintersPanel;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::storage::Storage;
use crate::tasks::Task;
use leptos::prelude::*;
use possum_contract::catalogue::Permission;

#[component]
pub fn TerminalInfo() -> impl IntoView {
    let i18n = use_i18n();
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
            <h2 id="terminal-title">{t!(i18n, sync.terminal.title)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, sync.terminal.back_office)}</dt>
                <dd data-testid="base-url">{move || session.get().base_url}</dd>
                <dt>{t!(i18n, sync.terminal.login)}</dt>
                <dd data-testid="username">{move || session.get().username}</dd>
                <dt>{t!(i18n, sync.terminal.cash_desk)}</dt>
                <dd data-testid="client-number">{move || session.get().client_number}</dd>
                <dt>{t!(i18n, sync.terminal.storage)}</dt>
                <dd data-testid="storage-health">
                    {move || {
                        storage_health
                            .get()
                            .map(|h| h.text_in(i18n.get_locale()))
                            .unwrap_or_else(|| t_string!(i18n, sync.terminal.not_measured).into())
                    }}
                </dd>
                <dt>{t!(i18n, sync.terminal.signed_in_until)}</dt>
                <dd>{move || crate::clock::date_time(session.get().expires)}</dd>
            </dl>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" role="alert">
                                {move || e.text(i18n.get_locale())}
                            </p>
                        }
                    })
            }}
            <Show
                when=may_sign_out
                fallback=move || view! { <p>{t!(i18n, sync.terminal.sign_out_needs_manager)}</p> }
            >
                <button
                    type="button"
                    on:click=move |_| {
                        sign_out.dispatch(false);
                    }
                    disabled=sign_out.pending()
                >
                    {t!(i18n, sync.terminal.sign_out)}
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
                                <h2 id="unsent-title">{move || t_string!(i18n, sync.terminal.unsent_title, n = n)}</h2>
                                <p>{t!(i18n, sync.terminal.unsent_body)}</p>
                                <div class="actions">
                                    <button
                                        type="button"
                                        class="primary"
                                        on:click=move |_| unsent_warning.set(None)
                                    >
                                        {t!(i18n, sync.terminal.keep_signed_in)}
                                    </button>
                                    <button
                                        type="button"
                                        on:click=move |_| {
                                            unsent_warning.set(None);
                                            sign_out.dispatch(true);
                                        }
                                    >
                                        {t!(i18n, sync.terminal.sign_out_anyway)}
                                    </button>
                                </div>
                            </section>
                        </Modal>
                    }
                })
        }}
    }
}
