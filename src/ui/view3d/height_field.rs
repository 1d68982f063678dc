//! The surface as a height field in world space: heights on a regular grid over
//! `[-1, 1] x [-1, 1]`, triangulated the way the mesh is drawn. Answers "is this point
//! hidden behind the surface from the eye?" (ray march) and "which surface point is under
//! this ray?" (picking, for linked hover).

use super::vec3::Vec3;

/// Heights over a regular grid of `columns x rows` vertices covering `[-1, 1]^2`.
///
/// Vertex `(i, j)` sits at `x = -1 + 2 i / (columns - 1)`, `y = -1 + 2 j / (rows - 1)` and
/// its height is `heights[j * columns + i]` (NaN where the surface is undefined). Each
/// cell is split into two triangles along its diagonal from `(i, j)` to `(i + 1, j + 1)`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeightField {
    columns: usize,
    rows: usize,
    heights: Vec<f32>,
    max_height: f32,
    min_height: f32,
}

impl HeightField {
    /// A height field from its heights (row-major, w fastest). Fewer than 2 columns or rows,
    /// or a length that does not match, gives an empty field that hides nothing.
    pub fn new(columns: usize, rows: usize, heights: Vec<f32>) -> Self {
        if columns < 2 || rows < 2 || heights.len() != columns * rows {
            return Self::default();
        }
        let finite = || heights.iter().copied().filter(|h| h.is_finite());
        let max_height = finite().fold(f32::NEG_INFINITY, f32::max);
        let min_height = finite().fold(f32::INFINITY, f32::min);
        if !max_height.is_finite() {
            return Self::default();
        }
        Self {
            columns,
            rows,
            heights,
            max_height,
            min_height,
        }
    }

    /// Number of vertices along x (w).
    pub fn columns(&self) -> usize {
        self.columns
    }

    /// Number of vertices along y (b).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The heights, row-major.
    pub fn heights(&self) -> &[f32] {
        &self.heights
    }

    /// True when there is no surface.
    pub fn is_empty(&self) -> bool {
        self.heights.is_empty()
    }

    /// Converts world x to grid (column) units.
    pub fn column_of(&self, x: f32) -> f32 {
        (x + 1.0) * 0.5 * (self.columns.saturating_sub(1)) as f32
    }

    /// Converts world y to grid (row) units.
    pub fn row_of(&self, y: f32) -> f32 {
        (y + 1.0) * 0.5 * (self.rows.saturating_sub(1)) as f32
    }

    /// The height of the drawn surface above `(x, y)`, or `None` outside the grid or over a
    /// hole (a triangle with an undefined vertex).
    pub fn height_at(&self, x: f32, y: f32) -> Option<f32> {
        if self.is_empty() {
            return None;
        }
        let gx = self.column_of(x);
        let gy = self.row_of(y);
        let max_i = (self.columns - 1) as f32;
        let max_j = (self.rows - 1) as f32;
        if !(gx >= 0.0 && gx <= max_i && gy >= 0.0 && gy <= max_j) {
            return None;
        }
        let i = (gx.floor() as usize).min(self.columns - 2);
        let j = (gy.floor() as usize).min(self.rows - 2);
        let u = gx - i as f32;
        let v = gy - j as f32;
        let at = |di: usize, dj: usize| self.heights[(j + dj) * self.columns + i + di];
        let (z00, z10, z01, z11) = (at(0, 0), at(1, 0), at(0, 1), at(1, 1));
        let z = if u >= v {
            z00 + u * (z10 - z00) + v * (z11 - z10)
        } else {
            z00 + v * (z01 - z00) + u * (z11 - z01)
        };
        z.is_finite().then_some(z)
    }

    /// True when the straight line from `p` to `eye` does not pass under the surface
    /// (`p` is seen), false when a part of the surface lies between them (`p` is hidden).
    ///
    /// `p` is usually on the surface itself; the first cell around it and a small tolerance
    /// are ignored so that a point does not hide itself.
    pub fn is_visible(&self, p: Vec3, eye: Vec3) -> bool {
        if self.is_empty() || !p.is_finite() || !eye.is_finite() {
            return true;
        }
        let dir = eye - p;
        let cell = 2.0 / (self.columns.max(self.rows) - 1) as f32;
        let xy = (dir.x * dir.x + dir.y * dir.y).sqrt();
        // Step about 0.7 cell along the ground, or 0.7 cell in 3D for a steep ray.
        let dt = 0.7 * cell / xy.max(dir.length() * 0.05).max(1e-6);
        let tolerance = 0.006 * self.max_height.abs().max(0.1);
        let mut t = 1.2 * cell / xy.max(1e-6);
        t = t.min(dt * 2.0).max(dt);
        let max_steps = 8 * (self.columns + self.rows);
        for _ in 0..max_steps {
            if t >= 1.0 {
                return true;
            }
            let q = p + dir * t;
            // Above every hill, or outside the grid and moving away from it (a straight ray
            // never comes back): nothing further along can hide the point.
            let leaving = (q.x > 1.0 && dir.x >= 0.0)
                || (q.x < -1.0 && dir.x <= 0.0)
                || (q.y > 1.0 && dir.y >= 0.0)
                || (q.y < -1.0 && dir.y <= 0.0);
            if (q.z > self.max_height && dir.z >= 0.0) || leaving {
                return true;
            }
            if let Some(h) = self.height_at(q.x, q.y)
                && h > q.z + tolerance
            {
                return false;
            }
            t += dt;
        }
        true
    }

    /// The first surface point hit by the ray from `origin` along `dir`, if any.
    pub fn pick(&self, origin: Vec3, dir: Vec3) -> Option<Vec3> {
        if self.is_empty() || !origin.is_finite() || !dir.is_finite() {
            return None;
        }
        let dir = dir.normalized();
        // Clip the ray to the box [-1, 1]^2 x [-inf, max_height + eps].
        let (mut t0, mut t1) = (0.0f32, f32::INFINITY);
        for (o, d, lo, hi) in [
            (origin.x, dir.x, -1.0, 1.0),
            (origin.y, dir.y, -1.0, 1.0),
            (
                origin.z,
                dir.z,
                self.min_height - 1e-3,
                self.max_height + 1e-3,
            ),
        ] {
            if d.abs() < 1e-9 {
                if o < lo || o > hi {
                    return None;
                }
            } else {
                let (a, b) = ((lo - o) / d, (hi - o) / d);
                t0 = t0.max(a.min(b));
                t1 = t1.min(a.max(b));
            }
        }
        if t0.is_nan() || t0 > t1 || !t1.is_finite() {
            return None;
        }
        let cell = 2.0 / (self.columns.max(self.rows) - 1) as f32;
        let dt = 0.4 * cell;
        let below = |t: f32| {
            let q = origin + dir * t;
            self.height_at(q.x.clamp(-1.0, 1.0), q.y.clamp(-1.0, 1.0))
                .map(|h| q.z <= h)
        };
        let mut prev = t0;
        let mut t = t0;
        let steps = ((t1 - t0) / dt).ceil().min(100_000.0) as usize + 1;
        for _ in 0..steps {
            if below(t) == Some(true) {
                // Refine between the last point above and this one.
                let (mut lo, mut hi) = (prev, t);
                for _ in 0..20 {
                    let mid = 0.5 * (lo + hi);
                    if below(mid) == Some(true) {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                let q = origin + dir * hi;
                return Some(Vec3::new(q.x.clamp(-1.0, 1.0), q.y.clamp(-1.0, 1.0), q.z));
            }
            prev = t;
            t = (t + dt).min(t1);
            if prev >= t1 {
                break;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Gaussian hill of height 1 in the middle of a flat floor at 0.
    fn hill(n: usize) -> HeightField {
        let mut heights = Vec::with_capacity(n * n);
        for j in 0..n {
            for i in 0..n {
                let x = -1.0 + 2.0 * i as f32 / (n - 1) as f32;
                let y = -1.0 + 2.0 * j as f32 / (n - 1) as f32;
                heights.push((-(x * x + y * y) / 0.08).exp());
            }
        }
        HeightField::new(n, n, heights)
    }

    // Interpolation reproduces the vertex heights and is linear within each triangle.
    #[test]
    fn height_at_vertices_and_inside() {
        let f = HeightField::new(2, 2, vec![0.0, 1.0, 2.0, 4.0]);
        assert_eq!(f.height_at(-1.0, -1.0), Some(0.0));
        assert_eq!(f.height_at(1.0, -1.0), Some(1.0));
        assert_eq!(f.height_at(-1.0, 1.0), Some(2.0));
        assert_eq!(f.height_at(1.0, 1.0), Some(4.0));
        // On the diagonal both triangles agree: the midpoint of (0,0)-(1,1) is 2.
        assert_eq!(f.height_at(0.0, 0.0), Some(2.0));
        assert_eq!(f.height_at(1.5, 0.0), None);
        let holes = HeightField::new(2, 2, vec![0.0, f32::NAN, 2.0, 4.0]);
        assert_eq!(holes.height_at(0.5, -0.5), None);
        // (u, v) = (0.25, 0.75) lies in the upper triangle (00, 11, 01): 0 + 0.75 * 2 + 0.25 * 2.
        assert_eq!(holes.height_at(-0.5, 0.5), Some(2.0));
    }

    // A point on the floor behind the hill is hidden; the same point seen from its own
    // side, or from high above, is visible.
    #[test]
    fn point_behind_a_hill_is_hidden() {
        let f = hill(101);
        let behind = Vec3::new(-0.7, 0.0, 0.0);
        let eye_low = Vec3::new(6.0, 0.0, 1.0);
        assert!(
            !f.is_visible(behind, eye_low),
            "the hill stands between the point and the eye"
        );
        let eye_opposite = Vec3::new(-6.0, 0.0, 1.0);
        assert!(f.is_visible(behind, eye_opposite));
        let eye_above = Vec3::new(0.5, 0.0, 8.0);
        assert!(f.is_visible(behind, eye_above));
        // A point on the near slope and the hill top are visible from the low eye.
        assert!(f.is_visible(Vec3::new(0.3, 0.0, (-(0.09f32) / 0.08).exp()), eye_low));
        assert!(f.is_visible(Vec3::new(0.0, 0.0, 1.0), eye_low));
        // The far slope, just behind the top, is hidden.
        let far_slope = Vec3::new(-0.35, 0.0, (-(0.35f32 * 0.35) / 0.08).exp());
        assert!(!f.is_visible(far_slope, eye_low));
    }

    // Points on a flat or bowl-shaped surface never hide themselves.
    #[test]
    fn points_on_a_bowl_are_visible() {
        let n = 60;
        let mut heights = Vec::new();
        for j in 0..n {
            for i in 0..n {
                let x = -1.0 + 2.0 * i as f32 / (n - 1) as f32;
                let y = -1.0 + 2.0 * j as f32 / (n - 1) as f32;
                heights.push(0.5 * (x * x + y * y));
            }
        }
        let f = HeightField::new(n, n, heights);
        // High enough that the rim of the bowl never stands in the way.
        let eye = Vec3::new(3.0, -2.0, 6.0);
        for k in 0..20 {
            let x = -0.9 + 0.09 * k as f32;
            let y = 0.8 - 0.07 * k as f32;
            let p = Vec3::new(x, y, 0.5 * (x * x + y * y));
            assert!(f.is_visible(p, eye), "point {p:?} hid itself");
        }
    }

    // A ray from above finds the surface point below it; a ray that misses finds nothing.
    #[test]
    fn pick_finds_the_surface() {
        let f = hill(81);
        let hit = f
            .pick(Vec3::new(0.0, 0.0, 5.0), Vec3::new(0.0, 0.0, -1.0))
            .expect("hits the top");
        assert!((hit.z - 1.0).abs() < 0.01, "{hit:?}");
        // From the side at low height: the ray hits the near slope of the hill, not the
        // floor behind it.
        let side = f
            .pick(Vec3::new(5.0, 0.0, 0.3), Vec3::new(-1.0, 0.0, 0.0))
            .expect("hits the hill");
        assert!(side.x > 0.0 && (side.z - 0.3).abs() < 0.01, "{side:?}");
        assert!(
            f.pick(Vec3::new(5.0, 0.0, 3.0), Vec3::new(1.0, 0.0, 0.0))
                .is_none()
        );
    }
}
