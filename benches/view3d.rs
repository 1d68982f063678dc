//! The 3D view's per-frame work while the camera turns: projecting the surface's vertices,
//! ordering its triangles back to front, and testing trajectory points for occlusion.

use criterion::{Criterion, criterion_group, criterion_main};
use egui::Color32;
use losscape::engine::Domain;
use losscape::engine::scenario::Camera3d;
use losscape::ui::view3d::camera::Orbit;
use losscape::ui::view3d::scale::SceneScale;
use losscape::ui::view3d::surface_mesh::SurfaceMesh;
use losscape::ui::view3d::vec3::Vec3;

fn rosenbrock(w: f64, b: f64) -> f64 {
    (1.0 - w).powi(2) + 100.0 * (b - w * w).powi(2)
}

fn bench(c: &mut Criterion) {
    let n = 200;
    let domain = Domain::new(-2.0, 2.0, -1.0, 3.0);
    let values: Vec<f64> = (0..n * n)
        .map(|k| {
            let (i, j) = (k % n, k / n);
            let w = domain.w_min + domain.w_span() * i as f64 / (n - 1) as f64;
            let b = domain.b_min + domain.b_span() * j as f64 / (n - 1) as f64;
            rosenbrock(w, b)
        })
        .collect();
    let scale = SceneScale::fit(domain, &values, true, 1.0);
    let mesh = SurfaceMesh::build(&values, n, n, &scale, &|_| Color32::from_rgb(80, 160, 120));
    let mut camera = Camera3d::default();
    let mut vertices = Vec::new();
    let mut indices = Vec::new();

    c.bench_function("view3d: project 200x200 vertices", |bench| {
        bench.iter(|| {
            camera.rotate_by_drag(2.0, 0.0);
            let view = camera.view(scale.center(), [640.0, 400.0], 500.0);
            mesh.write_vertices(&view, &mut vertices);
        });
    });
    c.bench_function("view3d: back-to-front order of 200x200", |bench| {
        bench.iter(|| {
            camera.rotate_by_drag(2.0, 0.0);
            let view = camera.view(scale.center(), [640.0, 400.0], 500.0);
            mesh.write_indices(view.eye, &mut indices);
        });
    });
    // Three paths of 600 points along the valley, as the default scene draws them.
    let points: Vec<Vec3> = (0..1800)
        .map(|k| {
            let t = (k % 600) as f64 / 599.0;
            let w = -1.2 + 2.2 * t + 0.05 * (k / 600) as f64;
            let b = w * w;
            let mut p = scale.world(w, b, rosenbrock(w, b));
            p.z += 0.01;
            p
        })
        .collect();
    c.bench_function("view3d: occlusion of 1800 path points", |bench| {
        bench.iter(|| {
            camera.rotate_by_drag(2.0, 0.0);
            let view = camera.view(scale.center(), [640.0, 400.0], 500.0);
            points
                .iter()
                .filter(|&&p| mesh.field().is_visible(p, view.eye))
                .count()
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
