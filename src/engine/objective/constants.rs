//! The free constants of a compiled problem: their names and the tape input slots holding
//! their values (from `FIRST_CONSTANT_SLOT` on), shared by every kind of objective.

use crate::engine::expr::{DEFAULT_CONSTANT, FIRST_CONSTANT_SLOT};

/// Input slots for a tape with `count` free constants: parameters and data unset (NaN),
/// every constant at its default.
pub(super) fn slots_for(count: usize) -> Vec<f64> {
    let mut slots = vec![f64::NAN; FIRST_CONSTANT_SLOT + count];
    slots[FIRST_CONSTANT_SLOT..].fill(DEFAULT_CONSTANT);
    slots
}

/// The constants with their current values.
pub(super) fn values(names: &[String], slots: &[f64]) -> Vec<(String, f64)> {
    let values = slots.get(FIRST_CONSTANT_SLOT..).unwrap_or(&[]);
    names.iter().cloned().zip(values.iter().copied()).collect()
}

/// Sets the constant called `name`; false when there is none.
pub(super) fn set(names: &[String], slots: &mut [f64], name: &str, value: f64) -> bool {
    let slot = names
        .iter()
        .position(|n| n == name)
        .map(|i| FIRST_CONSTANT_SLOT + i);
    match slot.and_then(|i| slots.get_mut(i)) {
        Some(s) => {
            *s = value;
            true
        }
        None => false,
    }
}
