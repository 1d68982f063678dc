//! A formula field: monospace, recompiled after a pause in typing (or at once on Enter); an
//! error marks its position in the text (red background), frames the field in red and is
//! explained underneath.

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Stroke, TextStyle};

use super::super::palette;
use crate::engine::scenario::ProblemError;

/// What happened in a formula field this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormulaEdit {
    /// Nothing typed.
    None,
    /// A keystroke changed the text: compile after a pause.
    Typed,
    /// Enter, or the field let go of the keyboard: compile now.
    Done,
}

/// Draws `text` in an editable field labelled `label`. Enter does not break the line
/// (Shift+Enter does): it asks to compile at once.
pub fn formula_ui(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    error: Option<&ProblemError>,
    hint: &str,
) -> FormulaEdit {
    let label_response = ui.label(label);
    let compile = error.and_then(|e| e.compile.as_ref());
    let span = compile.map(|c| (c.position, c.length));
    let font = TextStyle::Monospace.resolve(ui.style());
    let text_color = ui.visuals().text_color();
    let mut layouter = |ui: &egui::Ui, buffer: &dyn egui::TextBuffer, wrap_width: f32| {
        let mut job = highlighted(buffer.as_str(), span, font.clone(), text_color);
        job.wrap.max_width = wrap_width;
        ui.fonts_mut(|f| f.layout_job(job))
    };
    let mut frame = egui::Frame::new()
        .inner_margin(egui::Margin::symmetric(4, 2))
        .corner_radius(ui.visuals().widgets.inactive.corner_radius)
        .fill(ui.visuals().extreme_bg_color);
    frame = if error.is_some() {
        frame.stroke(Stroke::new(2.0, palette::ERROR))
    } else {
        frame.stroke(ui.visuals().widgets.inactive.bg_stroke)
    };
    let response = ui
        .add(
            egui::TextEdit::multiline(text)
                // A stable id: the layout above may change while typing (a preset turning
                // "custom" drops its description), and an id from the position would move
                // and take the keyboard away mid-word.
                .id_salt(("formula", label))
                .desired_rows(1)
                .return_key(egui::KeyboardShortcut::new(
                    egui::Modifiers::SHIFT,
                    egui::Key::Enter,
                ))
                .desired_width(f32::INFINITY)
                .hint_text(hint.to_owned())
                .frame(frame)
                .layouter(&mut layouter),
        )
        .labelled_by(label_response.id)
        .on_hover_text(syntax_help());
    let enter =
        response.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter) && !i.modifiers.shift);
    let edit = if enter || response.lost_focus() {
        FormulaEdit::Done
    } else if response.changed() {
        FormulaEdit::Typed
    } else {
        FormulaEdit::None
    };
    if let Some(err) = error {
        let place = match span {
            Some((start, _)) if start >= text.chars().count() => "at the end: ".to_owned(),
            Some((start, _)) => format!("at character {}: ", start + 1),
            None => String::new(),
        };
        let message = compile.map_or(err.message.as_str(), |c| c.message.as_str());
        super::widgets::error_text(ui, &format!("{place}{message}"));
        if let Some(hint) = compile.and_then(|c| c.hint.as_ref()) {
            ui.add(egui::Label::new(egui::RichText::new(format!("hint: {hint}")).italics()).wrap());
        }
    }
    edit
}

/// What can be typed: operators, the engine's functions, and free constants.
fn syntax_help() -> String {
    let names: Vec<&str> = crate::engine::expr::ops::FUNCTIONS
        .iter()
        .map(|(name, _)| *name)
        .collect();
    format!(
        "Variables: w and b (x in a model; yhat and y in a loss).\n\
         Operators: + - * / ^ and parentheses.\nFunctions: {}.\nNumbers like 2.5 or 1e-3; pi and e.\n\
         Any other name (a, k, delta...) is a free constant with its own slider.",
        names.join(", ")
    )
}

/// The text with the characters `span = (start, length)` (in characters) on a red
/// background; an error at the very end is shown by a red bar after the last character.
fn highlighted(
    text: &str,
    span: Option<(usize, usize)>,
    font: FontId,
    color: Color32,
) -> LayoutJob {
    let plain = TextFormat {
        font_id: font.clone(),
        color,
        ..Default::default()
    };
    let marked = TextFormat {
        font_id: font,
        color: Color32::WHITE,
        background: palette::ERROR.gamma_multiply(0.8),
        underline: Stroke::new(2.0, palette::ERROR),
        ..Default::default()
    };
    let mut job = LayoutJob::default();
    let Some((start, length)) = span else {
        job.append(text, 0.0, plain);
        return job;
    };
    let byte_at = |chars: usize| {
        text.char_indices()
            .nth(chars)
            .map_or(text.len(), |(b, _)| b)
    };
    let (a, b) = (byte_at(start), byte_at(start + length.max(1)));
    job.append(&text[..a], 0.0, plain.clone());
    if a < b {
        job.append(&text[a..b], 0.0, marked);
    } else {
        // Past the end: a marked blank shows where something is missing.
        job.append(" ", 0.0, marked);
    }
    job.append(&text[b..], 0.0, plain);
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(text: &str, span: Option<(usize, usize)>) -> Vec<String> {
        let job = highlighted(text, span, FontId::monospace(12.0), Color32::WHITE);
        job.sections
            .iter()
            .map(|s| job.text[s.byte_range.start.0..s.byte_range.end.0].to_owned())
            .collect()
    }

    // The marked section is exactly the error's characters, counted as characters.
    #[test]
    fn marks_the_error_span() {
        assert_eq!(sections("w^2 + )", Some((6, 1))), vec!["w^2 + ", ")", ""]);
        assert_eq!(sections("α*w + )", Some((6, 1))), vec!["α*w + ", ")", ""]);
        assert_eq!(sections("w +", Some((3, 1))), vec!["w +", " ", ""]);
        assert_eq!(sections("w", None), vec!["w"]);
    }
}
