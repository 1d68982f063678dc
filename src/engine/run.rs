//! A run: an optimizer stepping from an initialization (being built).
