//! The Explore view through egui_kittest: basins on the contour map, the explorers' tabs,
//! their buttons applying settings to the selected run, and their settings saved and
//! restored.
#![allow(clippy::unwrap_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use losscape::engine::map::CellStatus;
use losscape::engine::scenario::{ExploreTab, ProblemSettings, Scenario, ViewMode};
use losscape::ui::LosscapeApp;
use losscape::ui::state::State;
use losscape::ui::views::slices::SliceAxis;

/// The app at 1280x800 on Himmelblau (four minima), background work finished.
fn himmelblau() -> Harness<'static, LosscapeApp> {
    let mut state = State::default();
    state.scene.problem = ProblemSettings::from_preset("himmelblau").unwrap();
    state.scene.problem.domain = None;
    let ctx = egui::Context::default();
    let app = LosscapeApp::new(&ctx, state);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LosscapeApp| app.show(ui), app);
    settle(&mut h);
    h
}

fn settle(h: &mut Harness<'static, LosscapeApp>) {
    for _ in 0..3 {
        h.run();
        h.state_mut().wait_for_background();
    }
    h.run();
}

fn selected(h: &Harness<'static, LosscapeApp>) -> losscape::engine::run::RunSettings {
    let state = h.state().state();
    state
        .scene
        .runs
        .iter()
        .find(|r| Some(r.id) == state.selected_run)
        .cloned()
        .unwrap()
}

/// Lesson `index` (from 0) with the Explore tab `title` open, background work finished.
fn lesson_tab(index: usize, title: &str) -> Harness<'static, LosscapeApp> {
    let mut h = himmelblau();
    h.state_mut().open_lesson(index);
    settle(&mut h);
    open_tab(&mut h, title);
    h
}

fn open_tab(h: &mut Harness<'static, LosscapeApp>, title: &str) {
    h.get_by_label("Explore").click();
    h.run();
    h.get_by_label(title).click();
    settle(h);
}

// The Basins toggle colors the contour map by where each start ends: on Himmelblau,
// gradient descent from the shown region reaches all four minima.
#[test]
fn basins_toggle_maps_every_start() {
    let mut h = himmelblau();
    h.get_by_label("Basins").click();
    settle(&mut h);
    assert!(h.state().state().scene.view.explore.basins);
    let map = h
        .state()
        .basins()
        .view
        .map
        .clone()
        .expect("a basin picture");
    assert!(map.done, "the picture is complete after waiting");
    assert_eq!(map.cells.len(), 128 * 128);
    let mut reached = [false; 4];
    for cell in map.cells.iter().flatten() {
        if let (CellStatus::Converged, Some(m)) = (cell.status, cell.minimum) {
            reached[m] = true;
        }
    }
    assert_eq!(reached, [true; 4], "every minimum has a basin");
    assert!(
        h.state()
            .basins()
            .view
            .map
            .as_ref()
            .is_some_and(|m| m.image.size == [128, 128])
    );
}

// Changing the run's learning rate recomputes the basins for the new rate.
#[test]
fn basins_follow_the_learning_rate() {
    let mut h = himmelblau();
    h.get_by_label("Basins").click();
    settle(&mut h);
    let before = h.state().basins().view.map.clone().unwrap();
    let id = selected(&h).id;
    for run in &mut h.state_mut().state_mut().scene.runs {
        if run.id == id {
            run.learning_rate *= 3.0;
        }
    }
    settle(&mut h);
    let after = h.state().basins().view.map.clone().unwrap();
    assert!(after.done);
    assert_eq!(after.job.base().learning_rate, selected(&h).learning_rate);
    assert_ne!(
        before.job.base().learning_rate,
        after.job.base().learning_rate
    );
}

// The learning-rate tab scans the configured rates; the bifurcation tab shares the scan.
#[test]
fn learning_rate_tab_scans_rates() {
    let mut h = himmelblau();
    open_tab(&mut h, "Learning rate");
    let view = &h.state().state().scene.view;
    assert_eq!(view.mode, ViewMode::Explore);
    assert_eq!(view.explore.tab, ExploreTab::LearningRate);
    let count = view.explore.lr_count;
    let scan = h.state().explorer().learning_rate.scan().expect("a scan");
    assert_eq!(scan.rates.len(), count);
    assert!(
        scan.status.contains(&CellStatus::Diverged),
        "the top rates diverge"
    );
    h.get_by_label_contains("limit");
    open_tab(&mut h, "Bifurcation");
    assert_eq!(
        h.state().state().scene.view.explore.tab,
        ExploreTab::Bifurcation
    );
}

// The bifurcation diagram is scaled to the runs that stay near the problem: in lesson 6
// the largest rates blow the stochastic run up to |w| near 1e6 without diverging yet, and
// a range holding them drew every settled run (w near 1.9) on one line at "0".
#[test]
fn bifurcation_is_scaled_to_the_runs_that_stay() {
    let h = lesson_tab(5, "Bifurcation");
    let scan = h.state().explorer().learning_rate.scan().expect("a scan");
    let far = scan
        .late
        .iter()
        .flatten()
        .map(|p| p[0].abs())
        .fold(0.0, f64::max);
    assert!(far > 1e3, "some rate blows w up ({far})");
    // The shown region is about 8 wide in w and 4 in b.
    for axis in [SliceAxis::W, SliceAxis::B] {
        let id = losscape::ui::explore::learning_rate::bifurcation_plot_id(axis);
        let memory = egui_plot::PlotMemory::load(&h.ctx, id).unwrap();
        let [lo, hi] = [memory.bounds().min()[1], memory.bounds().max()[1]];
        assert!(hi - lo < 200.0, "the {} plot spans {lo}..{hi}", axis.name());
    }
}

// The outcome legend wraps a swatch with its label: in lesson 6 at 1280x800 the grey
// swatch ended one row and "iteration limit" began the next, beside nothing.
#[test]
fn legend_keeps_each_swatch_with_its_label() {
    let h = lesson_tab(5, "Two settings");
    let left = |label: &str| h.get_by_label(label).rect().left();
    let first = h.get_by_label_contains("minimum (").rect().left();
    for label in [
        "converged elsewhere",
        "iteration limit",
        "diverged",
        "J undefined",
    ] {
        assert!(
            left(label) >= first - 0.5,
            "'{label}' starts at x = {}, left of its swatch's row ({first})",
            left(label)
        );
    }
}

// The two-settings map leaves room for its legend: in lesson 13 at 1280x800 (four minima,
// a long legend) every entry is above the learning curve's panel, not cut off under it.
#[test]
fn two_settings_legend_fits_above_the_learning_curve() {
    let mut h = lesson_tab(12, "Two settings");
    settle(&mut h);
    let curve_top = h.get_by_label("Learning curve").rect().top();
    for label in ["iteration limit", "J undefined"] {
        let bottom = h.get_by_label(label).rect().bottom();
        assert!(
            bottom <= curve_top,
            "'{label}' ends at y = {bottom}, below the learning curve's top ({curve_top})"
        );
    }
}

// The stability map and the sweep under it share their x axis on screen: one learning
// rate is at one x in both (their y labels, "200" and "1e-24", differ in width).
#[test]
fn learning_rate_plots_line_up() {
    let mut h = himmelblau();
    open_tab(&mut h, "Learning rate");
    let frame = |id| {
        let memory = egui_plot::PlotMemory::load(&h.ctx, id).unwrap();
        *memory.transform().frame()
    };
    let map = frame(losscape::ui::explore::learning_rate::stability_plot_id());
    let sweep = frame(losscape::ui::explore::learning_rate::sweep_plot_id());
    assert!(
        (map.left() - sweep.left()).abs() < 0.5 && (map.right() - sweep.right()).abs() < 0.5,
        "the map spans x = {}..{}, the sweep {}..{}",
        map.left(),
        map.right(),
        sweep.left(),
        sweep.right()
    );
}

// The range test suggests a rate, and "Use this rate" gives it to the selected run.
#[test]
fn range_test_rate_is_applied() {
    let mut h = himmelblau();
    open_tab(&mut h, "Range test");
    let suggested = h
        .state()
        .explorer()
        .range_test
        .result()
        .and_then(|t| t.suggested)
        .expect("a suggestion on Himmelblau");
    h.get_by_label("Use this rate").click();
    settle(&mut h);
    assert_eq!(selected(&h).learning_rate, suggested);
    assert!(h.state().state().scene.playback.playing, "the run plays");
}

// The two-setting map offers only the settings the run has (gradient descent has no
// momentum) and maps every cell.
#[test]
fn two_settings_map_uses_the_runs_settings() {
    let mut h = himmelblau();
    open_tab(&mut h, "Two settings");
    let explore = &h.state().state().scene.view.explore;
    let names = [explore.map_x.name.name(), explore.map_y.name.name()];
    assert_eq!(selected(&h).optimizer.kind().to_string(), "gd");
    assert!(!names.contains(&"momentum"), "{names:?}");
    let count = explore.map_count;
    let map = h.state().explorer().two_settings.map().expect("a map");
    assert!(map.done);
    assert_eq!(map.cells.iter().flatten().count(), count * count);
}

// Seeds: a run without chance offers gradient noise; with it, K seeds run.
#[test]
fn seeds_need_chance_and_run_k_seeds() {
    let mut h = himmelblau();
    open_tab(&mut h, "Seeds");
    assert!(h.state().explorer().seeds.ensemble().is_none());
    h.get_by_label("Add gradient noise 0.5").click();
    settle(&mut h);
    assert_eq!(selected(&h).simulated_noise, 0.5);
    settle(&mut h);
    let e = h.state().explorer().seeds.ensemble().expect("an ensemble");
    assert_eq!(e.paths.len(), 20);
    h.get_by_label_contains("Where the seeds end");
}

// The race tunes every visible run, and "Race with these rates" applies them.
#[test]
fn race_applies_tuned_rates() {
    let mut h = himmelblau();
    open_tab(&mut h, "Race");
    h.get_by_label("Tune learning rates").click();
    settle(&mut h);
    let entries: Vec<(u64, f64)> = h
        .state()
        .explorer()
        .race
        .entries()
        .expect("a table")
        .iter()
        .map(|e| (e.id, e.tuned.learning_rate))
        .collect();
    assert_eq!(entries.len(), h.state().state().scene.runs.len());
    h.get_by_label("Race with these rates").click();
    settle(&mut h);
    let state = h.state().state();
    for (id, rate) in entries {
        let run = state.scene.runs.iter().find(|r| r.id == id).unwrap();
        assert_eq!(run.learning_rate, rate);
        assert_eq!(run.max_iterations, state.scene.view.explore.race_iterations);
    }
}

// The explore settings chosen in the app are saved in the scenario and restored.
#[test]
fn explore_settings_save_and_reopen() {
    let mut h = himmelblau();
    h.get_by_label("Basins").click();
    open_tab(&mut h, "Two settings");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("explore.toml");
    h.state().current_scenario().save(&path).unwrap();
    let back = Scenario::load(&path).unwrap();
    assert_eq!(back.view.mode, ViewMode::Explore);
    assert_eq!(back.view.explore, h.state().state().scene.view.explore);
    assert!(back.view.explore.basins);
    assert_eq!(back.view.explore.tab, ExploreTab::TwoSettings);
}

// A click on the sweep curve sets the selected run's learning rate to the rate under the
// pointer, inside the scanned range, and the run plays.
#[test]
fn clicking_the_sweep_sets_the_learning_rate() {
    let mut h = himmelblau();
    open_tab(&mut h, "Learning rate");
    let before = selected(&h).learning_rate;
    // The sweep plot fills the lower half of the explorer, right of the contour map.
    let at = egui::pos2(1100.0, 420.0);
    h.event(egui::Event::PointerMoved(at));
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        h.run();
    }
    settle(&mut h);
    let after = selected(&h).learning_rate;
    let explore = &h.state().state().scene.view.explore;
    assert_ne!(after, before, "the click set a new rate");
    assert!((explore.lr_lo..=explore.lr_hi).contains(&after), "{after}");
    assert!(h.state().state().scene.playback.playing);
}

// Nothing moves under the pointer while background work starts and ends: the explorer's tab
// bar stays put from the first frame of the basin map to its last (a class clicks a tab while
// the map is still being drawn).
#[test]
fn tabs_stay_put_while_basins_compute() {
    let mut h = himmelblau();
    open_tab(&mut h, "Two settings");
    h.get_by_label("Basins").click();
    h.step();
    h.step();
    assert!(h.state().basins().view.map.as_ref().is_none_or(|m| !m.done));
    let before = h.get_by_label("Seeds").rect();
    settle(&mut h);
    assert!(h.state().basins().view.map.as_ref().is_some_and(|m| m.done));
    assert_eq!(h.get_by_label("Seeds").rect(), before);
}

// The basins' placeholder row shows only while the map is being computed: with the basins
// on but the 3D view shown (no map there), no "mapping…" line stays above the view.
#[test]
fn no_basins_placeholder_without_a_map_on_the_way() {
    let mut h = himmelblau();
    h.get_by_label("Basins").click();
    settle(&mut h);
    h.get_by_label("3D").click();
    settle(&mut h);
    assert!(h.state().state().scene.view.explore.basins);
    assert!(
        h.query_by_label_contains("mapping where a run").is_none(),
        "a placeholder with nothing being mapped"
    );
}
