//! First-run setup: back-office address, terminal user name and password.

use crate::error::AppError;
use crate::i18n::*;
use crate::session::Session;
use crate::storage::Storage;
use crate::sync::api;
use crate::tasks::Task;
use leptos::prelude::*;

/// The origin that served the app: the default back office.
fn default_base_url() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// What the form sends: the address, user name and password, and the
/// language its refusal is worded in.
type Attempt = (String, String, String, Locale);

async fn sign_in((base_url, username, password, locale): Attempt) -> Result<Session, AppError> {
    if base_url.trim().is_empty() || username.trim().is_empty() || password.is_empty() {
        return Err(AppError::Invalid(td_string!(locale, start.setup.fill_in_all).into()));
    }
    let token = api::sign_in(&base_url, username.trim(), &password).await?;
    let session = Session::from_token(&base_url, username.trim(), &token)
        .map_err(|e| AppError::BadAnswer(e.to_string()))?;
    // Stored before the screen says "signed in": a reload finds it.
    Storage::open_default().await?.save_session(&session).await?;
    Ok(session)
}

/// The sign-in form. For a re-login, `base_url` and `username` come filled in.
#[component]
pub fn Setup(
    on_signed_in: impl Fn(Session) + 'static,
    #[prop(optional, into)] base_url: Option<String>,
    #[prop(optional, into)] username: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let base_url = RwSignal::new(base_url.unwrap_or_else(default_base_url));
    let username = RwSignal::new(username.unwrap_or_default());
    let password = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<Session, AppError>>);
    let action = Task::new(move |attempt: &Attempt| {
        let attempt = attempt.clone();
        async move { outcome.set(Some(sign_in(attempt).await)) }
    });
    let pending = action.pending();
    Effect::new(move |_| {
        if let Some(Ok(session)) = outcome.get() {
            password.set(String::new());
            on_signed_in(session);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch((
            base_url.get_untracked(),
            username.get_untracked(),
            password.get_untracked(),
            i18n.get_locale_untracked(),
        ));
    };

    view! {
        <section class="card setup" aria-labelledby="setup-title">
            <h2 id="setup-title">{t!(i18n, start.setup.title)}</h2>
            <form on:submit=submit>
                <label for="base-url">{t!(i18n, start.setup.base_url)}</label>
                <input id="base-url" type="url" required bind:value=base_url autocomplete="url" />
                <label for="username">{t!(i18n, start.setup.username)}</label>
                <input id="username" type="email" required bind:value=username autocomplete="username" />
                <label for="password">{t!(i18n, start.setup.password)}</label>
                <input
                    id="password"
                    type="password"
                    required
                    bind:value=password
                    autocomplete="current-password"
                />
                <button type="submit" class="primary" disabled=pending>
                    {move || {
                        if pending.get() { t_string!(i18n, start.setup.signing_in) } else { t_string!(i18n, start.setup.sign_in) }
                    }}
                </button>
            </form>
            {move || {
                outcome
                    .get()
                    .and_then(Result::err)
                    .map(|e| {
                        view! {
                            <p class="error" role="alert">
                                {e.text(i18n.get_locale())}
                            </p>
                        }
                    })
            }}
        </section>
    }
}
