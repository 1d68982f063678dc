//! Ready-made problems: classic test functions of optimization and two data fits.
//!
//! Every function preset is defined by its formula text (which the learner can read and
//! edit), a default domain and its known stationary points; tests check each listed point
//! (gradient zero, Hessian definite in the right way, value as stated).

use crate::engine::{Domain, KnownPoint, Point, PointKind};

/// Whether a preset is a formula or a model fitted to data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PresetKind {
    /// J(w, b) given as a formula.
    Function,
    /// A model fitted to a dataset by a loss.
    DataFit,
}

impl PresetKind {
    /// The word shown in lists.
    pub fn label(self) -> &'static str {
        match self {
            PresetKind::Function => "function",
            PresetKind::DataFit => "data",
        }
    }
}

/// How presets are grouped in the app's menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PresetGroup {
    /// One minimum: bowls, valleys, plateaus.
    BowlsAndValleys,
    /// Several minima, local and global.
    ManyMinima,
    /// Saddle points.
    Saddles,
    /// Models fitted to data.
    DataFits,
}

impl PresetGroup {
    /// Every group, in menu order.
    pub const ALL: [PresetGroup; 4] = [
        PresetGroup::BowlsAndValleys,
        PresetGroup::ManyMinima,
        PresetGroup::Saddles,
        PresetGroup::DataFits,
    ];

    /// The heading shown in menus.
    pub fn label(self) -> &'static str {
        match self {
            PresetGroup::BowlsAndValleys => "bowls and valleys",
            PresetGroup::ManyMinima => "many minima",
            PresetGroup::Saddles => "saddles",
            PresetGroup::DataFits => "data fits",
        }
    }
}

/// A ready-made problem.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    /// The name typed on the command line (`losscape eval rosenbrock --at 0,0`).
    pub name: &'static str,
    /// The name shown in the app.
    pub title: &'static str,
    /// Function or data fit.
    pub kind: PresetKind,
    /// Menu group.
    pub group: PresetGroup,
    /// The formula J(w, b) of a function preset, or the model of a data fit.
    pub formula: &'static str,
    /// A data fit's loss (a loss name or formula); `None` for functions.
    pub loss: Option<&'static str>,
    /// A data fit's dataset name; `None` for functions.
    pub dataset: Option<&'static str>,
    /// One or two sentences on what it shows.
    pub description: &'static str,
    /// The region shown by default (`None` for data fits: it follows the data).
    pub domain: Option<Domain>,
    /// Known stationary points: every minimum (global and local) and notable saddles and maxima.
    pub known_points: &'static [KnownPoint],
}

const fn pt(w: f64, b: f64, value: f64, kind: PointKind) -> KnownPoint {
    let at: Point = [w, b];
    KnownPoint { at, value, kind }
}

const G: PointKind = PointKind::GlobalMinimum;
const L: PointKind = PointKind::LocalMinimum;
const S: PointKind = PointKind::Saddle;
const M: PointKind = PointKind::Maximum;

const fn function(
    name: &'static str,
    title: &'static str,
    group: PresetGroup,
    formula: &'static str,
    description: &'static str,
    domain: Domain,
    known_points: &'static [KnownPoint],
) -> Preset {
    Preset {
        name,
        title,
        kind: PresetKind::Function,
        group,
        formula,
        loss: None,
        dataset: None,
        description,
        domain: Some(domain),
        known_points,
    }
}

static PRESETS: &[Preset] = &[
    function(
        "bowl",
        "Bowl",
        PresetGroup::BowlsAndValleys,
        "w^2 + b^2",
        "A perfectly round bowl: every gradient points straight at the minimum.",
        Domain::new(-3.0, 3.0, -3.0, 3.0),
        &[pt(0.0, 0.0, 0.0, G)],
    ),
    function(
        "elongated-bowl",
        "Elongated bowl",
        PresetGroup::BowlsAndValleys,
        "w^2 + 25*b^2",
        "An ill-conditioned quadratic (curvatures 2 and 50): plain gradient descent zigzags across the narrow direction.",
        Domain::new(-3.0, 3.0, -1.5, 1.5),
        &[pt(0.0, 0.0, 0.0, G)],
    ),
    function(
        "rosenbrock",
        "Rosenbrock",
        PresetGroup::BowlsAndValleys,
        "(1 - w)^2 + 100*(b - w^2)^2",
        "A curved, flat-bottomed banana valley: easy to reach, slow to follow to the minimum at (1, 1).",
        Domain::new(-2.0, 2.0, -1.0, 3.0),
        &[pt(1.0, 1.0, 0.0, G)],
    ),
    function(
        "booth",
        "Booth",
        PresetGroup::BowlsAndValleys,
        "(w + 2*b - 7)^2 + (2*w + b - 5)^2",
        "A tilted quadratic bowl with its minimum at (1, 3).",
        Domain::new(-10.0, 10.0, -10.0, 10.0),
        &[pt(1.0, 3.0, 0.0, G)],
    ),
    function(
        "matyas",
        "Matyas",
        PresetGroup::BowlsAndValleys,
        "0.26*(w^2 + b^2) - 0.48*w*b",
        "A shallow, diagonal valley: the gradient is tiny along the valley floor.",
        Domain::new(-10.0, 10.0, -10.0, 10.0),
        &[pt(0.0, 0.0, 0.0, G)],
    ),
    function(
        "beale",
        "Beale",
        PresetGroup::BowlsAndValleys,
        "(1.5 - w + w*b)^2 + (2.25 - w + w*b^2)^2 + (2.625 - w + w*b^3)^2",
        "Steep walls and flat arms around a single minimum at (3, 0.5).",
        Domain::new(-4.5, 4.5, -4.5, 4.5),
        &[pt(3.0, 0.5, 0.0, G)],
    ),
    function(
        "plateau",
        "Plateau",
        PresetGroup::BowlsAndValleys,
        "1 - exp(-(w^2 + 2*b^2))",
        "A narrow dip in a wide flat plain: far from the dip the gradient almost vanishes and descent stalls.",
        Domain::new(-4.0, 4.0, -4.0, 4.0),
        &[pt(0.0, 0.0, 0.0, G)],
    ),
    function(
        "two-valleys",
        "Two valleys",
        PresetGroup::ManyMinima,
        "(w^2 - 1)^2 + 0.3*w + (b - 0.5*w)^2",
        "Two valleys separated by a ridge: the left one is deeper (global), the right one is a trap (local).",
        Domain::new(-2.0, 2.0, -1.5, 1.5),
        &[
            pt(
                -1.035_578_714_088_853_7,
                -0.517_789_357_044_426_9,
                -0.305_428_483_743_916,
                G,
            ),
            pt(
                0.960_149_555_519_105_5,
                0.480_074_777_759_552_8,
                0.294_146_481_028_262_85,
                L,
            ),
            pt(
                0.075_429_158_569_748_22,
                0.037_714_579_284_874_11,
                1.011_282_002_715_653,
                S,
            ),
        ],
    ),
    function(
        "himmelblau",
        "Himmelblau",
        PresetGroup::ManyMinima,
        "(w^2 + b - 11)^2 + (w + b^2 - 7)^2",
        "Four equally deep minima, one maximum and four saddles between them.",
        Domain::new(-5.0, 5.0, -5.0, 5.0),
        &[
            pt(3.0, 2.0, 0.0, G),
            pt(-2.805_118_086_952_745, 3.131_312_518_250_573, 0.0, G),
            pt(-3.779_310_253_377_747, -3.283_185_991_286_169_4, 0.0, G),
            pt(3.584_428_340_330_491_7, -1.848_126_526_964_403_6, 0.0, G),
            pt(
                -0.270_844_590_667_347_6,
                -0.923_038_556_479_981_5,
                181.616_521_522_582_7,
                M,
            ),
        ],
    ),
    function(
        "three-hump-camel",
        "Three-hump camel",
        PresetGroup::ManyMinima,
        "2*w^2 - 1.05*w^4 + w^6/6 + w*b + b^2",
        "A global minimum at the origin flanked by two shallower local minima.",
        Domain::new(-3.0, 3.0, -3.0, 3.0),
        &[
            pt(0.0, 0.0, 0.0, G),
            pt(
                1.747_552_345_830_289,
                -0.873_776_172_915_144_4,
                0.298_638_442_236_859_8,
                L,
            ),
            pt(
                -1.747_552_345_830_289,
                0.873_776_172_915_144_4,
                0.298_638_442_236_859_8,
                L,
            ),
            pt(
                1.070_542_291_823_66,
                -0.535_271_145_911_83,
                0.877_361_557_763_140_2,
                S,
            ),
            pt(
                -1.070_542_291_823_66,
                0.535_271_145_911_83,
                0.877_361_557_763_140_2,
                S,
            ),
        ],
    ),
    function(
        "six-hump-camel",
        "Six-hump camel",
        PresetGroup::ManyMinima,
        "(4 - 2.1*w^2 + w^4/3)*w^2 + w*b + (-4 + 4*b^2)*b^2",
        "Two global minima and four local ones; where you start decides where you end.",
        Domain::new(-3.0, 3.0, -2.0, 2.0),
        &[
            pt(
                0.089_842_013_100_318_06,
                -0.712_656_403_020_739_6,
                -1.031_628_453_489_877_3,
                G,
            ),
            pt(
                -0.089_842_013_100_318_06,
                0.712_656_403_020_739_6,
                -1.031_628_453_489_877_3,
                G,
            ),
            pt(
                -1.703_606_714_969_980_8,
                0.796_083_568_672_625_1,
                -0.215_463_824_383_717_64,
                L,
            ),
            pt(
                1.703_606_714_969_980_8,
                -0.796_083_568_672_625_1,
                -0.215_463_824_383_717_64,
                L,
            ),
            pt(
                1.607_104_752_920_197_2,
                0.568_651_454_884_131_4,
                2.104_250_310_311_258_3,
                L,
            ),
            pt(
                -1.607_104_752_920_197_2,
                -0.568_651_454_884_131_4,
                2.104_250_310_311_258_3,
                L,
            ),
        ],
    ),
    function(
        "goldstein-price",
        "Goldstein-Price",
        PresetGroup::ManyMinima,
        "(1 + (w + b + 1)^2*(19 - 14*w + 3*w^2 - 14*b + 6*w*b + 3*b^2))*(30 + (2*w - 3*b)^2*(18 - 32*w + 12*w^2 + 48*b - 36*w*b + 27*b^2))",
        "Values spanning five decades (log-spaced contours help), a global minimum of 3 at (0, -1) and three local minima.",
        Domain::new(-2.0, 2.0, -2.0, 2.0),
        &[
            pt(0.0, -1.0, 3.0, G),
            pt(-0.6, -0.4, 30.0, L),
            pt(1.8, 0.2, 84.0, L),
            pt(1.2, 0.8, 840.0, L),
        ],
    ),
    function(
        "rastrigin",
        "Rastrigin",
        PresetGroup::ManyMinima,
        "20 + w^2 - 10*cos(2*pi*w) + b^2 - 10*cos(2*pi*b)",
        "A bowl covered in a regular egg-crate of local minima; gradient descent stops in the nearest one.",
        Domain::new(-5.12, 5.12, -5.12, 5.12),
        &[
            pt(0.0, 0.0, 0.0, G),
            pt(0.994_958_637_652_334_8, 0.0, 0.994_959_057_093_291_4, L),
            pt(-0.994_958_637_652_334_8, 0.0, 0.994_959_057_093_291_4, L),
            pt(0.0, 0.994_958_637_652_334_8, 0.994_959_057_093_291_4, L),
            pt(0.0, -0.994_958_637_652_334_8, 0.994_959_057_093_291_4, L),
            pt(
                0.994_958_637_652_334_8,
                0.994_958_637_652_334_8,
                1.989_918_114_186_582_8,
                L,
            ),
        ],
    ),
    function(
        "ackley",
        "Ackley",
        PresetGroup::ManyMinima,
        "-20*exp(-0.2*sqrt(0.5*(w^2 + b^2))) - exp(0.5*(cos(2*pi*w) + cos(2*pi*b))) + e + 20",
        "A nearly flat, bumpy plain around a deep funnel; the global minimum at the origin is a sharp point (not differentiable there).",
        Domain::new(-5.0, 5.0, -5.0, 5.0),
        &[pt(0.0, 0.0, 0.0, G)],
    ),
    function(
        "styblinski-tang",
        "Styblinski-Tang",
        PresetGroup::ManyMinima,
        "0.5*(w^4 - 16*w^2 + 5*w + b^4 - 16*b^2 + 5*b)",
        "Four minima of different depths at the corners of a square, a maximum in the middle.",
        Domain::new(-5.0, 5.0, -5.0, 5.0),
        &[
            pt(
                -2.903_534_027_771_177,
                -2.903_534_027_771_177,
                -78.332_331_407_542_83,
                G,
            ),
            pt(
                2.746_802_770_990_837,
                -2.903_534_027_771_177,
                -64.195_612_359_055_36,
                L,
            ),
            pt(
                -2.903_534_027_771_177,
                2.746_802_770_990_837,
                -64.195_612_359_055_36,
                L,
            ),
            pt(
                2.746_802_770_990_837,
                2.746_802_770_990_837,
                -50.058_893_310_567_88,
                L,
            ),
            pt(
                0.156_731_256_780_340_1,
                0.156_731_256_780_340_1,
                0.391_224_718_110_716_14,
                M,
            ),
        ],
    ),
    function(
        "saddle",
        "Saddle",
        PresetGroup::Saddles,
        "w^2 - b^2",
        "A horse saddle: a minimum along w, a maximum along b. Starting exactly on b = 0, gradient descent stops at the saddle.",
        Domain::new(-2.0, 2.0, -2.0, 2.0),
        &[pt(0.0, 0.0, 0.0, S)],
    ),
    function(
        "monkey-saddle",
        "Monkey saddle",
        PresetGroup::Saddles,
        "w^3 - 3*w*b^2",
        "Three valleys and three ridges meet at a flat point (gradient and Hessian both zero).",
        Domain::new(-2.0, 2.0, -2.0, 2.0),
        &[pt(0.0, 0.0, 0.0, S)],
    ),
    Preset {
        name: "linear-regression",
        title: "Linear regression",
        kind: PresetKind::DataFit,
        group: PresetGroup::DataFits,
        formula: "w*x + b",
        loss: Some("mse"),
        dataset: Some("house-prices"),
        description: "A line w*x + b fitted to house prices; J = 1/(2m) * sum (w*x + b - y)^2 is a quadratic bowl.",
        domain: None,
        known_points: &[],
    },
    Preset {
        name: "logistic-regression",
        title: "Logistic regression",
        kind: PresetKind::DataFit,
        group: PresetGroup::DataFits,
        formula: "sigmoid(w*x + b)",
        loss: Some("logloss"),
        dataset: Some("classes"),
        description: "A probability sigmoid(w*x + b) fitted to two classes with the log-loss (cross-entropy).",
        domain: None,
        known_points: &[],
    },
];

/// Every preset, in menu order (grouped).
pub fn presets() -> &'static [Preset] {
    PRESETS
}

/// The preset with this name (case-insensitive; `_` and spaces count as `-`).
pub fn preset(name: &str) -> Option<&'static Preset> {
    let wanted: String = name
        .trim()
        .chars()
        .map(|c| {
            if c == '_' || c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    PRESETS.iter().find(|p| p.name == wanted)
}
