//! Staff time at the till, from the bar: "Staff time" opens who is on duty
//! (clocked in on this tablet, and since when) and the cashier's Clock in
//! or Clock out. Each clock event, and each cashier sign-in and sign-out
//! (`cashier.rs` records those), is queued for the back office
//! (`sync::employee_log`) and sent at once when it can be.

use super::modal::Modal;
use crate::clock;
use crate::context::TerminalContext;
use crate::error::AppError;
use crate::i18n::*;
use crate::storage::Storage;
use crate::sync::employee_log;
use crate::tasks::{reload_on, Task};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use possum_contract::activity::EmployeeEvent;
use possum_contract::catalogue::User;
use possum_register::staff_time::LastClock;
use uuid::Uuid;

/// Someone clocked in on this tablet.
#[derive(Debug, Clone, PartialEq)]
struct OnDuty {
    id: Uuid,
    name: String,
    since: DateTime<Utc>,
}

/// Who is clocked in, by name (a person no longer on the staff list by id), earliest first.
fn on_duty(last: Vec<LastClock>, staff: &[User]) -> Vec<OnDuty> {
    let mut out: Vec<OnDuty> = last
        .into_iter()
        .filter(|c| c.event == EmployeeEvent::ClockIn)
        .map(|c| OnDuty {
            id: c.user_id,
            name: staff
                .iter()
                .find(|u| u.id == c.user_id)
                .map_or_else(|| c.user_id.to_string(), |u| u.name.clone()),
            since: c.at,
        })
        .collect();
    out.sort_by_key(|d| d.since);
    out
}

async fn read_on_duty() -> Result<Vec<OnDuty>, AppError> {
    let storage = Storage::open_default().await?;
    let staff: Vec<User> = storage.all().await?;
    Ok(on_duty(storage.staff_clock().await?, &staff))
}

/// The bar's "Staff time" button and its dialog; also sends each sign-in
/// and sign-out on as the cashier on duty changes.
#[component]
pub fn StaffTime() -> impl IntoView {
    let ctx = TerminalContext::get();
    let cashier = Memo::new(move |_| ctx.cashier.with(|c| c.as_ref().map(|c| c.id)));
    // `cashier.rs` queued the sign-in or sign-out before the cashier changed here.
    Effect::new(move |before: Option<Option<Uuid>>| {
        let now = cashier.get();
        if before.is_some_and(|b| b != now) {
            ctx.sync.queued();
        }
        now
    });
    let open = RwSignal::new(false);
    let i18n = use_i18n();
    view! {
        <Show when=move || cashier.with(Option::is_some)>
            <button type="button" on:click=move |_| open.set(true)>
                {t!(i18n, drawer.staff.button)}
            </button>
        </Show>
        <Show when=move || open.get()>
            <StaffTimeDialog on_close=move || open.set(false) />
        </Show>
    }
}

#[component]
fn StaffTimeDialog(on_close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = TerminalContext::get();
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let read = RwSignal::new(None::<Result<Vec<OnDuty>, AppError>>);
    reload_on(version.into(), read_on_duty, move |r| read.set(Some(r)));
    // The clock event just recorded (who, which, at what time), or why it was not.
    let message = RwSignal::new(None::<Result<(String, EmployeeEvent, String), AppError>>);
    let me = move || ctx.cashier.with(|c| c.as_ref().map(|c| (c.id, c.name.clone())));
    let clocked_in = move || {
        let id = me().map(|(id, _)| id);
        read.with(|r| matches!(r, Some(Ok(list)) if list.iter().any(|d| Some(d.id) == id)))
    };
    let clock = Task::new(move |event: &EmployeeEvent| {
        let event = *event;
        async move {
            let Some((user, name)) = me() else { return };
            match employee_log::record(ctx.terminal_id(), event, user).await {
                Ok(log) => {
                    ctx.sync.queued();
                    message.set(Some(Ok((name, event, clock::hour_minute(log.at)))));
                }
                Err(e) => message.set(Some(Err(e))),
            }
            version.update(|v| *v += 1);
        }
    });
    let pending = clock.pending();
    view! {
        <Modal labelled_by="staff-time-title" on_cancel=Callback::new(move |_| on_close())>
            <section class="card staff-time">
                <h2 id="staff-time-title">{t!(i18n, drawer.staff.title)}</h2>
                <h3>{t!(i18n, drawer.staff.on_duty_title)}</h3>
                {move || match read.get() {
                    None => view! { <p class="hint">{t!(i18n, drawer.staff.reading)}</p> }.into_any(),
                    Some(Err(e)) => {
                        view! {
                            <p class="error" role="alert">
                                {e.text(i18n.get_locale())}
                            </p>
                        }
                            .into_any()
                    }
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p data-testid="on-duty-none">{t!(i18n, drawer.staff.nobody)}</p> }.into_any()
                    }
                    Some(Ok(list)) => {
                        view! {
                            <ul class="on-duty" aria-label=move || t_string!(i18n, drawer.staff.on_duty)>
                                {list
                                    .into_iter()
                                    .map(|d| {
                                        view! {
                                            <li data-testid="on-duty">
                                                <strong>{d.name}</strong>
                                                {t!(i18n, drawer.staff.since)}
                                                {clock::date_time(d.since)}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
                {move || {
                    message
                        .get()
                        .map(|m| match m {
                            Ok((name, event, at)) => {
                                view! {
                                    <p class="done" role="status" data-testid="staff-time-done">
                                        <strong>{name}</strong>
                                        {if event == EmployeeEvent::ClockIn {
                                            t_string!(i18n, drawer.staff.clocked_in_at)
                                        } else {
                                            t_string!(i18n, drawer.staff.clocked_out_at)
                                        }}
                                        {at}
                                        "."
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(e) => {
                                view! {
                                    <p class="error" role="alert">
                                        {e.text(i18n.get_locale())}
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
                <div class="actions">
                    <Show
                        when=clocked_in
                        fallback=move || {
                            view! {
                                <button
                                    type="button"
                                    class="primary"
                                    disabled=move || pending.get() || read.with(Option::is_none)
                                    on:click=move |_| clock.dispatch(EmployeeEvent::ClockIn)
                                >
                                    {t!(i18n, drawer.staff.clock_in)}
                                </button>
                            }
                        }
                    >
                        <button
                            type="button"
                            class="primary"
                            disabled=move || pending.get()
                            on:click=move |_| clock.dispatch(EmployeeEvent::ClockOut)
                        >
                            {t!(i18n, drawer.staff.clock_out)}
                        </button>
                    </Show>
                    <button type="button" on:click=move |_| on_close()>
                        {t!(i18n, drawer.staff.close)}
                    </button>
                </div>
            </section>
        </Modal>
    }
}
