//! The drawer opening itself on the Cash drawer screen (issue 21): its pulse
//! after cash goes in or out (once the move is stored), and a manager's
//! "Open drawer" with a reason, approved with a manager's PIN like every
//! other thing a cashier may not do alone (`ApprovalDialog`). The rule is
//! `possum_register::drawer::opening`; each opening is recorded by
//! `paper::record_opening` (counted on the shift, queued, journaled).

use crate::context::TerminalContext;
use crate::i18n::*;
use crate::screens::approval::{ApprovalAsk, ApprovalDialog};
use crate::screens::paper::{self, words};
use crate::sync::approval::Wanted;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::activity::StaffApproval;
use possum_contract::catalogue::{Permission, Role};
use possum_register::drawer::opening::Opening;
use possum_register::drawer::Recorder;
use rust_decimal::Decimal;
use uuid::Uuid;

/// What the last pulse did: the printer it opened on, or why it did not.
pub type Pulsed = Option<Result<String, String>>;

/// Pulses the drawer for `opening` and says what happened in `status`.
fn pulse(ctx: TerminalContext, opening: Opening, status: RwSignal<Pulsed>) {
    spawn_local(async move {
        let done = paper::open_drawer(ctx, opening).await;
        status.try_set(Some(done.map_err(|e| e.problem_words(words()))));
    });
}

/// After a cash move is stored: the drawer opens when it hangs on one of the
/// desk's printers (without one, nothing is said: the drawer is opened by hand).
pub fn after_cash_move(ctx: TerminalContext, opening: Option<Opening>, status: RwSignal<Pulsed>) {
    if let Some(opening) = opening.filter(|_| paper::has_drawer(&paper::desk_printers(&ctx))) {
        pulse(ctx, opening, status);
    }
}

/// A manager's "Open drawer" with a reason, and what the last pulse did.
#[component]
pub fn OpenDrawer(status: RwSignal<Pulsed>) -> impl IntoView {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let approving = RwSignal::new(None::<ApprovalAsk>);
    let open = move |_| {
        let why = reason.get_untracked().trim().to_string();
        if why.is_empty() {
            return status
                .set(Some(Err(td_string!(i18n.get_locale_untracked(), drawer.cash.say_why).to_string())));
        }
        status.set(None);
        let then = Callback::new(move |approval: StaffApproval| {
            let by = Recorder { terminal_id: ctx.terminal_id(), user_id: approval.user_id, now: Utc::now() };
            // Only managers approve (`cashier::approvers`): the opening is theirs.
            match by.manager_opening(Role::Manager, &why) {
                Ok(opening) => {
                    reason.set(String::new());
                    pulse(ctx, opening, status);
                }
                Err(e) => status.set(Some(Err(e.to_string()))),
            }
        });
        let shown_reason = reason.get_untracked().trim().to_string();
        approving.set(Some(ApprovalAsk {
            what: td_string!(i18n.get_locale_untracked(), drawer.cash.open_what, reason = shown_reason)
                .to_string(),
            wanted: Wanted {
                order_id: Uuid::new_v4(),
                permission: Permission::CloseCashDrawer,
                amount: Decimal::ZERO,
            },
            then,
        }));
    };
    view! {
        <div class="drawer-open">
            <label for="drawer-open-reason">{t!(i18n, drawer.cash.why_open)}</label>
            <input id="drawer-open-reason" type="text" autocomplete="off" bind:value=reason />
            <div class="actions">
                <button type="button" on:click=open>
                    {t!(i18n, drawer.cash.open_drawer)}
                </button>
            </div>
            {move || {
                status
                    .get()
                    .map(|done| match done {
                        Ok(printer) => {
                            view! {
                                <p role="status" data-testid="drawer-pulse">
                                    {t_string!(i18n, drawer.cash.pulse_opened, printer = printer).to_string()}
                                </p>
                            }
                                .into_any()
                        }
                        Err(why) => {
                            view! {
                                <p class="error" role="alert" data-testid="drawer-pulse">
                                    {t_string!(i18n, drawer.cash.pulse_failed, why = why).to_string()}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </div>
        <ApprovalDialog ask=approving />
    }
}
