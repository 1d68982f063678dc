//! Small labelled inputs shared by the panels. Every input carries an accessible label so
//! screen readers (and the kittest tests) can find it.

/// A label followed by a number field; returns true when the number changed.
pub fn number(ui: &mut egui::Ui, label: &str, value: &mut f64, speed: f64) -> bool {
    ui.horizontal(|ui| number_cell(ui, label, value, speed))
        .inner
}

/// A number field with its label in the same row, for grids.
pub fn number_cell(ui: &mut egui::Ui, label: &str, value: &mut f64, speed: f64) -> bool {
    let label = ui.label(label);
    rounded_value(ui, value, speed)
        .labelled_by(label.id)
        .changed()
}

/// A number field that shows its value rounded (a dragged domain edge reads "-2.01", not
/// "-2.00805") and keeps the exact value: typing into it starts from every digit, and
/// leaving it untouched changes nothing.
fn rounded_value(ui: &mut egui::Ui, value: &mut f64, speed: f64) -> egui::Response {
    // The id the field is about to get: while it has the keyboard it shows every digit.
    let editing = ui.memory(|m| m.has_focus(ui.next_auto_id()));
    ui.add(
        egui::DragValue::new(value)
            .speed(speed)
            .custom_formatter(move |v, _| {
                if editing {
                    v.to_string()
                } else {
                    crate::ui::view3d::ticks::format_number(v)
                }
            }),
    )
}

/// A labelled integer field.
pub fn count(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut usize,
    range: std::ops::RangeInclusive<usize>,
) -> bool {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        ui.add(egui::DragValue::new(value).range(range).speed(1.0))
            .labelled_by(label.id)
            .changed()
    })
    .inner
}

/// A labelled seed field with a "new seed" button; true when the seed changed.
pub fn seed(ui: &mut egui::Ui, label: &str, seed: &mut u64, button_salt: &str) -> bool {
    ui.horizontal(|ui| {
        let label_response = ui.label(label);
        let mut changed = ui
            // Up to i64::MAX: scenario files (TOML) hold signed 64-bit integers.
            .add(
                egui::DragValue::new(seed)
                    .speed(1.0)
                    .range(0..=crate::engine::limits::MAX_SEED),
            )
            .labelled_by(label_response.id)
            .changed();
        if ui
            .push_id(button_salt, |ui| ui.button("new seed"))
            .inner
            .clicked()
        {
            *seed = fresh_seed(*seed);
            changed = true;
        }
        changed
    })
    .inner
}

/// A different seed, derived deterministically from the old one and the clock.
pub fn fresh_seed(old: u64) -> u64 {
    let nanos = web_time::SystemTime::now()
        .duration_since(web_time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    // SplitMix64 finalizer: spreads nearby inputs far apart.
    let mut z = old ^ nanos ^ 0x9E37_79B9_7F4A_7C15;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    let z = (z ^ (z >> 31)) % 1_000_000;
    if z == old { z + 1 } else { z }
}

/// An error message in the error color, wrapped.
pub fn error_text(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(egui::RichText::new(text).color(super::super::palette::ERROR)).wrap());
}

/// In a wrapping layout, starts the next row unless something `width` wide still fits on
/// this one (or this row is empty), so that what follows stays whole instead of breaking
/// across two rows. True when it started a row.
pub fn wrap_before(ui: &mut egui::Ui, width: f32) -> bool {
    let left = ui.available_size_before_wrap().x;
    let row_is_empty = left >= ui.max_rect().width() - 0.5;
    let wrap = width > left && !row_is_empty;
    if wrap {
        ui.end_row();
    }
    wrap
}

/// The width of `text` on one line in `ui`'s body font (a label's width without its
/// padding).
pub fn text_width(ui: &egui::Ui, text: impl Into<egui::WidgetText>) -> f32 {
    text.into()
        .into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        )
        .size()
        .x
}
