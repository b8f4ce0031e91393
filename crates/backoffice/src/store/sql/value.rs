//! The values that cross the storage interface, the same for both backends:
//! parameters go in as [`Value`]s and rows come out as [`Row`]s of them, so
//! business code never sees a driver's types.

use super::Error;
use uuid::Uuid;

/// One SQL value. SQLite's storage classes, less blobs (the schema has none);
/// PostgreSQL's integers, floats and text map onto them.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Self {
                Value::Int(i64::from(n))
            }
        }
    )*};
}
from_integer!(i64, i32, i16, u8, u16, u32, bool);

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Real(f)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::Text(s.clone())
    }
}

impl From<Uuid> for Value {
    fn from(id: Uuid) -> Self {
        Value::Text(id.to_string())
    }
}

impl From<&Value> for Value {
    fn from(v: &Value) -> Self {
        v.clone()
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl<T: Clone + Into<Value>> From<&Option<T>> for Value {
    fn from(v: &Option<T>) -> Self {
        v.clone().map_or(Value::Null, Into::into)
    }
}

/// A Rust value as a parameter, without giving it up.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

macro_rules! to_value_by_from {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::from(self.clone())
            }
        }
    )*};
}
to_value_by_from!(i64, i32, i16, u8, u16, u32, bool, f64, String, Uuid, Value);

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

/// The parameters of a statement: `params![a, b]` is `&[a.to_value(), b.to_value()]`
/// (each borrowed, none given up).
#[macro_export]
macro_rules! params {
    () => { &[] as &[$crate::store::sql::Value] };
    ($($v:expr),+ $(,)?) => {
        &[$($crate::store::sql::ToValue::to_value(&$v)),+] as &[$crate::store::sql::Value]
    };
}

/// A Rust type a column reads as.
pub trait FromValue: Sized {
    fn from_value(value: &Value) -> Result<Self, String>;
}

impl FromValue for Value {
    fn from_value(value: &Value) -> Result<Self, String> {
        Ok(value.clone())
    }
}

impl FromValue for i64 {
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Int(n) => Ok(*n),
            other => Err(format!("{other:?} is not an integer")),
        }
    }
}

macro_rules! from_value_integer {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(value: &Value) -> Result<Self, String> {
                let n = i64::from_value(value)?;
                <$t>::try_from(n).map_err(|_| format!("{n} is out of range for {}", stringify!($t)))
            }
        }
    )*};
}
from_value_integer!(i32, u8, u32, u64, usize);

impl FromValue for bool {
    fn from_value(value: &Value) -> Result<Self, String> {
        Ok(i64::from_value(value)? != 0)
    }
}

impl FromValue for f64 {
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Real(f) => Ok(*f),
            Value::Int(n) => Ok(*n as f64),
            other => Err(format!("{other:?} is not a number")),
        }
    }
}

impl FromValue for String {
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Text(s) => Ok(s.clone()),
            other => Err(format!("{other:?} is not text")),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// One row of an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Column `i` as a `T`.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T, Error> {
        let value = self.0.get(i).ok_or_else(|| Error::Conversion(i, "no such column".into()))?;
        T::from_value(value).map_err(|why| Error::Conversion(i, why))
    }

    /// Column `i` as text, borrowed (a pull page copies bodies without parsing them).
    pub fn text(&self, i: usize) -> Result<&str, Error> {
        match self.0.get(i) {
            Some(Value::Text(s)) => Ok(s),
            other => Err(Error::Conversion(i, format!("{other:?} is not text"))),
        }
    }

    pub fn values(&self) -> &[Value] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_read_as_the_types_asked_for_or_say_why_not() {
        let row = Row(vec![Value::Int(7), Value::Null, Value::Text("x".into()), Value::Int(300)]);
        assert_eq!(row.get::<i64>(0).unwrap(), 7);
        assert!(row.get::<bool>(0).unwrap());
        assert_eq!(row.get::<Option<String>>(1).unwrap(), None);
        assert_eq!(row.get::<String>(2).unwrap(), "x");
        assert!(row.get::<u8>(3).is_err(), "300 is no u8");
        assert!(row.get::<String>(0).is_err(), "an integer is not text");
        assert!(row.get::<i64>(9).is_err());
    }

    #[test]
    fn parameters_come_from_plain_rust_values() {
        let id = Uuid::nil();
        let none: Option<&str> = None;
        assert_eq!(
            params![1u8, "a", id, none, true, Some(5i64)],
            &[
                Value::Int(1),
                Value::Text("a".into()),
                Value::Text(id.to_string()),
                Value::Null,
                Value::Int(1),
                Value::Int(5)
            ]
        );
    }
}
