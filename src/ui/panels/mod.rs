//! The side panels: the problem (formula or data fit, constants, domain, display) and the
//! runs (list and editor).

pub mod formula;
pub mod lesson;
pub mod optimizer;
pub mod problem;
pub mod run_editor;
pub mod run_settings;
pub mod runs;
pub mod widgets;
