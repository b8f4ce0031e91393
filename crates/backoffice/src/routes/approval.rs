//! `POST /api/Admin/PostApproval`: a manager's PIN checked here, recorded as
//! the approval of one order (see `staff.rs` and docs/openapi.yaml, "Staff approvals").

use super::body::{require_json, Body};
use crate::auth::AuthTerminal;
use crate::error::{ApiError, ApiResult};
use crate::staff;
use crate::store::clock;
use crate::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use possum_contract::approval::{ApprovalRequest, ApprovalResponse};

pub async fn post_approval(
    State(state): State<AppState>,
    auth: AuthTerminal,
    headers: HeaderMap,
    Body(body): Body,
) -> ApiResult<Json<ApprovalResponse>> {
    require_json(&headers)?;
    let request: ApprovalRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("The body is not a valid ApprovalRequest: {e}.")))?;
    if request.pin.is_empty() || request.pin.chars().count() > staff::MAX_PIN_LENGTH {
        return Err(ApiError::bad_request(format!(
            "Pin must hold 1 to {} characters.",
            staff::MAX_PIN_LENGTH
        )));
    }
    if request.permissions.is_empty() || request.permissions.len() > 10 {
        return Err(ApiError::bad_request("Permissions must name what is approved (1 to 10 entries)."));
    }
    // A place among the PIN checks first: a flood is answered 503 before any database work.
    let slot = state.hashes.reserve()?;
    let (user_id, permissions) = (request.user_id, request.permissions.clone());
    let (user, locked) = auth
        .db
        .write(move |tx| {
            let user = staff::active_user(tx, user_id)?
                .ok_or_else(|| ApiError::Forbidden("That member of staff is not active here.".into()))?;
            if let Some(p) = permissions.iter().find(|p| !user.role.may(**p)) {
                return Err(ApiError::Forbidden(format!(
                    "{} is a {:?} and may not approve {p:?}.",
                    user.name, user.role
                )));
            }
            let locked = staff::count_pin_attempt(tx, user.id)?;
            Ok((user, locked))
        })
        .await?;
    if let Some(seconds) = locked {
        return Err(ApiError::too_many(
            format!("Too many wrong PINs for {}. Try again in {seconds} seconds.", user.name),
            seconds,
        ));
    }
    let pin_hash = user.pin_hash.clone().unwrap_or_default();
    if !slot.verify(request.pin, pin_hash).await? {
        return Err(ApiError::bad_request(format!("That is not {}'s PIN.", user.name)));
    }
    let (terminal, order, permissions, id) =
        (auth.claims.terminal, request.order_id, request.permissions, user.id);
    let recorded = permissions.clone();
    auth.db
        .write(move |tx| {
            staff::pin_accepted(tx, id)?;
            staff::record_approval(tx, order, id, terminal, &recorded)?;
            Ok(())
        })
        .await?;
    tracing::info!(user = %user.id, %order, ?permissions, "manager approval given");
    Ok(Json(ApprovalResponse {
        user_id: user.id,
        user_name: user.name,
        order_id: order,
        permissions,
        approved_at: clock::to_datetime(clock::now_us()),
    }))
}
