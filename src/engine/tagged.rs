//! Tagged settings written either as a table (`init = { kind = "manual", w = 1, b = 2 }`)
//! or, when their defaults will do, by name alone (`init = "zero"`).

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, MapDeserializer};
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// An internally tagged enum: the key that holds the variant's name.
pub trait Tagged: for<'de> Deserialize<'de> {
    /// The tag key (`kind`, `rule`).
    const TAG: &'static str;
    /// What the value is, for messages ("a start", "an optimizer").
    const WHAT: &'static str;
}

/// Reads a [`Tagged`] value from its name alone or from a table (for `deserialize_with`).
pub fn name_or_table<'de, D: Deserializer<'de>, T: Tagged>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(NameOrTable(PhantomData))
}

struct NameOrTable<T>(PhantomData<T>);

impl<'de, T: Tagged> Visitor<'de> for NameOrTable<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} as a name or a table with `{}` (e.g. {{ {} = \"...\" }})",
            T::WHAT,
            T::TAG,
            T::TAG
        )
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<T, E> {
        let entries = std::iter::once((T::TAG, name));
        T::deserialize(MapDeserializer::<_, E>::new(entries))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}
