//! The orbit camera of the 3D view and the perspective projection it defines.
//!
//! The camera circles a target point: `yaw` turns it around the vertical axis, `pitch`
//! raises it above the floor, `distance` is how far it stands from the target. Dragging
//! changes yaw and pitch, scrolling changes the distance, and a double-click resets all three.

use super::vec3::Vec3;
use crate::engine::scenario::Camera3d;

/// Vertical field of view, in radians.
const FIELD_OF_VIEW: f32 = 0.55;
/// The projection an orbit camera defines (the camera's settings are the engine's
/// [`Camera3d`]; dragging and zooming it are its own methods).
pub trait Orbit {
    /// The camera's position when it looks at `target`.
    fn eye(&self, target: Vec3) -> Vec3;
    /// The projection onto a viewport centered at `center` (screen points) whose smaller
    /// side is `extent` points, looking at `target`.
    fn view(&self, target: Vec3, center: [f32; 2], extent: f32) -> CameraView;
    /// The projection that fits `bounds` (world points: the box and its labels) into the
    /// screen rectangle at `rect_min` of `rect_size` points, `margin` from its edges, at
    /// the default distance; a closer camera zooms in from there, a farther one out.
    fn fitted_view(
        &self,
        target: Vec3,
        rect_min: [f32; 2],
        rect_size: [f32; 2],
        bounds: &[Vec3],
        margin: f32,
    ) -> CameraView;
}

impl Orbit for Camera3d {
    fn eye(&self, target: Vec3) -> Vec3 {
        let pitch = self.clamped_pitch();
        let distance = self.clamped_distance();
        let yaw = if self.yaw.is_finite() { self.yaw } else { 0.0 };
        let (sp, cp) = pitch.sin_cos();
        let (sy, cy) = yaw.sin_cos();
        target + Vec3::new(cp * cy, cp * sy, sp) * distance
    }

    fn view(&self, target: Vec3, center: [f32; 2], extent: f32) -> CameraView {
        let eye = self.eye(target);
        let forward = (target - eye).normalized();
        let mut right = forward.cross(Vec3::new(0.0, 0.0, 1.0)).normalized();
        if right.length() == 0.0 {
            right = Vec3::new(1.0, 0.0, 0.0);
        }
        let up = right.cross(forward);
        let focal = 0.5 * extent.max(1.0) / (0.5 * FIELD_OF_VIEW).tan();
        CameraView {
            eye,
            forward,
            right,
            up,
            center,
            focal,
        }
    }

    fn fitted_view(
        &self,
        target: Vec3,
        rect_min: [f32; 2],
        rect_size: [f32; 2],
        bounds: &[Vec3],
        margin: f32,
    ) -> CameraView {
        let mut view = self.view(target, [0.0, 0.0], 1.0);
        view.focal = 1.0;
        let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for p in bounds.iter().filter_map(|&p| view.project(p)) {
            lo = [lo[0].min(p.x), lo[1].min(p.y)];
            hi = [hi[0].max(p.x), hi[1].max(p.y)];
        }
        let available = [
            (rect_size[0] - 2.0 * margin).max(1.0),
            (rect_size[1] - 2.0 * margin).max(1.0),
        ];
        let span = [(hi[0] - lo[0]).max(1e-6), (hi[1] - lo[1]).max(1e-6)];
        let default = Self::default().distance;
        let distance = self.clamped_distance();
        let fit = (available[0] / span[0]).min(available[1] / span[1]);
        let focal = if fit.is_finite() && lo[0].is_finite() {
            fit * default / distance
        } else {
            1.0
        };
        let middle = if lo[0].is_finite() {
            [0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1])]
        } else {
            [0.0, 0.0]
        };
        view.focal = focal;
        view.center = [
            rect_min[0] + 0.5 * rect_size[0] - focal * middle[0],
            rect_min[1] + 0.5 * rect_size[1] - focal * middle[1],
        ];
        view
    }
}

/// A world point seen on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projected {
    /// Screen x, in points.
    pub x: f32,
    /// Screen y, in points (down).
    pub y: f32,
    /// Distance in front of the camera along its viewing direction.
    pub depth: f32,
}

/// A camera fixed in place: maps world points to screen points and screen points to rays.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CameraView {
    /// Where the camera is.
    pub eye: Vec3,
    /// Unit vector the camera looks along.
    pub forward: Vec3,
    /// Unit vector pointing right on screen.
    pub right: Vec3,
    /// Unit vector pointing up on screen.
    pub up: Vec3,
    /// Screen position of the view's center, in points.
    pub center: [f32; 2],
    /// Focal length, in points.
    pub focal: f32,
}

impl CameraView {
    /// The screen position of `p`, or `None` when it is behind (or at) the camera.
    pub fn project(&self, p: Vec3) -> Option<Projected> {
        let d = p - self.eye;
        let depth = d.dot(self.forward);
        if depth.is_nan() || depth <= 1e-3 {
            return None;
        }
        let k = self.focal / depth;
        Some(Projected {
            x: self.center[0] + d.dot(self.right) * k,
            y: self.center[1] - d.dot(self.up) * k,
            depth,
        })
    }

    /// The unit direction of the ray from the eye through screen point `(x, y)`.
    pub fn ray_direction(&self, x: f32, y: f32) -> Vec3 {
        let sx = (x - self.center[0]) / self.focal;
        let sy = -(y - self.center[1]) / self.focal;
        (self.forward + self.right * sx + self.up * sy).normalized()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-3
    }

    // The target projects to the viewport's center.
    #[test]
    fn target_projects_to_center() {
        let cam = Camera3d::default();
        let target = Vec3::new(0.0, 0.0, 0.4);
        let view = cam.view(target, [320.0, 200.0], 400.0);
        let p = view.project(target).expect("target is in front");
        assert!(close(p.x, 320.0) && close(p.y, 200.0), "{p:?}");
        assert!(close(p.depth, cam.distance));
    }

    // Screen axes: higher world points are higher on screen; the eye's right is screen right.
    #[test]
    fn up_is_up_and_right_is_right() {
        let cam = Camera3d {
            yaw: 0.0,
            pitch: 0.3,
            distance: 5.0,
            ..Camera3d::default()
        };
        let view = cam.view(Vec3::default(), [0.0, 0.0], 100.0);
        let low = view.project(Vec3::new(0.0, 0.0, 0.0)).expect("visible");
        let high = view.project(Vec3::new(0.0, 0.0, 1.0)).expect("visible");
        assert!(high.y < low.y, "screen y grows downward");
        // Camera on the +x side looking toward -x: +y world is to the screen's right.
        let side = view.project(Vec3::new(0.0, 1.0, 0.0)).expect("visible");
        assert!(side.x > low.x);
    }

    // Nearer points have smaller depth; a point behind the eye is not projected.
    #[test]
    fn depth_orders_points_and_rejects_behind() {
        let cam = Camera3d {
            yaw: 0.0,
            pitch: 0.0,
            distance: 5.0,
            ..Camera3d::default()
        };
        let view = cam.view(Vec3::default(), [0.0, 0.0], 100.0);
        let near = view.project(Vec3::new(1.0, 0.0, 0.0)).expect("visible");
        let far = view.project(Vec3::new(-1.0, 0.0, 0.0)).expect("visible");
        assert!(near.depth < far.depth);
        assert!(view.project(Vec3::new(6.0, 0.0, 0.0)).is_none());
    }

    // A ray through a projected point passes through the original point.
    #[test]
    fn ray_through_projection_hits_point() {
        let cam = Camera3d::default();
        let view = cam.view(Vec3::new(0.0, 0.0, 0.3), [400.0, 300.0], 600.0);
        let p = Vec3::new(0.7, -0.4, 0.2);
        let s = view.project(p).expect("visible");
        let dir = view.ray_direction(s.x, s.y);
        let to_p = (p - view.eye).normalized();
        assert!(close(dir.dot(to_p), 1.0), "{}", dir.dot(to_p));
    }

    // Drags and scrolls stay within limits; reset restores the default viewpoint.
    #[test]
    fn controls_clamp_and_reset() {
        use crate::engine::limits::{DISTANCE_RANGE, PITCH_RANGE};
        let mut cam = Camera3d::default();
        cam.rotate_by_drag(0.0, 1e6);
        assert!(close(cam.pitch, *PITCH_RANGE.end()));
        cam.rotate_by_drag(0.0, -1e6);
        assert!(close(cam.pitch, *PITCH_RANGE.start()));
        cam.zoom_by_scroll(1e6);
        assert!(close(cam.distance, *DISTANCE_RANGE.start()));
        cam.zoom_by_scroll(-1e6);
        assert!(close(cam.distance, *DISTANCE_RANGE.end()));
        cam.rotate_by_drag(f32::NAN, 3.0);
        assert!(cam.yaw.is_finite());
        cam.reset_orbit();
        assert_eq!(cam, Camera3d::default());
    }

    // A fitted view shows every bound point inside the rectangle, filling one of its sides.
    #[test]
    fn fitted_view_fills_the_rect() {
        let corners: Vec<Vec3> = [-1.0f32, 1.0]
            .iter()
            .flat_map(|&x| [-1.0f32, 1.0].map(move |y| (x, y)))
            .flat_map(|(x, y)| [0.0f32, 0.9].map(move |z| Vec3::new(x, y, z)))
            .collect();
        for yaw in [0.0, 0.7, 2.0, 4.0] {
            let cam = Camera3d {
                yaw,
                ..Camera3d::default()
            };
            let view = cam.fitted_view(
                Vec3::new(0.0, 0.0, 0.45),
                [100.0, 50.0],
                [500.0, 300.0],
                &corners,
                10.0,
            );
            let pts: Vec<Projected> = corners.iter().filter_map(|&p| view.project(p)).collect();
            assert_eq!(pts.len(), 8);
            let (x0, x1) = pts
                .iter()
                .fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
            let (y0, y1) = pts
                .iter()
                .fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.y), b.max(p.y)));
            assert!(
                x0 >= 109.9 && x1 <= 590.1 && y0 >= 59.9 && y1 <= 340.1,
                "{x0} {x1} {y0} {y1}"
            );
            let fills_width = (x1 - x0 - 480.0).abs() < 0.5;
            let fills_height = (y1 - y0 - 280.0).abs() < 0.5;
            assert!(fills_width || fills_height);
        }
        // Closer than the default zooms in.
        let near = Camera3d {
            distance: 3.0,
            ..Camera3d::default()
        };
        let far = Camera3d::default();
        let a = near.fitted_view(Vec3::default(), [0.0, 0.0], [400.0, 400.0], &corners, 0.0);
        let b = far.fitted_view(Vec3::default(), [0.0, 0.0], [400.0, 400.0], &corners, 0.0);
        let width = |v: &CameraView| {
            let xs: Vec<f32> = corners
                .iter()
                .filter_map(|&p| v.project(p))
                .map(|p| p.x)
                .collect();
            xs.iter().copied().fold(f32::MIN, f32::max)
                - xs.iter().copied().fold(f32::MAX, f32::min)
        };
        assert!(
            width(&a) > 1.2 * width(&b),
            "{} vs {}",
            width(&a),
            width(&b)
        );
    }

    // The camera stands `distance` from the target at the given elevation.
    #[test]
    fn eye_is_on_the_orbit() {
        let cam = Camera3d {
            yaw: 1.0,
            pitch: 0.5,
            distance: 4.0,
            ..Camera3d::default()
        };
        let target = Vec3::new(0.1, 0.2, 0.3);
        let eye = cam.eye(target);
        assert!(close((eye - target).length(), 4.0));
        assert!(close((eye.z - target.z) / 4.0, 0.5f32.sin()));
    }
}
