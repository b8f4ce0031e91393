//! A customer created at the till: the form's rules, and the record that
//! goes to `PostCustomer` beside the row the terminal caches at once.

use chrono::{DateTime, NaiveDate, Utc};
use possum_contract::customer::{normalise_plate, Customer, CustomerChange};
use uuid::Uuid;

/// What the cashier typed, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerForm {
    pub name: String,
    pub card_number: String,
    pub license_plate: String,
    pub email: String,
    pub phone: String,
    /// `YYYY-MM-DD`, as a date input gives it.
    pub birthday: String,
}

/// Which field is wrong, and why, in the cashier's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    CardNumber,
    LicensePlate,
    Email,
    Phone,
    Birthday,
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

impl CustomerForm {
    /// The new customer, or every field that is wrong. A customer needs a card
    /// number or a licence plate: that is how the next visit finds them.
    pub fn customer(&self, id: Uuid, today: NaiveDate) -> Result<Customer, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field, message: &str| errors.push(FieldError { field, message: message.into() });
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            fail(Field::Name, "Type the customer's name (at most 200 characters).");
        }
        let card = optional(&self.card_number);
        if card
            .as_ref()
            .is_some_and(|c| !(4..=20).contains(&c.len()) || !c.chars().all(|ch| ch.is_ascii_digit()))
        {
            fail(Field::CardNumber, "A card number is 4 to 20 digits.");
        }
        let plate = optional(&self.license_plate).map(|p| normalise_plate(&p));
        if plate.as_ref().is_some_and(|p| !(2..=10).contains(&p.chars().count())) {
            fail(Field::LicensePlate, "A licence plate is 2 to 10 letters and digits.");
        }
        if card.is_none() && plate.is_none() {
            fail(
                Field::CardNumber,
                "Give a card number or a licence plate, so the customer can be found next time.",
            );
        }
        let email = optional(&self.email);
        let email_ok = |e: &str| {
            e.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
            }) && !e.contains(char::is_whitespace)
        };
        if email.as_deref().is_some_and(|e| !email_ok(e) || e.len() > 254) {
            fail(Field::Email, "That is not an e-mail address (name@example.com).");
        }
        let phone = optional(&self.phone);
        let digits = |p: &str| p.chars().filter(char::is_ascii_digit).count();
        let phone_ok = |p: &str| {
            p.trim_start_matches('+').chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
                && (6..=15).contains(&digits(p))
        };
        if phone.as_deref().is_some_and(|p| !phone_ok(p)) {
            fail(
                Field::Phone,
                "A phone number is 6 to 15 digits, with + at the start if it has a country code.",
            );
        }
        let birthday = match optional(&self.birthday) {
            None => None,
            Some(text) => match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
                Ok(date)
                    if date <= today
                        && date >= NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date") =>
                {
                    Some(date)
                }
                _ => {
                    fail(Field::Birthday, "A birthday is a date between 1900 and today.");
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Customer {
            card_number: card,
            license_plate: plate,
            email,
            phone,
            birthday,
            ..Customer::new(id, name)
        })
    }
}

/// The `PostCustomer` record that creates `customer` at the back office.
pub fn creation(customer: &Customer, change_id: Uuid, now: DateTime<Utc>) -> CustomerChange {
    CustomerChange {
        id: change_id,
        customer_id: customer.id,
        name: customer.name.clone(),
        card_number: customer.card_number.clone(),
        card_uid: customer.card_uid,
        license_plate: customer.license_plate.clone(),
        email: customer.email.clone(),
        phone: customer.phone.clone(),
        birthday: customer.birthday,
        changed_at: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn fields(form: &CustomerForm) -> Vec<Field> {
        form.customer(Uuid::nil(), today()).unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_customer_with_a_plate_is_created_with_the_plate_normalised() {
        let form = CustomerForm {
            name: " Eva Ek ".into(),
            license_plate: "abc 123".into(),
            birthday: "1980-02-29".into(),
            ..Default::default()
        };
        let c = form.customer(Uuid::nil(), today()).unwrap();
        assert_eq!(
            (c.name.as_str(), c.license_plate.as_deref(), c.card_number.as_deref()),
            ("Eva Ek", Some("ABC123"), None)
        );
        assert_eq!(c.birthday, NaiveDate::from_ymd_opt(1980, 2, 29));
        assert_eq!((c.balance, c.credit_line, c.locked), (Default::default(), Default::default(), false));
        let change = creation(&c, Uuid::from_u128(7), chrono::Utc::now());
        assert_eq!((change.customer_id, change.license_plate.as_deref()), (c.id, Some("ABC123")));
    }

    #[test]
    fn every_wrong_field_is_named() {
        assert_eq!(fields(&CustomerForm::default()), [Field::Name, Field::CardNumber]);
        let bad = CustomerForm {
            name: "Eva".into(),
            card_number: "12ab".into(),
            license_plate: "A".into(),
            email: "eva@example".into(),
            phone: "12".into(),
            birthday: "2030-01-01".into(),
        };
        assert_eq!(
            fields(&bad),
            [Field::CardNumber, Field::LicensePlate, Field::Email, Field::Phone, Field::Birthday]
        );
    }

    #[test]
    fn ordinary_contact_details_pass() {
        let form = CustomerForm {
            name: "Eva".into(),
            card_number: "10000099".into(),
            email: "eva.ek@example.se".into(),
            phone: "+46 70-123 45 67".into(),
            ..Default::default()
        };
        assert!(form.customer(Uuid::nil(), today()).is_ok());
    }
}
