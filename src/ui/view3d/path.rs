//! A run's path laid on the 3D surface.
//!
//! [`PathCache`] keeps the path in world space with each point's visibility (is a hill
//! between it and the eye?), because occlusion tests are the expensive part; it is
//! rebuilt when the camera's eye, the mesh or the run changes and extended when the run
//! grows. Screen positions are never cached: every frame projects the world points with
//! that frame's view, so a panel that moved or resized (switching to the split view) draws
//! its paths where its surface is.
//!
//! A point's height is J at (w, b) on the drawn surface: the recorded cost, raised to the
//! mesh where the mesh (straight between grid samples) passes above it. Rows without a
//! recorded cost (a data fit that records its full cost every k iterations) take the
//! surface's height there, which is the same J sampled on the grid; the path stays whole.
//!
//! Where the path leaves the box it is clipped at the box's edge and ends in an arrow; a
//! later return enters at the edge again.

use egui::{Color32, Painter, Pos2, Stroke, Vec2};
use egui_plot::PlotPoint;

use super::height_field::HeightField;
use super::scale::SceneScale;
use super::vec3::Vec3;
use super::view::Trajectory3d;
use crate::ui::path_style::{
    self, ARROW_LENGTH, DIVERGED_PATH_WIDTH, PATH_WIDTH, SELECTED_PATH_WIDTH, STEP_DOT_RADIUS,
};

/// Most points of one trajectory tested and drawn (longer paths are thinned evenly).
pub const MAX_PATH_POINTS: usize = 600;
/// Most occlusion tests per trajectory while the camera moves.
const MOVING_OCCLUSION_TESTS: usize = 120;
/// Paths with at most this many drawn iterates get a dot at each.
const MAX_DOTTED_ITERATES: usize = 150;
/// How far above the surface a path is drawn, as a fraction of the box's height.
const LIFT: f32 = 0.012;

/// What a point of the drawn path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// The point after this many iterations.
    Iterate(usize),
    /// Where the path comes back into the box.
    Entry,
    /// Where the path leaves the box; the first point outside is this iteration.
    Exit(usize),
}

/// A point of the drawn path in world space.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorldNode {
    /// Position in the view's world box.
    pub world: Vec3,
    /// Not hidden behind the surface from the eye.
    pub visible: bool,
    /// What the point is.
    pub kind: NodeKind,
}

/// A point of the drawn path on screen this frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenNode {
    /// Screen position, in points.
    pub pos: Pos2,
    /// Not hidden behind the surface.
    pub visible: bool,
    /// What the point is.
    pub kind: NodeKind,
}

/// What the cached world points were computed for.
#[derive(Clone, Copy, PartialEq)]
struct PathKey {
    eye: [u32; 3],
    resolution: usize,
    stride: usize,
    /// The run's history (a new simulation is a new allocation) and its start.
    path: usize,
    start: [u64; 2],
}

/// One trajectory's world points and visibility for one eye, plus this frame's projection.
#[derive(Default)]
pub struct PathCache {
    key: Option<PathKey>,
    /// Points in path order, `None` where the path is interrupted, each with the sample
    /// (path index) whose processing produced it.
    nodes: Vec<(usize, Option<WorldNode>)>,
    /// The next sample on the stride to process.
    next: usize,
    /// Nodes from here on belong to the last point when it is off the stride.
    tail_from: usize,
    /// Occlusion tests skipped while the camera moves reuse the last result.
    last_visible: bool,
    /// Nodes processed (counts the tests while moving).
    processed: usize,
    /// This frame's projection of `nodes`.
    screen: Vec<Option<ScreenNode>>,
    /// The path's last index, when it lies outside the box.
    ends_outside: bool,
}

/// What the cache needs besides the trajectory.
pub struct PathContext<'a> {
    /// World mapping of the scene.
    pub scale: &'a SceneScale,
    /// The drawn surface.
    pub field: &'a HeightField,
    /// The camera's position.
    pub eye: Vec3,
    /// The mesh's resolution (a new mesh means new heights).
    pub resolution: usize,
    /// The camera is moving: test fewer points.
    pub moving: bool,
}

impl PathCache {
    /// Brings the world points up to date with `trajectory`: rebuilt when the eye, the mesh
    /// or the run changed; when the run only grew, only the new points are tested.
    pub fn update(&mut self, trajectory: &Trajectory3d<'_>, cx: &PathContext<'_>) {
        let path = trajectory.path;
        let len = path.len();
        let stride = len.div_ceil(MAX_PATH_POINTS).max(1);
        let key = PathKey {
            eye: [cx.eye.x, cx.eye.y, cx.eye.z].map(f32::to_bits),
            resolution: cx.resolution,
            stride,
            path: path.as_ptr() as usize,
            start: path
                .first()
                .map_or([0; 2], |p| [p.x.to_bits(), p.y.to_bits()]),
        };
        // The samples on the stride done so far (0, stride, ..., next - stride) must still
        // be inside the path.
        if self.key == Some(key) && self.next < len + stride {
            self.nodes.truncate(self.tail_from);
        } else {
            self.key = Some(key);
            self.nodes.clear();
            self.next = 0;
            self.last_visible = true;
            self.processed = 0;
        }
        let every = if cx.moving {
            (len / stride).div_ceil(MOVING_OCCLUSION_TESTS).max(1)
        } else {
            1
        };
        while self.next < len {
            let k = self.next;
            self.process(trajectory, cx, k.checked_sub(stride), k, every);
            self.next += stride;
        }
        self.tail_from = self.nodes.len();
        if len > 0 && !(len - 1).is_multiple_of(stride) {
            let previous = (len - 1) / stride * stride;
            self.process(trajectory, cx, Some(previous), len - 1, every);
        }
        self.ends_outside = path.last().is_some_and(|p| !inside(cx.scale, *p));
    }

    /// Adds the nodes from sample `from` (already added) to sample `k`: crossings of the
    /// box's edge by the steps in between, then the point `k` itself if inside.
    fn process(
        &mut self,
        trajectory: &Trajectory3d<'_>,
        cx: &PathContext<'_>,
        from: Option<usize>,
        k: usize,
        every: usize,
    ) {
        let path = trajectory.path;
        let scale = cx.scale;
        let inside_k = inside(scale, path[k]);
        if let Some(from) = from
            && !(inside(scale, path[from]) && inside_k)
        {
            let d = scale.domain;
            let (min, max) = ([d.w_min, d.b_min], [d.w_max, d.b_max]);
            for i in from + 1..=k {
                let (a, b) = (path[i - 1], path[i]);
                let (in_a, in_b) = (inside(scale, a), inside(scale, b));
                if in_a && in_b {
                    continue;
                }
                let lerp = |t: f64| PlotPoint::new(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y));
                match path_style::clip_segment([a.x, a.y], [b.x, b.y], min, max) {
                    Some((t0, t1)) => {
                        if !in_a {
                            self.push_crossing(cx, k, lerp(t0), NodeKind::Entry, b, every);
                        }
                        if !in_b {
                            self.push_crossing(cx, k, lerp(t1), NodeKind::Exit(i), a, every);
                            self.nodes.push((k, None));
                        }
                    }
                    // The step went to infinity (or NaN): the arrow stands at its start.
                    None if in_a => {
                        self.push_crossing(cx, k, a, NodeKind::Exit(i), a, every);
                        self.nodes.push((k, None));
                    }
                    None => {}
                }
            }
        }
        if inside_k {
            let p = path[k];
            let (x, y) = (scale.x(p.x), scale.y(p.y));
            let surface = cx.field.height_at(x, y);
            let height = match trajectory.cost.get(k).copied().filter(|j| j.is_finite()) {
                Some(j) => Some(surface.map_or(scale.height(j), |s| s.max(scale.height(j)))),
                // No cost recorded on this row: J there is the surface's height.
                None => surface,
            };
            let node = height.map(|z| {
                let world = Vec3::new(x, y, z + LIFT * scale.top);
                let visible = self.visibility(cx, world, every);
                WorldNode {
                    world,
                    visible,
                    kind: NodeKind::Iterate(k),
                }
            });
            self.nodes.push((k, node));
        }
    }

    /// Adds a point on the box's edge; its height is the surface's there, else the height
    /// of the neighboring point `fallback` inside.
    fn push_crossing(
        &mut self,
        cx: &PathContext<'_>,
        sample: usize,
        at: PlotPoint,
        kind: NodeKind,
        fallback: PlotPoint,
        every: usize,
    ) {
        let scale = cx.scale;
        let (x, y) = (
            scale.x(at.x).clamp(-1.0, 1.0),
            scale.y(at.y).clamp(-1.0, 1.0),
        );
        let Some(z) = cx
            .field
            .height_at(x, y)
            .or_else(|| cx.field.height_at(scale.x(fallback.x), scale.y(fallback.y)))
        else {
            return;
        };
        let world = Vec3::new(x, y, z + LIFT * scale.top);
        let visible = self.visibility(cx, world, every);
        self.nodes.push((
            sample,
            Some(WorldNode {
                world,
                visible,
                kind,
            }),
        ));
    }

    /// Whether `world` is seen from the eye; while the camera moves, only every
    /// `every`-th point is tested and the others repeat the last answer.
    fn visibility(&mut self, cx: &PathContext<'_>, world: Vec3, every: usize) -> bool {
        if self.processed.is_multiple_of(every) {
            self.last_visible = cx.field.is_visible(world, cx.eye);
        }
        self.processed += 1;
        self.last_visible
    }

    /// The world points, `None` where the path is interrupted.
    pub fn world_nodes(&self) -> impl Iterator<Item = Option<&WorldNode>> {
        self.nodes.iter().map(|(_, n)| n.as_ref())
    }

    /// Projects the points with this frame's view (`project` gives the screen position of
    /// a world point, `None` behind the camera) and returns them.
    pub fn project(&mut self, project: impl Fn(Vec3) -> Option<Pos2>) -> &[Option<ScreenNode>] {
        self.screen.clear();
        self.screen.extend(self.nodes.iter().map(|(_, n)| {
            n.and_then(|n| {
                project(n.world).map(|pos| ScreenNode {
                    pos,
                    visible: n.visible,
                    kind: n.kind,
                })
            })
        }));
        &self.screen
    }

    /// This frame's projected points (after [`PathCache::project`]).
    pub fn screen(&self) -> &[Option<ScreenNode>] {
        &self.screen
    }

    /// Where the run's label goes and what it says: when the path ends outside the box, at
    /// the arrow where it left the box for good ("left the plot at 12", or "diverged at
    /// 72" once that iteration is shown); when the run diverged inside the box, at the
    /// current point. `None` for a run that is fine.
    pub fn label(&self, trajectory: &Trajectory3d<'_>) -> Option<(Pos2, String)> {
        let last = trajectory.path.len().checked_sub(1)?;
        let diverged = trajectory.diverged_at.filter(|&t| t <= last);
        if self.ends_outside {
            // The exit after the last point inside (later steps only cross the box).
            let last_inside = self
                .screen
                .iter()
                .rposition(|n| n.is_some_and(|n| matches!(n.kind, NodeKind::Iterate(_))));
            let exit = self.screen[last_inside.unwrap_or(0)..]
                .iter()
                .flatten()
                .find_map(|n| match n.kind {
                    NodeKind::Exit(i) => Some((n.pos, i)),
                    _ => None,
                })?;
            return Some((exit.0, path_style::exit_label(exit.1, diverged)));
        }
        let now = self.current()?;
        diverged.map(|t| (now.pos, path_style::exit_label(t, Some(t))))
    }

    /// The current point, when it is drawn.
    fn current(&self) -> Option<&ScreenNode> {
        let last = self.screen.last()?.as_ref()?;
        matches!(last.kind, NodeKind::Iterate(_)).then_some(last)
    }

    /// Draws this frame's path: segments on a halo (dimmed where the surface hides them),
    /// dots at the iterates and arrows where it leaves the box. `k` is the presenter's line
    /// scale.
    pub fn draw_path(&self, painter: &Painter, trajectory: &Trajectory3d<'_>, k: f32) {
        let color = trajectory.color;
        let diverged = trajectory.diverged_at.is_some();
        let width = k * if diverged {
            DIVERGED_PATH_WIDTH
        } else if trajectory.selected {
            SELECTED_PATH_WIDTH
        } else {
            PATH_WIDTH
        };
        let dim = color.gamma_multiply(0.35);
        let nodes = &self.screen;
        // Runs of consecutive points with one visibility; a segment is hidden when either
        // end is.
        let mut run: Vec<Pos2> = Vec::new();
        let mut run_visible = true;
        let flush = |run: &mut Vec<Pos2>, visible: bool| {
            if visible {
                path_style::stroke_path(painter, std::mem::take(run), width, color);
            } else if run.len() >= 2 {
                painter.add(egui::Shape::line(
                    std::mem::take(run),
                    Stroke::new(width, dim),
                ));
            }
            run.clear();
        };
        for pair in nodes.windows(2) {
            match (pair[0], pair[1]) {
                (Some(a), Some(b)) => {
                    let visible = a.visible && b.visible;
                    if run.is_empty() {
                        run.push(a.pos);
                        run_visible = visible;
                    } else if visible != run_visible {
                        flush(&mut run, run_visible);
                        run.push(a.pos);
                        run_visible = visible;
                    }
                    run.push(b.pos);
                }
                _ => flush(&mut run, run_visible),
            }
        }
        flush(&mut run, run_visible);
        // A dot per iterate on short paths and on diverged runs (whose steps are long).
        let iterates = nodes
            .iter()
            .flatten()
            .filter(|n| matches!(n.kind, NodeKind::Iterate(_)));
        // A diverged run's dots carry their own halo (its steps are thin and far apart);
        // on other paths they are beads on the line, which has the halo.
        if diverged {
            for n in iterates {
                if n.visible {
                    path_style::dot(painter, n.pos, k * STEP_DOT_RADIUS, color);
                } else {
                    painter.circle_filled(n.pos, k * 1.5, dim);
                }
            }
        } else if iterates.clone().count() <= MAX_DOTTED_ITERATES {
            for n in iterates {
                let (r, c) = if n.visible {
                    (0.5 * width + 0.8 * k, color)
                } else {
                    (0.5 * width, dim)
                };
                painter.circle_filled(n.pos, r, c);
            }
        }
        // Arrows where the path leaves the box, pointing the way it went.
        let mut previous: Option<Pos2> = None;
        for node in nodes {
            match node {
                Some(n) => {
                    if let (NodeKind::Exit(_), Some(p)) = (n.kind, previous) {
                        let c = if n.visible { color } else { dim };
                        path_style::arrowhead(painter, n.pos, n.pos - p, k * ARROW_LENGTH, c);
                    }
                    previous = Some(n.pos);
                }
                None => previous = None,
            }
        }
    }

    /// Draws the markers of this frame's path (after every run's path, so no path covers
    /// another run's position): a ring at the start, a ball at the current point.
    pub fn draw_markers(&self, painter: &Painter, trajectory: &Trajectory3d<'_>, k: f32) {
        let color = trajectory.color;
        let dim = color.gamma_multiply(0.35);
        let nodes = &self.screen;
        // Start: a ring; current position: a ball.
        if let Some(Some(start)) = nodes.first()
            && start.kind == NodeKind::Iterate(0)
        {
            let (c, halo) = if start.visible {
                (color, path_style::halo_color(color))
            } else {
                (dim, Color32::TRANSPARENT)
            };
            let width = 1.8 * k;
            painter.circle_stroke(
                start.pos,
                4.5 * k,
                Stroke::new(width + 2.0 * path_style::HALO_WIDTH, halo),
            );
            painter.circle_stroke(start.pos, 4.5 * k, Stroke::new(width, c));
        }
        if let Some(now) = self.current() {
            let alpha = if now.visible { 1.0 } else { 0.4 };
            let halo = path_style::halo_color(color);
            painter.circle_filled(now.pos, 7.5 * k, halo.gamma_multiply(alpha));
            painter.circle_filled(now.pos, 6.0 * k, color.gamma_multiply(alpha));
            painter.circle_filled(
                now.pos + Vec2::new(-2.0, -2.0),
                2.2,
                Color32::WHITE.gamma_multiply(0.7 * alpha),
            );
        }
    }
}

/// True when the parameters are finite and inside the box's domain.
fn inside(scale: &SceneScale, p: PlotPoint) -> bool {
    p.x.is_finite() && p.y.is_finite() && scale.domain.contains([p.x, p.y])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Domain;

    /// J = w² + b² on [-2, 2]², its height field on a 41 x 41 grid, seen from high above.
    fn bowl() -> (SceneScale, HeightField) {
        let n = 41;
        let domain = Domain::new(-2.0, 2.0, -2.0, 2.0);
        let values: Vec<f64> = (0..n * n)
            .map(|v| {
                let (i, j) = (v % n, v / n);
                let w = -2.0 + 4.0 * i as f64 / (n - 1) as f64;
                let b = -2.0 + 4.0 * j as f64 / (n - 1) as f64;
                w * w + b * b
            })
            .collect();
        let scale = SceneScale::fit(domain, &values, false, 1.0);
        let heights = values.iter().map(|&j| scale.height(j)).collect();
        (scale, HeightField::new(n, n, heights))
    }

    fn trajectory<'a>(path: &'a [PlotPoint], cost: &'a [f64]) -> Trajectory3d<'a> {
        Trajectory3d {
            path,
            cost,
            color: Color32::RED,
            selected: false,
            diverged_at: None,
        }
    }

    fn update(
        cache: &mut PathCache,
        t: &Trajectory3d<'_>,
        scale: &SceneScale,
        field: &HeightField,
    ) {
        let cx = PathContext {
            scale,
            field,
            eye: Vec3::new(0.3, 0.2, 40.0),
            resolution: 41,
            moving: false,
        };
        cache.update(t, &cx);
    }

    // Rows without a recorded cost (NaN) keep their point, at the surface's height there:
    // the path has no gaps and lies on the surface as the rows with a cost do.
    #[test]
    fn rows_without_a_cost_stay_on_the_surface() {
        let (scale, field) = bowl();
        let path: Vec<PlotPoint> = (0..40)
            .map(|k| PlotPoint::new(1.8 * 0.93f64.powi(k), -1.5 * 0.9f64.powi(k)))
            .collect();
        // The full cost every 5 iterations, as a data fit on many examples records it.
        let cost: Vec<f64> = path
            .iter()
            .enumerate()
            .map(|(k, p)| {
                if k % 5 == 0 {
                    p.x * p.x + p.y * p.y
                } else {
                    f64::NAN
                }
            })
            .collect();
        let mut cache = PathCache::default();
        update(&mut cache, &trajectory(&path, &cost), &scale, &field);
        let nodes: Vec<Option<&WorldNode>> = cache.world_nodes().collect();
        assert_eq!(nodes.len(), path.len());
        for (k, node) in nodes.iter().enumerate() {
            let node = node.unwrap_or_else(|| panic!("a gap at {k}"));
            assert_eq!(node.kind, NodeKind::Iterate(k));
            let surface = field
                .height_at(node.world.x, node.world.y)
                .expect("on the grid");
            let lift = LIFT * scale.top;
            assert!(
                (node.world.z - lift - surface).abs() < 0.01 * scale.top,
                "{k}: {} vs {surface}",
                node.world.z
            );
        }
    }

    // A run that leaves the box is drawn up to the box's edge, where an exit point marks
    // the first iteration outside; a step from outside to outside that crosses the box is
    // drawn where it crosses; coming back in, the path enters at the edge again.
    #[test]
    fn leaving_the_box_ends_at_its_edge() {
        let (scale, field) = bowl();
        // b doubles each step (with alternating sign): 0.3, -0.6, 1.2, -2.4 (outside), 4.8.
        let path: Vec<PlotPoint> = (0..5)
            .map(|k| PlotPoint::new(0.5, 0.3 * (-2.0f64).powi(k)))
            .chain([PlotPoint::new(0.5, 0.0)])
            .collect();
        let cost: Vec<f64> = path.iter().map(|p| p.x * p.x + p.y * p.y).collect();
        let mut cache = PathCache::default();
        let mut t = trajectory(&path[..5], &cost[..5]);
        t.diverged_at = Some(4);
        update(&mut cache, &t, &scale, &field);
        let kinds: Vec<Option<NodeKind>> = cache.world_nodes().map(|n| n.map(|n| n.kind)).collect();
        assert_eq!(
            kinds,
            [
                Some(NodeKind::Iterate(0)),
                Some(NodeKind::Iterate(1)),
                Some(NodeKind::Iterate(2)),
                Some(NodeKind::Exit(3)),
                None,
                Some(NodeKind::Entry),
                Some(NodeKind::Exit(4)),
                None,
            ]
        );
        // The first exit lies on the edge b = -2 (world y = -1), on the straight step from
        // 1.2 to -2.4, at the surface's height there.
        let exit = cache.world_nodes().nth(3).flatten().expect("exit");
        assert!((exit.world.y + 1.0).abs() < 1e-6, "{exit:?}");
        assert!((exit.world.x - scale.x(0.5)).abs() < 1e-6);
        let surface = field.height_at(exit.world.x, -1.0).expect("on the grid");
        assert!((exit.world.z - LIFT * scale.top - surface).abs() < 1e-4);
        // The label stands where the path left the box for good (b = -2, not where the last
        // step crossed it) and says the run diverged.
        cache.project(|p| Some(Pos2::new(p.x * 100.0, p.y * 100.0)));
        let (at, text) = cache.label(&t).expect("a label");
        assert_eq!(text, "diverged at 4");
        assert!((at.y + 100.0).abs() < 1e-3, "{at:?}");
        // Before the divergence is reached, the label says when the path left.
        t.diverged_at = Some(9);
        assert_eq!(
            cache.label(&t).map(|l| l.1).as_deref(),
            Some("left the plot at 3")
        );
        // Back inside: the path enters at the edge b = 2 and goes on.
        let t = trajectory(&path, &cost);
        update(&mut cache, &t, &scale, &field);
        let kinds: Vec<Option<NodeKind>> = cache.world_nodes().map(|n| n.map(|n| n.kind)).collect();
        assert_eq!(
            kinds[6..],
            [
                Some(NodeKind::Exit(4)),
                None,
                Some(NodeKind::Entry),
                Some(NodeKind::Iterate(5)),
            ]
        );
        cache.project(|p| Some(Pos2::new(p.x, p.y)));
        assert_eq!(cache.label(&t), None, "inside again: no label");
    }

    // Growing a path only adds points: the cache equals one built from scratch.
    #[test]
    fn growing_matches_rebuilding() {
        let (scale, field) = bowl();
        let path: Vec<PlotPoint> = (0..1500)
            .map(|k| {
                let a = f64::from(k) * 0.01;
                PlotPoint::new(2.5 * a.cos() * 0.999f64.powi(k), 1.9 * a.sin())
            })
            .collect();
        let cost: Vec<f64> = path.iter().map(|p| p.x * p.x + p.y * p.y).collect();
        let mut grown = PathCache::default();
        for len in [1, 2, 7, 600, 601, 950, 1200, 1500] {
            update(
                &mut grown,
                &trajectory(&path[..len], &cost[..len]),
                &scale,
                &field,
            );
            let mut fresh = PathCache::default();
            update(
                &mut fresh,
                &trajectory(&path[..len], &cost[..len]),
                &scale,
                &field,
            );
            let a: Vec<Option<WorldNode>> = grown.world_nodes().map(|n| n.copied()).collect();
            let b: Vec<Option<WorldNode>> = fresh.world_nodes().map(|n| n.copied()).collect();
            assert_eq!(a, b, "length {len}");
        }
    }
}
