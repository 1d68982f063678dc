//! Colormaps for heat maps: a value in [0, 1] to an RGB color.
//!
//! The anchor colors are published values: matplotlib's viridis and magma tables (by Stéfan
//! van der Walt and Nathaniel Smith, released CC0), sampled at every 16th of their 256 entries,
//! and ColorBrewer's 11-class RdBu (Cynthia Brewer), reversed so low values are blue. Between
//! anchors the color is interpolated linearly in RGB.

/// The color of undefined cells (NaN or infinite J): a mid gray that none of the maps uses.
pub const UNDEFINED_RGB: [u8; 3] = [128, 128, 128];

/// A colormap for heat maps.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Colormap {
    /// Perceptually uniform dark purple -> blue -> green -> yellow (the default).
    #[default]
    #[serde(alias = "Viridis")]
    Viridis,
    /// Perceptually uniform black -> purple -> orange -> pale yellow.
    #[serde(alias = "Magma")]
    Magma,
    /// Diverging blue -> white -> red; the middle of the range is white.
    #[serde(alias = "BlueWhiteRed")]
    BlueWhiteRed,
}

impl Colormap {
    /// Every colormap, for menus.
    pub const ALL: [Colormap; 3] = [Colormap::Viridis, Colormap::Magma, Colormap::BlueWhiteRed];

    /// The name shown to people and accepted by [`Colormap::from_name`].
    pub fn name(self) -> &'static str {
        match self {
            Self::Viridis => "viridis",
            Self::Magma => "magma",
            Self::BlueWhiteRed => "blue-white-red",
        }
    }

    /// The colormap with this name (any letter case).
    pub fn from_name(name: &str) -> Option<Colormap> {
        Self::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The color of `t` in [0, 1] (clamped); NaN gives [`UNDEFINED_RGB`].
    pub fn rgb(self, t: f64) -> [u8; 3] {
        if t.is_nan() {
            return UNDEFINED_RGB;
        }
        let anchors: &[[f32; 3]] = match self {
            Self::Viridis => &VIRIDIS,
            Self::Magma => &MAGMA,
            Self::BlueWhiteRed => &RDBU,
        };
        let last = anchors.len() - 1;
        let pos = t.clamp(0.0, 1.0) * last as f64;
        let k = (pos.floor() as usize).min(last - 1);
        let f = (pos - k as f64) as f32;
        let (a, b) = (anchors[k], anchors[k + 1]);
        let mix = |c: usize| {
            ((a[c] + f * (b[c] - a[c])) * 255.0)
                .round()
                .clamp(0.0, 255.0) as u8
        };
        [mix(0), mix(1), mix(2)]
    }
}

impl std::fmt::Display for Colormap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// viridis at entries 0, 16, 32, ..., 240, 255 of matplotlib's 256-entry table. The last step
/// is 15 entries instead of 16, a difference far below one 8-bit level.
const VIRIDIS: [[f32; 3]; 17] = [
    [0.267004, 0.004874, 0.329415],
    [0.282327, 0.094955, 0.417331],
    [0.278826, 0.175490, 0.483397],
    [0.258965, 0.251537, 0.524736],
    [0.229739, 0.322361, 0.545706],
    [0.199430, 0.387607, 0.554642],
    [0.172719, 0.448791, 0.557885],
    [0.149039, 0.508051, 0.557250],
    [0.127568, 0.566949, 0.550556],
    [0.120638, 0.625828, 0.533488],
    [0.157851, 0.683765, 0.501686],
    [0.246070, 0.738910, 0.452024],
    [0.369214, 0.788888, 0.382914],
    [0.515992, 0.831158, 0.294279],
    [0.678489, 0.863742, 0.189503],
    [0.845561, 0.887322, 0.099702],
    [0.993248, 0.906157, 0.143936],
];

/// magma at entries 0, 16, 32, ..., 240, 255 of matplotlib's 256-entry table.
const MAGMA: [[f32; 3]; 17] = [
    [0.001462, 0.000466, 0.013866],
    [0.039608, 0.031090, 0.133515],
    [0.113094, 0.065492, 0.276784],
    [0.211718, 0.061992, 0.418647],
    [0.316654, 0.071690, 0.485380],
    [0.414709, 0.110431, 0.504662],
    [0.512831, 0.148179, 0.507648],
    [0.613617, 0.181811, 0.498536],
    [0.716387, 0.214982, 0.475290],
    [0.816914, 0.255895, 0.436461],
    [0.904281, 0.319610, 0.388137],
    [0.960949, 0.418323, 0.359630],
    [0.986700, 0.535582, 0.382210],
    [0.996096, 0.653659, 0.446213],
    [0.996898, 0.769591, 0.534892],
    [0.992440, 0.884330, 0.640099],
    [0.987053, 0.991438, 0.749504],
];

/// ColorBrewer RdBu (11 classes), blue end first: #053061 #2166ac #4393c3 #92c5de #d1e5f0
/// #f7f7f7 #fddbc7 #f4a582 #d6604d #b2182b #67001f.
const RDBU: [[f32; 3]; 11] = [
    rgb8(0x05, 0x30, 0x61),
    rgb8(0x21, 0x66, 0xac),
    rgb8(0x43, 0x93, 0xc3),
    rgb8(0x92, 0xc5, 0xde),
    rgb8(0xd1, 0xe5, 0xf0),
    rgb8(0xf7, 0xf7, 0xf7),
    rgb8(0xfd, 0xdb, 0xc7),
    rgb8(0xf4, 0xa5, 0x82),
    rgb8(0xd6, 0x60, 0x4d),
    rgb8(0xb2, 0x18, 0x2b),
    rgb8(0x67, 0x00, 0x1f),
];

const fn rgb8(r: u8, g: u8, b: u8) -> [f32; 3] {
    [r as f32 / 255.0, g as f32 / 255.0, b as f32 / 255.0]
}
