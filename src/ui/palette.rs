//! Run colors: the Okabe-Ito palette, designed to stay distinguishable for people with the
//! common forms of color blindness, and readable on both light and dark backgrounds.

use egui::Color32;

/// The run colors in the order new runs take them (Okabe-Ito, without black).
pub const RUN_COLORS: [Color32; 7] = [
    Color32::from_rgb(230, 159, 0),   // orange
    Color32::from_rgb(86, 180, 233),  // sky blue
    Color32::from_rgb(0, 158, 115),   // bluish green
    Color32::from_rgb(204, 121, 167), // reddish purple
    Color32::from_rgb(240, 228, 66),  // yellow
    Color32::from_rgb(0, 114, 178),   // blue
    Color32::from_rgb(213, 94, 0),    // vermillion
];

/// The palette slot of a run's color; a run without one takes the slot of its `position`.
pub fn slot(color: Option<crate::engine::run::RunColor>, position: usize) -> usize {
    color.map_or(position, crate::engine::run::RunColor::index)
}

/// The color of palette slot `index` (wraps around).
pub fn run_color(index: usize) -> Color32 {
    RUN_COLORS[index % RUN_COLORS.len()]
}

/// The relative luminance a run color may have where it is drawn on a light background
/// (curves, dots and names on a light theme's panels): at most this keeps a contrast of
/// about 3.5 to 1 against white.
const MAX_LUMINANCE_ON_LIGHT: f32 = 0.25;

/// `color` as it is drawn on the theme's own background: unchanged on a dark theme; on a
/// light one, colors too light to read against white (yellow, sky blue, orange) are
/// darkened, keeping their hue. Paths over the heat map or the 3D surface keep the palette
/// color.
pub fn on_background(color: Color32, dark_mode: bool) -> Color32 {
    if dark_mode {
        return color;
    }
    let linear = egui::Rgba::from(color);
    let luminance = 0.2126 * linear.r() + 0.7152 * linear.g() + 0.0722 * linear.b();
    if luminance <= MAX_LUMINANCE_ON_LIGHT {
        return color;
    }
    let k = MAX_LUMINANCE_ON_LIGHT / luminance;
    Color32::from(egui::Rgba::from_rgb(
        linear.r() * k,
        linear.g() * k,
        linear.b() * k,
    ))
}

/// The color of palette slot `index` on the background of `ui` (see [`on_background`]).
pub fn run_color_on(index: usize, ui: &egui::Ui) -> Color32 {
    on_background(run_color(index), ui.visuals().dark_mode)
}

/// The first palette slot not in `used`, or the least used one when all are taken.
pub fn next_free_color(used: impl IntoIterator<Item = usize>) -> usize {
    let mut counts = [0usize; RUN_COLORS.len()];
    for u in used {
        counts[u % RUN_COLORS.len()] += 1;
    }
    let mut best = 0;
    for (i, &c) in counts.iter().enumerate() {
        if c < counts[best] {
            best = i;
        }
    }
    best
}

/// Color of the known minima markers (stars).
pub const MINIMUM_MARKER: Color32 = Color32::WHITE;

/// Color of undefined regions (J is NaN or infinite) on the heat map.
pub const UNDEFINED_REGION: Color32 = Color32::from_rgb(110, 110, 110);

/// Color of errors (invalid formula, bad CSV).
pub const ERROR: Color32 = Color32::from_rgb(235, 80, 70);

#[cfg(test)]
mod tests {
    use super::*;

    // New runs never share a color while a free one remains.
    #[test]
    fn next_free_color_prefers_unused_slots() {
        assert_eq!(next_free_color([]), 0);
        assert_eq!(next_free_color([0, 1]), 2);
        assert_eq!(next_free_color([1, 0, 3]), 2);
        let all: Vec<usize> = (0..RUN_COLORS.len()).collect();
        assert_eq!(next_free_color(all.iter().copied().chain([0])), 1);
    }

    // On a light background every run color keeps enough contrast against white; on a dark
    // one nothing changes.
    #[test]
    fn colors_stay_readable_on_light_backgrounds() {
        let luminance = |c: Color32| {
            let l = egui::Rgba::from(c);
            0.2126 * l.r() + 0.7152 * l.g() + 0.0722 * l.b()
        };
        for &c in &RUN_COLORS {
            assert_eq!(on_background(c, true), c);
            let light = on_background(c, false);
            assert!(
                luminance(light) <= MAX_LUMINANCE_ON_LIGHT + 0.01,
                "{c:?} -> {light:?}"
            );
            // Contrast with white: (1 + 0.05) / (L + 0.05) >= 3.
            assert!(
                1.05 / (luminance(light) + 0.05) >= 3.0,
                "{c:?} -> {light:?}"
            );
        }
        // Darkened colors stay distinct from each other.
        let light: Vec<Color32> = RUN_COLORS
            .iter()
            .map(|&c| on_background(c, false))
            .collect();
        for (i, a) in light.iter().enumerate() {
            for b in &light[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    // All palette colors are pairwise different.
    #[test]
    fn colors_are_distinct() {
        for (i, a) in RUN_COLORS.iter().enumerate() {
            for b in &RUN_COLORS[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
