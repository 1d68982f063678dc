//! The surface as a shaded triangle mesh drawn back to front (the painter's algorithm).
//!
//! A height field over a regular grid needs no per-frame sort: seen from any eye, a cell
//! can only hide cells that are farther from the eye's grid column *and* row, so drawing
//! rows by decreasing distance from the eye's row, and within a row the cells by decreasing
//! distance from the eye's column, paints every cell after everything it may cover. Within
//! a cell the two triangles are split by a vertical plane through the diagonal; the one on
//! the eye's side is drawn second. The order costs O(cells) per camera move, with no sort.

use egui::Color32;
use egui::epaint::Vertex;

use super::camera::CameraView;
use super::height_field::HeightField;
use super::scale::SceneScale;
use super::vec3::Vec3;

/// Direction the light comes from (world space, unit length after normalizing).
const LIGHT: Vec3 = Vec3::new(-0.35, -0.55, 1.0);
/// Share of the color kept on faces turned away from the light.
const AMBIENT: f32 = 0.42;
/// Color of cells where J is undefined (they are left out; this is for reference).
pub const UNDEFINED_COLOR: Color32 = Color32::from_gray(128);

/// The surface's geometry and colors, built once per grid and height setting.
#[derive(Clone, Debug, Default)]
pub struct SurfaceMesh {
    field: HeightField,
    positions: Vec<Vec3>,
    colors: Vec<Color32>,
    /// Per cell: bit 0 set when the triangle (00, 10, 11) is drawable, bit 1 for (00, 11, 01).
    cells: Vec<u8>,
}

impl SurfaceMesh {
    /// Builds the mesh of `values` (J on a `columns x rows` grid, row-major with w fastest,
    /// spanning the whole domain of `scale`), colored by `color_of(J)` and shaded.
    ///
    /// A grid with the wrong length or fewer than 2 columns or rows gives an empty mesh.
    pub fn build(
        values: &[f64],
        columns: usize,
        rows: usize,
        scale: &SceneScale,
        color_of: &dyn Fn(f64) -> Color32,
    ) -> Self {
        if columns < 2 || rows < 2 || values.len() != columns * rows {
            return Self::default();
        }
        let heights: Vec<f32> = values.iter().map(|&j| scale.height(j)).collect();
        let field = HeightField::new(columns, rows, heights);
        if field.is_empty() {
            // Undefined everywhere: nothing to draw.
            return Self::default();
        }
        let mut positions = Vec::with_capacity(values.len());
        for j in 0..rows {
            let y = -1.0 + 2.0 * j as f32 / (rows - 1) as f32;
            for i in 0..columns {
                let x = -1.0 + 2.0 * i as f32 / (columns - 1) as f32;
                positions.push(Vec3::new(x, y, field.heights()[j * columns + i]));
            }
        }
        let light = LIGHT.normalized();
        let h = field.heights();
        let slope = |a: usize, b: usize, run: f32| {
            let d = (h[b] - h[a]) / run;
            d.is_finite().then_some(d)
        };
        let mut colors = Vec::with_capacity(values.len());
        let dx = 2.0 / (columns - 1) as f32;
        let dy = 2.0 / (rows - 1) as f32;
        for j in 0..rows {
            for i in 0..columns {
                let k = j * columns + i;
                if !h[k].is_finite() {
                    colors.push(UNDEFINED_COLOR);
                    continue;
                }
                // Central differences, one-sided at edges and next to holes.
                let left = (i > 0).then(|| slope(k - 1, k, dx)).flatten();
                let right = (i + 1 < columns).then(|| slope(k, k + 1, dx)).flatten();
                let down = (j > 0).then(|| slope(k - columns, k, dy)).flatten();
                let up = (j + 1 < rows).then(|| slope(k, k + columns, dy)).flatten();
                let mean = |a: Option<f32>, b: Option<f32>| match (a, b) {
                    (Some(a), Some(b)) => 0.5 * (a + b),
                    (Some(a), None) | (None, Some(a)) => a,
                    (None, None) => 0.0,
                };
                let normal = Vec3::new(-mean(left, right), -mean(down, up), 1.0).normalized();
                let lambert = normal.dot(light).max(0.0);
                let shade = AMBIENT + (1.0 - AMBIENT) * lambert;
                colors.push(shaded(color_of(values[k]), shade));
            }
        }
        let mut cells = Vec::with_capacity((columns - 1) * (rows - 1));
        let ok = |k: usize| h[k].is_finite();
        for j in 0..rows - 1 {
            for i in 0..columns - 1 {
                let k00 = j * columns + i;
                let (k10, k01, k11) = (k00 + 1, k00 + columns, k00 + columns + 1);
                let mut mask = 0u8;
                if ok(k00) && ok(k10) && ok(k11) {
                    mask |= 1;
                }
                if ok(k00) && ok(k11) && ok(k01) {
                    mask |= 2;
                }
                cells.push(mask);
            }
        }
        Self {
            field,
            positions,
            colors,
            cells,
        }
    }

    /// Darkens the vertices on every `spacing`-th grid line (and the edges) by `shade`, a
    /// wireframe that is hidden behind hills exactly like the surface itself.
    pub fn darken_lines(&mut self, spacing: usize, shade: f32) {
        let (columns, rows) = (self.field.columns(), self.field.rows());
        if spacing == 0 || columns < 2 {
            return;
        }
        for (k, color) in self.colors.iter_mut().enumerate() {
            let (i, j) = (k % columns, k / columns);
            let on_line = i % spacing == 0 || j % spacing == 0 || i + 1 == columns || j + 1 == rows;
            if on_line {
                *color = shaded(*color, shade);
            }
        }
    }

    /// The height field the mesh is drawn from (for occlusion tests and picking).
    pub fn field(&self) -> &HeightField {
        &self.field
    }

    /// True when there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Number of vertices.
    pub fn vertex_count(&self) -> usize {
        self.positions.len()
    }

    /// Writes the screen position and color of every vertex as seen by `view`.
    pub fn write_vertices(&self, view: &CameraView, out: &mut Vec<Vertex>) {
        out.clear();
        out.reserve(self.positions.len());
        let fallback = egui::pos2(view.center[0], view.center[1]);
        for (&p, &color) in self.positions.iter().zip(&self.colors) {
            let pos = view.project(p).map_or(fallback, |s| egui::pos2(s.x, s.y));
            out.push(Vertex {
                pos,
                uv: egui::epaint::WHITE_UV,
                color,
            });
        }
    }

    /// Writes the triangle indices in back-to-front order for a camera at `eye`.
    pub fn write_indices(&self, eye: Vec3, out: &mut Vec<u32>) {
        out.clear();
        let (columns, rows) = (self.field.columns(), self.field.rows());
        if columns < 2 || rows < 2 {
            return;
        }
        let eye_column = self.field.column_of(eye.x);
        let eye_row = self.field.row_of(eye.y);
        let mut column_order = Vec::with_capacity(columns - 1);
        far_to_near(columns - 1, eye_column, &mut column_order);
        let mut row_order = Vec::with_capacity(rows - 1);
        far_to_near(rows - 1, eye_row, &mut row_order);
        out.reserve(self.cells.len() * 6);
        let cw = columns as u32;
        for &j in &row_order {
            for &i in &column_order {
                let mask = self.cells[j as usize * (columns - 1) + i as usize];
                if mask == 0 {
                    continue;
                }
                let k00 = j * cw + i;
                let (k10, k01, k11) = (k00 + 1, k00 + cw, k00 + cw + 1);
                let lower = [k00, k10, k11];
                let upper = [k00, k11, k01];
                // The eye is on the `lower` triangle's side of the diagonal when it is
                // farther along the columns than along the rows (in grid units).
                let eye_on_lower = (eye_column - i as f32) > (eye_row - j as f32);
                let (first, second, first_bit, second_bit) = if eye_on_lower {
                    (upper, lower, 2, 1)
                } else {
                    (lower, upper, 1, 2)
                };
                if mask & first_bit != 0 {
                    out.extend_from_slice(&first);
                }
                if mask & second_bit != 0 {
                    out.extend_from_slice(&second);
                }
            }
        }
    }
}

/// Cell indices `0..count` ordered from farthest to nearest to position `eye` (in cell
/// units: cell `i` spans `[i, i + 1]`).
pub fn far_to_near(count: usize, eye: f32, out: &mut Vec<u32>) {
    out.clear();
    if count == 0 {
        return;
    }
    let eye = if eye.is_finite() { eye } else { 0.0 };
    let distance = |i: usize| (i as f32 + 0.5 - eye).abs();
    let (mut lo, mut hi) = (0usize, count - 1);
    loop {
        if distance(lo) >= distance(hi) {
            out.push(lo as u32);
            if lo == hi {
                break;
            }
            lo += 1;
        } else {
            out.push(hi as u32);
            hi -= 1;
        }
    }
}

/// `color` darkened by `shade` (1 keeps it, 0 makes it black); alpha kept.
fn shaded(color: Color32, shade: f32) -> Color32 {
    let s = shade.clamp(0.0, 1.0);
    let f = |c: u8| (f32::from(c) * s).round() as u8;
    Color32::from_rgba_premultiplied(f(color.r()), f(color.g()), f(color.b()), color.a())
}

#[cfg(test)]
mod tests {
    use super::super::camera::Orbit;
    use super::*;
    use crate::engine::Domain;
    use crate::engine::scenario::Camera3d as OrbitCamera;

    // Order visits every cell once, farthest first, for eyes outside and inside the range.
    #[test]
    fn far_to_near_is_a_permutation_by_distance() {
        for eye in [-3.0, 0.2, 4.5, 7.9, 12.0, f32::NAN] {
            let mut order = Vec::new();
            far_to_near(8, eye, &mut order);
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..8).collect::<Vec<u32>>());
            let e = if eye.is_finite() { eye } else { 0.0 };
            let d: Vec<f32> = order.iter().map(|&i| (i as f32 + 0.5 - e).abs()).collect();
            assert!(d.windows(2).all(|w| w[0] >= w[1]), "eye {eye}: {order:?}");
        }
    }

    fn bumpy(n: usize) -> (Vec<f64>, SceneScale) {
        let mut values = Vec::new();
        for j in 0..n {
            for i in 0..n {
                let w = -2.0 + 4.0 * i as f64 / (n - 1) as f64;
                let b = -2.0 + 4.0 * j as f64 / (n - 1) as f64;
                values.push((1.7 * w).sin() * (1.3 * b).cos() + 0.3 * w);
            }
        }
        let scale = SceneScale::fit(Domain::new(-2.0, 2.0, -2.0, 2.0), &values, false, 1.2);
        (values, scale)
    }

    /// Distance along the ray to the triangle, if the ray hits it (Moller-Trumbore).
    fn hit(origin: Vec3, dir: Vec3, tri: [Vec3; 3]) -> Option<f32> {
        let e1 = tri[1] - tri[0];
        let e2 = tri[2] - tri[0];
        let p = dir.cross(e2);
        let det = e1.dot(p);
        if det.abs() < 1e-9 {
            return None;
        }
        let s = origin - tri[0];
        let u = s.dot(p) / det;
        let q = s.cross(e1);
        let v = dir.dot(q) / det;
        let t = e2.dot(q) / det;
        (u >= 0.0 && v >= 0.0 && u + v <= 1.0 && t > 0.0).then_some(t)
    }

    // Painter's order is right: along any view ray, the last triangle drawn among those the
    // ray crosses is the nearest one (the one a depth buffer would keep).
    #[test]
    fn back_to_front_order_matches_depth() {
        let n = 13;
        let (values, scale) = bumpy(n);
        let mesh = SurfaceMesh::build(&values, n, n, &scale, &|_| Color32::WHITE);
        let cameras = [
            OrbitCamera::default(),
            OrbitCamera {
                yaw: 2.2,
                pitch: 0.25,
                distance: 4.0,
                ..OrbitCamera::default()
            },
            OrbitCamera {
                yaw: 4.0,
                pitch: 1.3,
                distance: 2.6,
                ..OrbitCamera::default()
            },
            OrbitCamera {
                yaw: 0.0,
                pitch: -0.2,
                distance: 5.0,
                ..OrbitCamera::default()
            },
        ];
        let mut checked = 0;
        for cam in cameras {
            let view = cam.view(scale.center(), [0.0, 0.0], 200.0);
            let mut indices = Vec::new();
            mesh.write_indices(view.eye, &mut indices);
            assert_eq!(indices.len(), (n - 1) * (n - 1) * 6);
            for sy in -12..=12 {
                for sx in -12..=12 {
                    let dir = view.ray_direction(sx as f32 * 8.0, sy as f32 * 8.0);
                    let mut nearest: Option<(f32, usize)> = None;
                    let mut last_drawn: Option<usize> = None;
                    for (t_index, tri) in indices.chunks_exact(3).enumerate() {
                        let corners = [0, 1, 2].map(|c| mesh.positions[tri[c] as usize]);
                        if let Some(t) = hit(view.eye, dir, corners) {
                            if nearest.is_none_or(|(best, _)| t < best) {
                                nearest = Some((t, t_index));
                            }
                            last_drawn = Some(t_index);
                        }
                    }
                    if let (Some((t_near, near)), Some(last)) = (nearest, last_drawn) {
                        checked += 1;
                        if near != last {
                            // Ties on shared edges are fine: same depth within rounding.
                            let tri = &indices[last * 3..last * 3 + 3];
                            let corners = [0, 1, 2].map(|c| mesh.positions[tri[c] as usize]);
                            let t_last = hit(view.eye, dir, corners).expect("it was hit");
                            assert!(
                                (t_last - t_near).abs() < 1e-4,
                                "camera {cam:?}: drawn last at {t_last}, nearest at {t_near}"
                            );
                        }
                    }
                }
            }
        }
        assert!(checked > 500, "too few rays hit the surface: {checked}");
    }

    // Undefined values leave holes; faces toward the light are brighter than faces away.
    #[test]
    fn holes_and_shading() {
        let n = 5;
        let mut values: Vec<f64> = (0..n * n).map(|k| (k % n) as f64).collect();
        values[12] = f64::NAN;
        let scale = SceneScale::fit(Domain::new(0.0, 1.0, 0.0, 1.0), &values, false, 1.0);
        let mesh = SurfaceMesh::build(&values, n, n, &scale, &|_| Color32::from_rgb(200, 200, 200));
        let mut indices = Vec::new();
        mesh.write_indices(Vec3::new(5.0, 5.0, 5.0), &mut indices);
        assert!(!indices.contains(&12));
        assert_eq!(
            indices.len(),
            ((n - 1) * (n - 1) * 2 - 6) * 3,
            "the 6 triangles around vertex 12 are gone"
        );
        // The surface rises along +w: its normal leans toward -x, as does the light.
        let lit = mesh.colors[0].r();
        let flat = SurfaceMesh::build(&[1.0; 4], 2, 2, &scale, &|_| {
            Color32::from_rgb(200, 200, 200)
        });
        assert!(lit > flat.colors[0].r(), "{lit} vs {}", flat.colors[0].r());
        assert!(SurfaceMesh::build(&[1.0; 3], 2, 2, &scale, &|_| Color32::WHITE).is_empty());
        let undefined = [f64::NAN; 4];
        let nothing = SurfaceMesh::build(&undefined, 2, 2, &scale, &|_| Color32::WHITE);
        assert!(nothing.is_empty());
        let mut out = Vec::new();
        nothing.write_indices(Vec3::new(3.0, 3.0, 3.0), &mut out);
        assert!(out.is_empty());
    }
}
