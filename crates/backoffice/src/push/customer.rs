//! Customers created or edited at a terminal (`PostCustomer`). Card numbers
//! and plates are stored and compared in one normal form (`normalise_card`,
//! `normalise_plate`), so "7777 " and "7777" are the same card.

use super::{keep, reject, Context, PushRecord, Rejection};
use crate::store::entity;
use crate::store::sql::Tx;
use possum_contract::activity::OrderReceipt;
use possum_contract::customer::{normalise_card, normalise_plate, Customer, CustomerChange};
use possum_contract::endpoints::PushKind;
use uuid::Uuid;

/// RFID UIDs are at most seven bytes (ISO 14443 double size), so they fit SQLite's signed integer.
const MAX_CARD_UID: u64 = (1 << 56) - 1;

impl PushRecord for CustomerChange {
    const KIND: PushKind = PushKind::Customer;
    fn id(&self) -> Uuid {
        self.id
    }
    fn terminal_id(&self) -> Option<Uuid> {
        None
    }
    fn store(&self, tx: &Tx<'_>, ctx: &Context<'_>) -> Result<Option<OrderReceipt>, Rejection> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return reject("Name must hold 1 to 200 characters.");
        }
        let card = self.card_number.as_deref().map(normalise_card).filter(|c| !c.is_empty());
        let plate = self.license_plate.as_deref().map(normalise_plate).filter(|p| !p.is_empty());
        let too_long =
            |value: &Option<String>, most: usize| value.as_ref().is_some_and(|v| v.chars().count() > most);
        if too_long(&card, 32)
            || too_long(&plate, 16)
            || too_long(&self.email, 200)
            || too_long(&self.phone, 40)
        {
            return reject(
                "CardNumber holds at most 32 characters, LicensePlate 16, Email 200 and Phone 40.",
            );
        }
        if self.card_uid.is_some_and(|uid| uid > MAX_CARD_UID) {
            return reject("CardUID is at most 56 bits (an RFID UID of 7 bytes).");
        }
        if let Some(card) = &card {
            if entity::find_by::<Customer>(tx, "card_number", card.as_str())?
                .is_some_and(|c| c.id != self.customer_id)
            {
                return reject(format!("CardNumber {card} belongs to another customer."));
            }
        }
        if let Some(uid) = self.card_uid {
            if entity::find_by::<Customer>(tx, "card_uid", uid as i64)?
                .is_some_and(|c| c.id != self.customer_id)
            {
                return reject(format!("CardUID {uid} belongs to another customer."));
            }
        }
        // Credit, balance and lock stay as the back office has them.
        let mut customer = entity::get::<Customer>(tx, self.customer_id)?
            .unwrap_or_else(|| Customer::new(self.customer_id, name));
        customer.name = name.to_string();
        customer.card_number = card;
        customer.card_uid = self.card_uid;
        customer.license_plate = plate;
        customer.email = self.email.clone();
        customer.phone = self.phone.clone();
        customer.birthday = self.birthday;
        entity::upsert(tx, ctx.stamp, &customer)?;
        keep(tx, self, ctx.claims.terminal)?;
        Ok(None)
    }
}
