//! Surfaces of the real presets (compiled formulas): grids never report a value below a known
//! global minimum, every known minimum is found by the critical-point search, and the saddle
//! preset has exactly its one saddle.
#![allow(clippy::unwrap_used)]

use losscape::engine::objective::{FunctionObjective, Objective, PresetKind, preset, presets};
use losscape::engine::surface::{
    CriticalKind, CriticalOptions, Grid, LevelSpacing, contour_lines, find_critical_points, levels,
};
use losscape::engine::{Domain, PointKind};

fn objective(name: &str) -> FunctionObjective {
    let p = preset(name).unwrap_or_else(|| panic!("preset {name}"));
    let mut f = FunctionObjective::new(p.formula).unwrap();
    if let Some(d) = p.domain {
        f = f.with_domain(d);
    }
    f
}

fn function_presets() -> impl Iterator<Item = &'static losscape::engine::objective::Preset> {
    presets().iter().filter(|p| p.kind == PresetKind::Function)
}

#[test]
fn grids_never_go_below_the_known_global_minimum() {
    for p in function_presets() {
        let f = objective(p.name);
        let grid = Grid::sample(&f, f.domain(), 201, 201).unwrap();
        for k in p
            .known_points
            .iter()
            .filter(|k| k.kind == PointKind::GlobalMinimum)
        {
            let tol = 1e-9 * k.value.abs().max(1.0);
            assert!(
                grid.min >= k.value - tol,
                "{}: grid min {} below {}",
                p.name,
                grid.min,
                k.value
            );
        }
        // The grid's argmin holds the grid's min.
        let at = grid.argmin.unwrap();
        assert_eq!(f.value(at), grid.min, "{}", p.name);
    }
}

#[test]
fn every_known_minimum_in_the_domain_is_found() {
    for p in function_presets() {
        let f = objective(p.name);
        let domain: Domain = f.domain();
        let report = find_critical_points(&f, domain, &CriticalOptions::default());
        let tol = 1e-4 * domain.w_span().hypot(domain.b_span());
        for k in p.known_points {
            if !domain.contains(k.at)
                || !matches!(k.kind, PointKind::GlobalMinimum | PointKind::LocalMinimum)
            {
                continue;
            }
            let found = report
                .points
                .iter()
                .find(|c| (c.at[0] - k.at[0]).hypot(c.at[1] - k.at[1]) < tol)
                .unwrap_or_else(|| {
                    panic!(
                        "{}: minimum {:?} not found in {:#?}",
                        p.name, k.at, report.points
                    )
                });
            assert_eq!(found.kind, CriticalKind::Minimum, "{}: {found:?}", p.name);
            assert!(
                (found.value - k.value).abs() < 1e-6 * k.value.abs().max(1.0),
                "{}: {found:?}",
                p.name
            );
        }
    }
}

#[test]
fn the_saddle_preset_has_one_saddle_at_the_origin() {
    let f = objective("saddle");
    let report = find_critical_points(&f, f.domain(), &CriticalOptions::default());
    assert_eq!(report.points.len(), 1, "{:#?}", report.points);
    assert_eq!(report.points[0].kind, CriticalKind::Saddle);
    assert!(report.points[0].at[0].abs() < 1e-9 && report.points[0].at[1].abs() < 1e-9);
}

#[test]
fn himmelblau_preset_has_four_minima_one_maximum_four_saddles() {
    let f = objective("himmelblau");
    let report = find_critical_points(
        &f,
        Domain::new(-5.0, 5.0, -5.0, 5.0),
        &CriticalOptions::default(),
    );
    let count = |k| report.points.iter().filter(|p| p.kind == k).count();
    assert_eq!(
        (
            count(CriticalKind::Minimum),
            count(CriticalKind::Maximum),
            count(CriticalKind::Saddle)
        ),
        (4, 1, 4),
        "{:#?}",
        report.points
    );
}

#[test]
fn rosenbrock_log_contours_reach_into_the_valley() {
    let f = objective("rosenbrock");
    let grid = Grid::sample(&f, f.domain(), 256, 256).unwrap();
    let lv = levels(LevelSpacing::Log, 12, &grid);
    assert_eq!(lv.len(), 12);
    assert!(
        lv[0] < 0.1,
        "the lowest level is near the valley floor: {lv:?}"
    );
    let lines = contour_lines(&grid, &lv);
    for l in &lv {
        assert!(lines.iter().any(|c| c.level == *l), "level {l} has a line");
    }
}
