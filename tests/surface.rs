//! Surfaces: grids hold J where they say, contours lie on their level, critical points are
//! found and classified, curvature numbers match hand-derived ones, colormaps are the
//! published ones.
#![allow(clippy::unwrap_used)]

use losscape::engine::objective::Objective;
use losscape::engine::surface::{
    Colormap, ContourLine, CriticalKind, CriticalOptions, Curvature, Grid, GridSampler,
    LevelSpacing, UNDEFINED_RGB, ValueScale, contour_lines, find_critical_points, heat_map_rgba,
    levels,
};
use losscape::engine::{Derivatives, Domain, Point};

/// A hand-written objective: value, gradient and Hessian closures.
struct Hand {
    f: fn(f64, f64) -> f64,
    g: fn(f64, f64) -> [f64; 2],
    h: fn(f64, f64) -> [[f64; 2]; 2],
}

impl Objective for Hand {
    fn value(&self, p: Point) -> f64 {
        (self.f)(p[0], p[1])
    }
    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        ((self.f)(p[0], p[1]), (self.g)(p[0], p[1]))
    }
    fn derivatives(&self, p: Point) -> Derivatives {
        Derivatives {
            value: (self.f)(p[0], p[1]),
            gradient: (self.g)(p[0], p[1]),
            hessian: (self.h)(p[0], p[1]),
        }
    }
    fn domain(&self) -> Domain {
        Domain::new(-2.0, 2.0, -2.0, 2.0)
    }
}

fn bowl() -> Hand {
    Hand {
        f: |w, b| w * w + b * b,
        g: |w, b| [2.0 * w, 2.0 * b],
        h: |_, _| [[2.0, 0.0], [0.0, 2.0]],
    }
}

fn saddle() -> Hand {
    Hand {
        f: |w, b| w * w - b * b,
        g: |w, b| [2.0 * w, -2.0 * b],
        h: |_, _| [[2.0, 0.0], [0.0, -2.0]],
    }
}

fn monkey_saddle() -> Hand {
    Hand {
        f: |w, b| w * w * w - 3.0 * w * b * b,
        g: |w, b| [3.0 * w * w - 3.0 * b * b, -6.0 * w * b],
        h: |w, b| [[6.0 * w, -6.0 * b], [-6.0 * b, -6.0 * w]],
    }
}

fn himmelblau() -> Hand {
    Hand {
        f: |w, b| (w * w + b - 11.0).powi(2) + (w + b * b - 7.0).powi(2),
        g: |w, b| {
            let (p, q) = (w * w + b - 11.0, w + b * b - 7.0);
            [4.0 * w * p + 2.0 * q, 2.0 * p + 4.0 * b * q]
        },
        h: |w, b| {
            let (p, q) = (w * w + b - 11.0, w + b * b - 7.0);
            [
                [4.0 * p + 8.0 * w * w + 2.0, 4.0 * (w + b)],
                [4.0 * (w + b), 2.0 + 4.0 * q + 8.0 * b * b],
            ]
        },
    }
}

/// The bowl where w >= 0, NaN elsewhere (like sqrt of a negative).
fn half_bowl() -> Hand {
    Hand {
        f: |w, b| if w >= 0.0 { w * w + b * b } else { f64::NAN },
        g: |w, b| [2.0 * w, 2.0 * b],
        h: |_, _| [[2.0, 0.0], [0.0, 2.0]],
    }
}

/// 0.5 * p^T H p with H = [[3, 1], [1, 3]] (eigenvalues 2 and 4).
fn tilted_quadratic() -> Hand {
    Hand {
        f: |w, b| 0.5 * (3.0 * w * w + 2.0 * w * b + 3.0 * b * b),
        g: |w, b| [3.0 * w + b, w + 3.0 * b],
        h: |_, _| [[3.0, 1.0], [1.0, 3.0]],
    }
}

#[test]
fn grid_cells_hold_j_at_their_points() {
    let f = Hand {
        f: |w, b| 3.0 * w + 10.0 * b,
        g: |_, _| [3.0, 10.0],
        h: |_, _| [[0.0; 2]; 2],
    };
    let domain = Domain::new(-1.0, 2.0, 5.0, 6.0);
    let grid = Grid::sample(&f, domain, 4, 3).unwrap();
    assert_eq!(grid.values.len(), 12);
    for i in 0..3 {
        for j in 0..4 {
            let (w, b) = (-1.0 + j as f64, 5.0 + 0.5 * i as f64);
            assert_eq!(grid.point(i, j), [w, b]);
            assert_eq!(
                grid.values[i * 4 + j],
                3.0 * w + 10.0 * b,
                "row {i} col {j}"
            );
        }
    }
    assert_eq!(grid.min, -3.0 + 50.0);
    assert_eq!(grid.max, 6.0 + 60.0);
    assert_eq!(grid.argmin, Some([-1.0, 5.0]));
    assert_eq!(grid.argmin_cell, Some((0, 0)));
}

#[test]
fn grid_min_max_argmin_of_a_bowl() {
    let grid = Grid::sample(&bowl(), Domain::new(-2.0, 2.0, -1.0, 3.0), 41, 41).unwrap();
    assert_eq!(grid.min, 0.0);
    assert_eq!(grid.max, 13.0);
    let [w, b] = grid.argmin.unwrap();
    assert!(w.abs() < 1e-12 && b.abs() < 1e-12, "{w} {b}");
    assert_eq!(grid.undefined_count, 0);
}

#[test]
fn thread_counts_give_identical_grids() {
    let domain = Domain::new(-5.0, 5.0, -5.0, 5.0);
    let one = GridSampler::new(domain, 300, 211)
        .threads(1)
        .sample(&himmelblau())
        .unwrap();
    let two = GridSampler::new(domain, 300, 211)
        .threads(2)
        .sample(&himmelblau())
        .unwrap();
    let all = Grid::sample(&himmelblau(), domain, 300, 211).unwrap();
    assert_eq!(one, two);
    assert_eq!(one, all);
}

#[test]
fn undefined_cells_are_left_out_of_the_statistics() {
    let grid = Grid::sample(&half_bowl(), Domain::new(-2.0, 2.0, -1.0, 1.0), 5, 3).unwrap();
    // Columns w = -2 and -1 are NaN; w = 0, 1, 2 are defined.
    assert_eq!(grid.undefined_count, 6);
    assert_eq!(grid.min, 0.0);
    assert_eq!(grid.max, 5.0);
    assert_eq!(grid.argmin, Some([0.0, 0.0]));

    let nothing = Hand {
        f: |_, _| f64::NAN,
        g: |_, _| [0.0; 2],
        h: |_, _| [[0.0; 2]; 2],
    };
    let grid = Grid::sample(&nothing, Domain::new(0.0, 1.0, 0.0, 1.0), 3, 3).unwrap();
    assert!(grid.min.is_nan() && grid.max.is_nan());
    assert_eq!(grid.argmin, None);
    assert!(levels(LevelSpacing::Even, 5, &grid).is_empty());
    assert!(contour_lines(&grid, &[0.5]).is_empty());
}

#[test]
fn bad_domains_and_resolutions_are_refused() {
    let ok = Domain::new(0.0, 1.0, 0.0, 1.0);
    assert!(Grid::sample(&bowl(), Domain::new(1.0, 1.0, 0.0, 1.0), 10, 10).is_err());
    assert!(Grid::sample(&bowl(), Domain::new(0.0, f64::NAN, 0.0, 1.0), 10, 10).is_err());
    assert!(Grid::sample(&bowl(), ok, 1, 10).is_err());
    assert!(Grid::sample(&bowl(), ok, 5000, 5000).is_err());
    assert!(Grid::sample(&bowl(), ok, usize::MAX, 3).is_err());
    assert!(Grid::from_values(ok, 2, 2, vec![1.0; 3]).is_err());
}

/// A range the grid cannot resolve (its width overflows, or it is too narrow for the size of
/// its numbers, so neighbouring samples would be the same number) is refused, and the message
/// says which range is wrong and how; extreme but resolvable ranges are accepted.
#[test]
fn domains_whose_numbers_cannot_be_resolved_are_refused() {
    let message = |d: Domain| Grid::sample(&bowl(), d, 5, 5).unwrap_err().to_string();
    let overflowing = Domain::new(-1e308, 1e308, -1.0, 1.0);
    assert!(!overflowing.is_valid());
    let err = message(overflowing);
    assert!(err.contains("w range") && err.contains("too wide"), "{err}");
    let collapsed = Domain::new(-1.0, 1.0, 1.0, 1.0 + 1e-12);
    assert!(!collapsed.is_valid());
    let err = message(collapsed);
    assert!(
        err.contains("b range") && err.contains("too narrow"),
        "{err}"
    );
    let subnormal = Domain::new(0.0, 1e-310, 0.0, 1.0);
    assert!(!subnormal.is_valid());
    assert!(message(subnormal).contains("too narrow"));
    let reversed = Domain::new(0.0, 1.0, 2.0, -2.0);
    assert!(message(reversed).contains("smaller"));
    for d in [
        Domain::new(0.0, 1e-300, 0.0, 1e-300),
        Domain::new(-1e307, 1e307, -1e200, 1e200),
        Domain::new(1e6, 1e6 + 1e-2, 0.0, 1.0),
    ] {
        assert!(d.is_valid(), "{d:?}");
        let grid = Grid::sample(&bowl(), d, 5, 5).unwrap();
        assert!(grid.w_at(0) < grid.w_at(1) && grid.b_at(3) < grid.b_at(4));
    }
}

#[test]
fn a_cancelled_grid_is_dropped() {
    let flag = std::sync::atomic::AtomicBool::new(true);
    let sampler = GridSampler::new(Domain::new(0.0, 1.0, 0.0, 1.0), 64, 64).cancel_flag(&flag);
    assert_eq!(sampler.sample_cancellable(&bowl()).unwrap(), None);
    flag.store(false, std::sync::atomic::Ordering::Relaxed);
    assert!(sampler.sample_cancellable(&bowl()).unwrap().is_some());
}

// Progress reports add up to every cell once, for cheap formulas and for data fits (which
// are given chunks of a few rows), and the data fit's grid holds its values.
#[test]
fn progress_reports_count_every_cell() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let data = losscape::engine::data::ClassData {
        examples: 2_000,
        ..Default::default()
    }
    .generate()
    .unwrap();
    let fit = losscape::engine::objective::DataFitObjective::new(
        std::sync::Arc::new(data),
        "sigmoid(w*x + b)",
        "logloss",
        None,
    )
    .unwrap();
    let objectives: [&dyn Objective; 2] = [&bowl(), &fit];
    for objective in objectives {
        let done = AtomicUsize::new(0);
        let calls = AtomicUsize::new(0);
        let report = |cells: usize| {
            done.fetch_add(cells, Ordering::Relaxed);
            calls.fetch_add(1, Ordering::Relaxed);
        };
        let grid = GridSampler::new(Domain::new(-3.0, 3.0, -2.0, 2.0), 37, 29)
            .progress(&report)
            .sample(objective)
            .unwrap();
        assert_eq!(done.load(Ordering::Relaxed), 37 * 29);
        assert!(calls.load(Ordering::Relaxed) >= 1);
        for (row, col) in [(0, 0), (13, 20), (28, 36)] {
            let want = objective.value(grid.point(row, col));
            let got = grid.value(row, col).unwrap();
            assert!((got - want).abs() <= 1e-12 * want.abs(), "{got} vs {want}");
        }
    }
}

fn radius(p: Point) -> f64 {
    p[0].hypot(p[1])
}

#[test]
fn bowl_contours_are_closed_circles_of_radius_sqrt_c() {
    let grid = Grid::sample(&bowl(), Domain::new(-2.0, 2.0, -2.0, 2.0), 201, 201).unwrap();
    for c in [0.25, 1.0, 2.25, 3.5] {
        let lines = contour_lines(&grid, &[c]);
        assert_eq!(lines.len(), 1, "level {c}");
        let line = &lines[0];
        assert_eq!(line.level, c);
        assert!(line.closed);
        assert_eq!(line.points.first(), line.points.last());
        // The loop goes all the way round: it has many points and visits every quadrant.
        assert!(line.points.len() > 40);
        for quadrant in [[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]] {
            assert!(
                line.points
                    .iter()
                    .any(|p| p[0] * quadrant[0] > 0.0 && p[1] * quadrant[1] > 0.0)
            );
        }
        // Linear interpolation between samples 0.02 apart is within 1e-3 of the true circle.
        for p in &line.points {
            assert!(
                (radius(*p) - c.sqrt()).abs() < 1e-3,
                "level {c}: point {p:?} radius {}",
                radius(*p)
            );
        }
    }
}

#[test]
fn contours_stop_at_undefined_cells() {
    let grid = Grid::sample(&half_bowl(), Domain::new(-2.0, 2.0, -2.0, 2.0), 101, 101).unwrap();
    let lines = contour_lines(&grid, &[1.0]);
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    assert!(!line.closed);
    assert!(
        line.points.iter().all(|p| p[0] >= 0.0),
        "no point in the undefined half"
    );
    assert!(line.points.iter().all(|p| (radius(*p) - 1.0).abs() < 2e-3));
    // The half circle runs from near (0, -1) to near (0, 1).
    let ends = [line.points[0], line.points[line.points.len() - 1]];
    assert!(
        ends.iter()
            .all(|p| p[0] < 0.1 && (p[1].abs() - 1.0).abs() < 0.01),
        "{ends:?}"
    );
}

/// The segments of a one-cell grid: row 0 is `[v(0,0), v(0,1)]`, row 1 `[v(1,0), v(1,1)]`.
fn one_cell(values: [f64; 4], level: f64) -> Vec<ContourLine> {
    let grid = Grid::from_values(Domain::new(0.0, 1.0, 0.0, 1.0), 2, 2, values.to_vec()).unwrap();
    contour_lines(&grid, &[level])
}

fn has_segment(lines: &[ContourLine], a: Point, b: Point) -> bool {
    lines
        .iter()
        .any(|l| l.points == vec![a, b] || l.points == vec![b, a])
}

#[test]
fn saddle_cells_are_resolved_by_the_cell_average() {
    // High corners bottom-left (0,0) and top-right (1,1); low ones elsewhere. Average 0.5.
    let values = [1.0, 0.0, 0.0, 1.0];
    // Level 0.4 < average: the high corners are joined through the middle, so the two lines
    // cut off the low corners (1,0) and (0,1).
    let lines = one_cell(values, 0.4);
    assert_eq!(lines.len(), 2);
    assert!(has_segment(&lines, [0.6, 0.0], [1.0, 0.4]), "{lines:?}");
    assert!(has_segment(&lines, [0.0, 0.6], [0.4, 1.0]), "{lines:?}");
    // Level 0.6 > average: the low corners are joined; the lines cut off the high corners.
    let lines = one_cell(values, 0.6);
    assert_eq!(lines.len(), 2);
    assert!(has_segment(&lines, [0.0, 0.4], [0.4, 0.0]), "{lines:?}");
    assert!(has_segment(&lines, [1.0, 0.6], [0.6, 1.0]), "{lines:?}");
    // The mirrored saddle (high corners bottom-right and top-left) follows the same rule.
    let lines = one_cell([0.0, 1.0, 1.0, 0.0], 0.4);
    assert!(has_segment(&lines, [0.0, 0.4], [0.4, 0.0]), "{lines:?}");
    assert!(has_segment(&lines, [1.0, 0.6], [0.6, 1.0]), "{lines:?}");
}

#[test]
fn saddle_surface_contours_do_not_cross_the_saddle() {
    // w^2 - b^2 on a grid whose middle cell holds the saddle point: the level-0.01 lines are the
    // two branches of a hyperbola opening along w (left and right), never joined.
    let grid = Grid::sample(&saddle(), Domain::new(-1.0, 1.0, -1.0, 1.0), 40, 40).unwrap();
    for level in [0.01, -0.01] {
        let lines = contour_lines(&grid, &[level]);
        assert_eq!(lines.len(), 2, "level {level}");
        for line in &lines {
            assert!(!line.closed);
            let side = line.points[0][(level < 0.0) as usize].signum();
            let axis = (level < 0.0) as usize;
            assert!(
                line.points.iter().all(|p| p[axis].signum() == side),
                "a branch stays on one side"
            );
        }
    }
}

#[test]
fn contour_points_lie_on_their_level() {
    let grid = Grid::sample(&himmelblau(), Domain::new(-5.0, 5.0, -5.0, 5.0), 400, 400).unwrap();
    let lv = levels(LevelSpacing::Even, 8, &grid);
    let lines = contour_lines(&grid, &lv);
    assert!(lines.len() >= lv.len());
    let f = himmelblau();
    for line in &lines {
        for p in &line.points {
            // Within one cell of the true line: |J - level| <= |grad| * cell size, roughly.
            let (v, g) = f.value_gradient(*p);
            let tol = (g[0].hypot(g[1]) + 1.0) * 0.05;
            assert!((v - line.level).abs() < tol, "{p:?}: {v} vs {}", line.level);
        }
    }
}

#[test]
fn level_spacings() {
    let grid = Grid::from_values(
        Domain::new(0.0, 1.0, 0.0, 1.0),
        2,
        2,
        vec![0.0, 10.0, 1000.0, f64::NAN],
    )
    .unwrap();
    assert_eq!(
        levels(LevelSpacing::Even, 4, &grid),
        vec![200.0, 400.0, 600.0, 800.0]
    );
    let log = levels(LevelSpacing::Log, 5, &grid);
    assert_eq!(log.len(), 5);
    // Geometric in J - min + eps with eps = 1e-3: equal ratios.
    let eps = 1000.0 * 1e-6;
    let ratios: Vec<f64> = log
        .windows(2)
        .map(|p| (p[1] + eps) / (p[0] + eps))
        .collect();
    for r in &ratios {
        assert!((r / ratios[0] - 1.0).abs() < 1e-9);
    }
    // eps = 1e-3 to 1000 + eps is six decades: interior levels one decade apart.
    for (k, level) in log.iter().enumerate() {
        let expected = 10f64.powi(k as i32 - 2);
        assert!(((level + eps) / expected - 1.0).abs() < 1e-6, "{log:?}");
    }
    // With a positive minimum the levels are geometric between min and max.
    let pos = Grid::from_values(
        Domain::new(0.0, 1.0, 0.0, 1.0),
        2,
        2,
        vec![1.0, 10.0, 100.0, 1000.0],
    )
    .unwrap();
    let log = levels(LevelSpacing::Log, 2, &pos);
    assert!(
        (log[0] - 10.0).abs() < 1e-9 && (log[1] - 100.0).abs() < 1e-9,
        "{log:?}"
    );
    // Quantiles of 0, 10, 1000 (NaN left out): thirds between sorted values.
    let q = levels(LevelSpacing::Quantile, 1, &grid);
    assert_eq!(q, vec![10.0]);
    // A flat grid has no levels.
    let flat = Grid::from_values(Domain::new(0.0, 1.0, 0.0, 1.0), 2, 2, vec![3.0; 4]).unwrap();
    assert!(levels(LevelSpacing::Even, 5, &flat).is_empty());
    assert!(levels(LevelSpacing::Log, 5, &flat).is_empty());
}

fn near(a: Point, b: Point, tol: f64) -> bool {
    (a[0] - b[0]).hypot(a[1] - b[1]) < tol
}

#[test]
fn himmelblau_has_four_minima_one_maximum_and_four_saddles() {
    let report = find_critical_points(
        &himmelblau(),
        Domain::new(-5.0, 5.0, -5.0, 5.0),
        &CriticalOptions::default(),
    );
    let of = |k| {
        report
            .points
            .iter()
            .filter(|p| p.kind == k)
            .collect::<Vec<_>>()
    };
    let (minima, maxima, saddles) = (
        of(CriticalKind::Minimum),
        of(CriticalKind::Maximum),
        of(CriticalKind::Saddle),
    );
    assert_eq!(
        (minima.len(), maxima.len(), saddles.len()),
        (4, 1, 4),
        "{:#?}",
        report.points
    );
    let known_minima = [
        [3.0, 2.0],
        [-2.805118, 3.131312],
        [-3.779310, -3.283186],
        [3.584428, -1.848126],
    ];
    for m in known_minima {
        let found = minima
            .iter()
            .find(|p| near(p.at, m, 1e-5))
            .expect("known minimum found");
        assert!(found.value.abs() < 1e-12, "{found:?}");
        assert!(found.curvature.eigenvalues[0] > 0.0);
        assert!(found.hessian_test);
    }
    let max = maxima[0];
    assert!(near(max.at, [-0.270845, -0.923039], 1e-5), "{max:?}");
    assert!((max.value - 181.617).abs() < 1e-3);
    for s in saddles {
        assert!(s.curvature.eigenvalues[0] < 0.0 && s.curvature.eigenvalues[1] > 0.0);
        assert!(s.gradient_norm < 1e-8);
    }
    // Lowest value first.
    assert!(report.points.windows(2).all(|p| p[0].value <= p[1].value));
    assert_eq!(report.flat_starts, 0);
}

#[test]
fn the_saddle_has_one_saddle_point_at_the_origin() {
    let report = find_critical_points(
        &saddle(),
        Domain::new(-2.0, 2.0, -2.0, 2.0),
        &CriticalOptions::default(),
    );
    assert_eq!(report.points.len(), 1);
    let p = report.points[0];
    assert_eq!(p.kind, CriticalKind::Saddle);
    assert!(near(p.at, [0.0, 0.0], 1e-12));
    assert_eq!(p.curvature.eigenvalues, [-2.0, 2.0]);
    assert_eq!(p.curvature.condition_number, 1.0);
}

#[test]
fn the_monkey_saddle_is_classified_without_the_hessian() {
    let report = find_critical_points(
        &monkey_saddle(),
        Domain::new(-1.0, 1.0, -1.0, 1.0),
        &CriticalOptions::default(),
    );
    assert_eq!(report.points.len(), 1, "{:#?}", report.points);
    let p = report.points[0];
    assert_eq!(p.kind, CriticalKind::Saddle);
    assert!(!p.hessian_test);
    assert!(near(p.at, [0.0, 0.0], 1e-6));
}

#[test]
fn a_bowl_outside_the_domain_has_no_critical_points_inside() {
    let report = find_critical_points(
        &bowl(),
        Domain::new(1.0, 2.0, 1.0, 2.0),
        &CriticalOptions::default(),
    );
    assert!(report.points.is_empty());
}

#[test]
fn flat_regions_are_counted_not_listed() {
    let flat = Hand {
        f: |_, _| 4.0,
        g: |_, _| [0.0; 2],
        h: |_, _| [[0.0; 2]; 2],
    };
    let options = CriticalOptions {
        starts_per_axis: 5,
        ..CriticalOptions::default()
    };
    let report = find_critical_points(&flat, Domain::new(0.0, 1.0, 0.0, 1.0), &options);
    assert!(report.points.is_empty());
    assert_eq!(report.flat_starts, 25);
    assert_eq!(report.starts, 25);
}

/// J(p / s): the same landscape drawn in units s times larger.
struct Scaled(f64, Hand);

impl Objective for Scaled {
    fn value(&self, p: Point) -> f64 {
        self.1.value([p[0] / self.0, p[1] / self.0])
    }
    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        let d = self.derivatives(p);
        (d.value, d.gradient)
    }
    fn derivatives(&self, p: Point) -> Derivatives {
        let s = self.0;
        let d = self.1.derivatives([p[0] / s, p[1] / s]);
        let h = d.hessian;
        Derivatives {
            value: d.value,
            gradient: [d.gradient[0] / s, d.gradient[1] / s],
            hessian: [
                [h[0][0] / s / s, h[0][1] / s / s],
                [h[1][0] / s / s, h[1][1] / s / s],
            ],
        }
    }
    fn domain(&self) -> Domain {
        Domain::new(-5.0 * self.0, 5.0 * self.0, -5.0 * self.0, 5.0 * self.0)
    }
}

/// The search does not depend on the units of w and b: on a domain 1e-300 or 1e200 wide the
/// saddle of w^2 - b^2 is listed once (J underflows to 0 on the first and overflows away from
/// the origin on the second), and Himmelblau's nine points and the monkey saddle, scaled, are
/// all found.
#[test]
fn critical_points_are_found_once_at_any_scale() {
    for s in [1e-300, 1e-100, 1e-8, 1.0, 1e8, 1e100, 1e200] {
        for d in [
            Domain::new(0.0, s, 0.0, s),
            Domain::new(-0.3 * s, 0.7 * s, -0.6 * s, 0.4 * s),
        ] {
            let report = find_critical_points(&saddle(), d, &CriticalOptions::default());
            assert_eq!(report.points.len(), 1, "scale {s:e}: {:#?}", report.points);
            let p = report.points[0];
            assert_eq!(p.kind, CriticalKind::Saddle, "scale {s:e}");
            assert!(
                p.at[0].abs() <= 1e-9 * s && p.at[1].abs() <= 1e-9 * s,
                "{p:?}"
            );
        }
    }
    for s in [1e-100, 1e-8, 1e8, 1e100] {
        let f = Scaled(s, himmelblau());
        let report = find_critical_points(&f, f.domain(), &CriticalOptions::default());
        let count = |k| report.points.iter().filter(|p| p.kind == k).count();
        assert_eq!(
            (
                count(CriticalKind::Minimum),
                count(CriticalKind::Maximum),
                count(CriticalKind::Saddle)
            ),
            (4, 1, 4),
            "scale {s:e}: {:#?}",
            report.points
        );
        assert!(
            report
                .points
                .iter()
                .any(|p| near([p.at[0] / s, p.at[1] / s], [3.0, 2.0], 1e-6)),
            "scale {s:e}: {:#?}",
            report.points
        );
        // The monkey saddle's Hessian vanishes: J around the point decides, at any scale.
        let f = Scaled(s, monkey_saddle());
        let d = Domain::new(-s, s, -s, s);
        let report = find_critical_points(&f, d, &CriticalOptions::default());
        assert_eq!(report.points.len(), 1, "scale {s:e}: {:#?}", report.points);
        let p = report.points[0];
        assert_eq!(p.kind, CriticalKind::Saddle);
        assert!(!p.hessian_test);
        assert!(near([p.at[0] / s, p.at[1] / s], [0.0, 0.0], 1e-6), "{p:?}");
    }
}

#[test]
fn curvature_of_a_quadratic() {
    let c = Curvature::at(&tilted_quadratic(), [0.3, -0.7]);
    assert!(
        (c.eigenvalues[0] - 2.0).abs() < 1e-14 && (c.eigenvalues[1] - 4.0).abs() < 1e-14,
        "{c:?}"
    );
    assert!((c.condition_number - 2.0).abs() < 1e-14);
    assert!((c.max_stable_learning_rate.unwrap() - 0.5).abs() < 1e-15);
    let s = std::f64::consts::FRAC_1_SQRT_2;
    let [v0, v1] = c.eigenvectors;
    assert!(
        (v0[0] * v0[1] + 0.5).abs() < 1e-14 && (v0[0].abs() - s).abs() < 1e-14,
        "{v0:?}"
    );
    assert!((v1[0] * v1[1] - 0.5).abs() < 1e-14, "{v1:?}");

    let long = Curvature::from_hessian([[1.0, 0.0], [0.0, 100.0]]);
    assert_eq!(long.eigenvalues, [1.0, 100.0]);
    assert_eq!(long.condition_number, 100.0);
    assert_eq!(long.max_stable_learning_rate, Some(0.02));
    assert_eq!(long.eigenvectors, [[1.0, 0.0], [0.0, 1.0]]);

    let concave = Curvature::from_hessian([[-1.0, 0.0], [0.0, -3.0]]);
    assert_eq!(concave.eigenvalues, [-3.0, -1.0]);
    assert_eq!(concave.max_stable_learning_rate, None);
    assert_eq!(concave.condition_number, 3.0);

    let singular = Curvature::from_hessian([[1.0, 1.0], [1.0, 1.0]]);
    assert_eq!(singular.eigenvalues, [0.0, 2.0]);
    assert_eq!(singular.condition_number, f64::INFINITY);

    assert!(
        Curvature::from_hessian([[f64::NAN, 0.0], [0.0, 1.0]])
            .condition_number
            .is_nan()
    );
}

/// Eigenvalues do not depend on the units: Hessians with entries near 1e200 or 1e-200 (whose
/// products over- or underflow) come apart like those near 1.
#[test]
fn curvature_of_huge_and_tiny_hessians() {
    for s in [1e-200, 1e200] {
        let c = Curvature::from_hessian([[3.0 * s, s], [s, 3.0 * s]]);
        let [lo, hi] = c.eigenvalues;
        assert!(
            (lo / s - 2.0).abs() < 1e-14 && (hi / s - 4.0).abs() < 1e-14,
            "{s:e}: {c:?}"
        );
        assert!((c.condition_number - 2.0).abs() < 1e-14, "{c:?}");
    }
}

/// The small eigenvalue of an ill-conditioned Hessian keeps its relative accuracy (it is
/// taken from the determinant, not as the difference of two nearly equal numbers, which loses
/// about five digits here: a general solver's half-trace minus root gives 1.0000334e-12).
#[test]
fn the_small_eigenvalue_of_a_long_valley_is_exact() {
    let c = Curvature::from_hessian([[1.0, 1e-9], [1e-9, 1e-12]]);
    let small = 1e-12 - 1e-18;
    assert!((c.eigenvalues[0] / small - 1.0).abs() < 1e-12, "{c:?}");
    assert!((c.eigenvalues[1] - 1.0).abs() < 1e-15, "{c:?}");
    assert!((c.condition_number * small - 1.0).abs() < 1e-12, "{c:?}");
}

#[test]
fn gradient_descent_at_the_stable_limit_stops_converging() {
    // Above 2 / lambda_max, GD on the quadratic grows; below it, it shrinks.
    let f = tilted_quadratic();
    let lr = Curvature::at(&f, [0.0, 0.0])
        .max_stable_learning_rate
        .unwrap();
    let run = |alpha: f64| {
        let mut p = [1.0, 1.0];
        for _ in 0..200 {
            let (_, g) = f.value_gradient(p);
            p = [p[0] - alpha * g[0], p[1] - alpha * g[1]];
        }
        p[0].hypot(p[1])
    };
    assert!(run(0.98 * lr) < 1e-1);
    assert!(run(1.02 * lr) > 10.0);
}

fn distance(a: [u8; 3], b: [u8; 3]) -> f64 {
    (0..3)
        .map(|k| (f64::from(a[k]) - f64::from(b[k])).powi(2))
        .sum::<f64>()
        .sqrt()
}

#[test]
fn colormaps_match_their_published_colors() {
    // matplotlib viridis: #440154 at 0, #21918c at 0.5, #fde725 at 1.
    assert_eq!(Colormap::Viridis.rgb(0.0), [68, 1, 84]);
    assert_eq!(Colormap::Viridis.rgb(1.0), [253, 231, 37]);
    assert!(distance(Colormap::Viridis.rgb(0.5), [0x21, 0x91, 0x8c]) <= 2.0);
    // magma: #000004 at 0, #b73779 at 0.5, #fcfdbf at 1.
    assert_eq!(Colormap::Magma.rgb(0.0), [0, 0, 4]);
    assert_eq!(Colormap::Magma.rgb(1.0), [252, 253, 191]);
    assert!(distance(Colormap::Magma.rgb(0.5), [0xb7, 0x37, 0x79]) <= 2.0);
    // Diverging: blue, white middle, red.
    assert_eq!(Colormap::BlueWhiteRed.rgb(0.5), [247, 247, 247]);
    let [r, _, b] = Colormap::BlueWhiteRed.rgb(0.0);
    assert!(b > r);
    let [r, _, b] = Colormap::BlueWhiteRed.rgb(1.0);
    assert!(r > b);
    // Out-of-range values clamp; NaN is undefined.
    assert_eq!(Colormap::Viridis.rgb(-3.0), Colormap::Viridis.rgb(0.0));
    assert_eq!(Colormap::Viridis.rgb(7.0), Colormap::Viridis.rgb(1.0));
    assert_eq!(Colormap::Magma.rgb(f64::NAN), UNDEFINED_RGB);
    assert_eq!(Colormap::from_name("MAGMA"), Some(Colormap::Magma));
    assert_eq!(Colormap::from_name("jet"), None);
}

#[test]
fn the_undefined_color_stands_out_in_every_map() {
    for map in Colormap::ALL {
        for k in 0..=256 {
            let c = map.rgb(f64::from(k) / 256.0);
            assert!(distance(c, UNDEFINED_RGB) > 60.0, "{map} at {k}: {c:?}");
        }
    }
}

#[test]
fn viridis_and_magma_get_lighter_monotonically() {
    for map in [Colormap::Viridis, Colormap::Magma] {
        let luma = |c: [u8; 3]| {
            0.2126 * f64::from(c[0]) + 0.7152 * f64::from(c[1]) + 0.0722 * f64::from(c[2])
        };
        let mut last = -1.0;
        for k in 0..=64 {
            let l = luma(map.rgb(f64::from(k) / 64.0));
            assert!(l >= last - 0.5, "{map}: luma drops at {k}");
            last = l;
        }
    }
}

#[test]
fn heat_map_pixels_put_b_max_on_top() {
    let f = Hand {
        f: |_, b| b,
        g: |_, _| [0.0, 1.0],
        h: |_, _| [[0.0; 2]; 2],
    };
    let grid = Grid::sample(&f, Domain::new(0.0, 1.0, 0.0, 1.0), 3, 2).unwrap();
    let px = heat_map_rgba(&grid, Colormap::Viridis, ValueScale::Linear);
    assert_eq!(px.len(), 3 * 2 * 4);
    assert_eq!(
        px[0..4],
        [253, 231, 37, 255],
        "top-left is b = 1, the maximum"
    );
    assert_eq!(
        px[12..16],
        [68, 1, 84, 255],
        "bottom-left is b = 0, the minimum"
    );
    assert_eq!(ValueScale::Log.unit(0.0, 0.0, 100.0), 0.0);
    assert_eq!(ValueScale::Log.unit(100.0, 0.0, 100.0), 1.0);
    assert!(ValueScale::Log.unit(1.0, 0.0, 100.0) > 0.5);
}

#[test]
fn npy_and_csv_exports() {
    let f = Hand {
        f: |w, b| w + 10.0 * b,
        g: |_, _| [1.0, 10.0],
        h: |_, _| [[0.0; 2]; 2],
    };
    let grid = Grid::sample(&f, Domain::new(0.0, 2.0, 0.0, 1.0), 3, 2).unwrap();
    let mut npy = Vec::new();
    grid.write_npy(&mut npy).unwrap();
    assert_eq!(&npy[..8], b"\x93NUMPY\x01\x00");
    let header_len = usize::from(u16::from_le_bytes([npy[8], npy[9]]));
    assert_eq!((10 + header_len) % 64, 0);
    let header = std::str::from_utf8(&npy[10..10 + header_len]).unwrap();
    assert!(header.starts_with("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"));
    assert!(header.ends_with('\n'));
    let data: Vec<f64> = npy[10 + header_len..]
        .chunks(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    assert_eq!(data, vec![0.0, 1.0, 2.0, 10.0, 11.0, 12.0]);

    let mut csv = Vec::new();
    grid.write_csv(&mut csv).unwrap();
    assert_eq!(String::from_utf8(csv).unwrap(), "0,1,2\n10,11,12\n");
}
