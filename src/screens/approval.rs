//! A manager's approval of what a cashier may not do alone: a refund, a price
//! changed by hand, a discount, another price group. The manager picks
//! themselves (or swipes their card) and types their PIN, also when they are
//! the cashier on duty: the PIN is the proof the back office asks for
//! (docs/openapi.yaml, "Staff approvals"). `sync::approval` checks it, online
//! or, within the offline limit, on the tablet.

use super::choice::Choice;
use super::modal::Modal;
use super::pin_pad::PinPad;
use crate::cashier;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::session::Session;
use crate::storage::Storage;
use crate::sync::approval::{approve, Wanted};
use crate::tasks::Task;
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::activity::StaffApproval;
use possum_contract::catalogue::User;
use possum_contract::settings::TerminalSettings;
use uuid::Uuid;

/// What waits for a manager: shown by [`ApprovalDialog`] while its signal holds it.
#[derive(Clone)]
pub struct ApprovalAsk {
    /// What is approved, in words the manager checks before typing the PIN.
    pub what: String,
    pub wanted: Wanted,
    /// Done once approved, with the approval the order then carries.
    pub then: Callback<StaffApproval>,
}

/// The approval dialog, while `ask` holds something to approve: it reads the
/// managers the tablet knows, and on approval closes itself and runs the
/// ask's `then`. Cancel (or Escape) leaves everything as it was.
#[component]
pub fn ApprovalDialog(ask: RwSignal<Option<ApprovalAsk>>) -> impl IntoView {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    move || {
        ask.get().map(|current| {
            let permission = current.wanted.permission;
            let managers = RwSignal::new(None::<Result<Vec<User>, AppError>>);
            spawn_local(async move {
                let read = async { cashier::approvers(&Storage::open_default().await?, permission).await };
                managers.try_set(Some(read.await));
            });
            let then = current.then;
            let on_cancel = Callback::new(move |_| ask.set(None));
            let on_done = Callback::new(move |approval: StaffApproval| {
                ask.set(None);
                then.run(approval);
            });
            move || match managers.get() {
                None => None,
                Some(Ok(list)) => Some(
                    view! {
                        <ApprovalForm
                            ask=current.clone()
                            managers=list
                            session=ctx.session.get_untracked()
                            settings=ctx.settings.get_untracked()
                            on_duty=ctx.cashier.with_untracked(|c| c.as_ref().map(|c| c.id))
                            on_done=on_done
                            on_cancel=on_cancel
                        />
                    }
                    .into_any(),
                ),
                Some(Err(e)) => Some(
                    view! {
                        <Modal labelled_by="approval-title" on_cancel=on_cancel>
                            <section class="card approval">
                                <h2 id="approval-title">{t!(i18n, sale.approval.title)}</h2>
                                <p class="error" role="alert">
                                    {e.to_string()}
                                </p>
                                <div class="actions">
                                    <button type="button" on:click=move |_| on_cancel.run(())>
                                        {t!(i18n, sale.approval.cancel)}
                                    </button>
                                </div>
                            </section>
                        </Modal>
                    }
                    .into_any(),
                ),
            }
        })
    }
}

/// The manager's card, as a reader types it, among `managers`.
fn by_card<'a>(managers: &'a [User], card: &str) -> Option<&'a User> {
    let card = card.trim();
    managers
        .iter()
        .find(|m| !card.is_empty() && m.cashier_card_number.as_deref().map(str::trim) == Some(card))
}

/// The form itself: the managers to pick from, the card field, the PIN.
#[component]
pub fn ApprovalForm(
    ask: ApprovalAsk,
    /// The staff who may approve it (`cashier::approvers`).
    managers: Vec<User>,
    session: Session,
    settings: TerminalSettings,
    /// The cashier on duty: picked already when they are one of the managers.
    on_duty: Option<Uuid>,
    on_done: Callback<StaffApproval>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let picked = RwSignal::new(
        on_duty
            .filter(|id| managers.iter().any(|m| m.id == *id))
            .or_else(|| (managers.len() == 1).then(|| managers[0].id)),
    );
    let i18n = use_i18n();
    let card = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let none_known = managers.is_empty();
    let managers = StoredValue::new(managers);
    let (wanted, settings) = (StoredValue::new(ask.wanted.clone()), StoredValue::new(settings));
    let pin_field = NodeRef::<leptos::html::Input>::new();
    let check = Task::new(move |(manager, typed): &(User, String)| {
        let (manager, typed, session) = (manager.clone(), typed.clone(), session.clone());
        async move {
            let answer = async {
                let storage = Storage::open_default().await?;
                approve(&storage, &session, &manager, &typed, &wanted.get_value(), &settings.get_value())
                    .await
            };
            match answer.await {
                Ok(approval) => on_done.run(approval),
                Err(e) => {
                    error.set(Some(e.to_string()));
                    if let Some(field) = pin_field.get_untracked() {
                        let _ = field.focus();
                    }
                }
            }
        }
    });
    let busy = check.pending();
    // A card reader types the number and Enter: that picks the manager, not the form.
    let take_card = move || {
        let typed = card.get_untracked();
        match managers.with_value(|m| by_card(m, &typed).map(|u| u.id)) {
            Some(id) => {
                picked.set(Some(id));
                card.set(String::new());
                error.set(None);
                if let Some(field) = pin_field.get_untracked() {
                    let _ = field.focus();
                }
            }
            None if typed.trim().is_empty() => {}
            None => error.set(Some(tu_string!(i18n, sale.approval.no_card, card = typed.trim()))),
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let manager = picked
            .get_untracked()
            .and_then(|id| managers.with_value(|m| m.iter().find(|u| u.id == id).cloned()));
        let Some(manager) = manager else {
            return error.set(Some(tu_string!(i18n, sale.approval.choose).into()));
        };
        // The PIN leaves the field (and memory) as it is sent.
        let typed = pin.get_untracked();
        pin.set(String::new());
        error.set(None);
        check.dispatch((manager, typed));
    };
    view! {
        <Modal
            labelled_by="approval-title"
            on_cancel=Callback::new(move |_| {
                if !busy.get_untracked() {
                    on_cancel.run(())
                }
            })
        >
            <section class="card approval">
                <h2 id="approval-title">{t!(i18n, sale.approval.title)}</h2>
                <p data-testid="approval-what">{ask.what}</p>
                <form on:submit=submit>
                    <fieldset class="methods managers" disabled=busy>
                        <legend>{t!(i18n, sale.approval.manager)}</legend>
                        {none_known
                            .then(|| {
                                view! {
                                    <p class="error">
                                        {t!(i18n, sale.approval.none_known)}
                                    </p>
                                }
                            })}
                        {managers
                            .get_value()
                            .into_iter()
                            .map(|m| {
                                view! {
                                    <Choice
                                        name="approval-manager"
                                        checked=Signal::derive(move || picked.get() == Some(m.id))
                                        on_pick=Callback::new(move |_| picked.set(Some(m.id)))
                                    >
                                        {m.name.clone()}
                                    </Choice>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <label for="approval-card">{t!(i18n, sale.approval.card)}</label>
                    <input
                        id="approval-card"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        bind:value=card
                        disabled=busy
                        on:change=move |_| take_card()
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                take_card();
                            }
                        }
                    />
                    <label for="approval-pin">{t!(i18n, sale.approval.pin)}</label>
                    <input
                        id="approval-pin"
                        node_ref=pin_field
                        type="password"
                        // The pad below is the PIN's keyboard: the tablet's own stays away.
                        inputmode="none"
                        autocomplete="off"
                        autofocus=picked.get_untracked().is_some()
                        bind:value=pin
                        disabled=busy
                    />
                    <PinPad pin=pin disabled=busy />
                    {move || {
                        error
                            .get()
                            .map(|e| {
                                view! {
                                    <p class="error" role="alert" data-testid="approval-error">
                                        {e}
                                    </p>
                                }
                            })
                    }}
                    <div class="actions">
                        <button type="button" on:click=move |_| on_cancel.run(()) disabled=busy>
                            {t!(i18n, sale.approval.cancel)}
                        </button>
                        <button type="submit" class="primary" disabled=move || busy.get() || none_known>
                            {move || {
                                if busy.get() {
                                    t_string!(i18n, sale.approval.checking)
                                } else {
                                    t_string!(i18n, sale.approval.approve)
                                }
                            }}
                        </button>
                    </div>
                </form>
            </section>
        </Modal>
    }
}
