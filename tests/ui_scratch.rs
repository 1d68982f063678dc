#![cfg(feature = "snapshots")]
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use losscape::ui::LosscapeApp;
use losscape::ui::state::State;

#[test]
fn scratch() {
    let mut state = State::default();
    state.contour.gradient_field = true;
    state.contour.heat_map = false;
    state.playback.iteration = 60;
    let ctx = egui::Context::default();
    let app = LosscapeApp::new(&ctx, state);
    let mut h = Harness::builder().with_size(egui::vec2(1280.0, 800.0)).with_max_steps(12)
        .build_ui_state(|ui, app: &mut LosscapeApp| app.show(ui), app);
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    h.get_by_label("Display").click();
    h.run();
    let img = h.render().unwrap();
    img.save("/tmp/scratch1.png").unwrap();
    h.set_pixels_per_point(2.0);
    h.set_size(egui::vec2(1280.0, 800.0));
    h.run();
    let img = h.render().unwrap();
    img.save("/tmp/scratch2.png").unwrap();
}
