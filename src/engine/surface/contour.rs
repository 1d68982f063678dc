//! Contour lines by marching squares.
//!
//! Each grid cell (four neighbouring samples) is classified by which corners are at or above
//! the level; the line crosses the cell's edges where the level lies between two corners, at
//! the linearly interpolated position. Cells with an undefined corner (NaN or infinite) are
//! skipped, so lines stop at the edge of undefined regions. The two ambiguous "saddle" cells
//! (diagonal corners above, the other two below) are resolved by the average of the four
//! corners: when it is at or above the level the two high corners are joined through the
//! middle of the cell, otherwise the two low ones are. Crossing points are computed once per
//! grid edge, so neighbouring cells share them exactly and segments join into polylines.

use std::collections::HashMap;

use rayon::prelude::*;

use super::Grid;
use crate::engine::Point;

/// One contour line: a polyline in `(w, b)` coordinates along which J equals `level`.
#[derive(Clone, Debug, PartialEq)]
pub struct ContourLine {
    /// The value of J along the line.
    pub level: f64,
    /// The points in order. A closed line repeats its first point at the end.
    pub points: Vec<Point>,
    /// True when the line is a loop (it does not reach the grid's edge or an undefined region).
    pub closed: bool,
}

/// The contour lines of a grid at each of the given levels (non-finite levels are ignored).
/// Lines are returned grouped by level, in the order the levels are given.
pub fn contour_lines(grid: &Grid, levels: &[f64]) -> Vec<ContourLine> {
    if grid.n_w < 2 || grid.n_b < 2 || grid.values.len() != grid.n_w * grid.n_b {
        return Vec::new();
    }
    levels
        .par_iter()
        .filter(|l| l.is_finite())
        .map(|&level| lines_at(grid, level))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// The edges of a cell: bottom, right, top, left.
const BOTTOM: usize = 0;
const RIGHT: usize = 1;
const TOP: usize = 2;
const LEFT: usize = 3;

fn lines_at(grid: &Grid, level: f64) -> Vec<ContourLine> {
    let n_w = grid.n_w;
    let v = &grid.values;
    // A horizontal edge from (i, j) to (i, j+1) has id 2*(i*n_w + j); a vertical edge from
    // (i, j) to (i+1, j) has id 2*(i*n_w + j) + 1.
    let h = |i: usize, j: usize| 2 * (i * n_w + j) as u64;
    let vt = |i: usize, j: usize| 2 * (i * n_w + j) as u64 + 1;

    let mut segments: Vec<[u64; 2]> = Vec::new();
    for i in 0..grid.n_b - 1 {
        for j in 0..n_w - 1 {
            let c = [
                v[i * n_w + j],
                v[i * n_w + j + 1],
                v[(i + 1) * n_w + j + 1],
                v[(i + 1) * n_w + j],
            ];
            if c.iter().any(|x| !x.is_finite()) {
                continue;
            }
            let case = c
                .iter()
                .enumerate()
                .fold(0usize, |acc, (k, &x)| acc | (usize::from(x >= level) << k));
            if case == 0 || case == 15 {
                continue;
            }
            let edges = [h(i, j), vt(i, j + 1), h(i + 1, j), vt(i, j)];
            let mut add = |a: usize, b: usize| segments.push([edges[a], edges[b]]);
            let center_above = (c[0] + c[1] + c[2] + c[3]) * 0.25 >= level;
            match case {
                1 | 14 => add(LEFT, BOTTOM),
                2 | 13 => add(BOTTOM, RIGHT),
                3 | 12 => add(LEFT, RIGHT),
                4 | 11 => add(RIGHT, TOP),
                6 | 9 => add(BOTTOM, TOP),
                7 | 8 => add(LEFT, TOP),
                // Corners 0 and 2 above, 1 and 3 below.
                5 => {
                    if center_above {
                        add(BOTTOM, RIGHT);
                        add(TOP, LEFT);
                    } else {
                        add(LEFT, BOTTOM);
                        add(RIGHT, TOP);
                    }
                }
                // Corners 1 and 3 above, 0 and 2 below.
                10 => {
                    if center_above {
                        add(LEFT, BOTTOM);
                        add(RIGHT, TOP);
                    } else {
                        add(BOTTOM, RIGHT);
                        add(TOP, LEFT);
                    }
                }
                _ => {}
            }
        }
    }
    join(grid, level, &segments)
}

/// Joins segments that share an edge into polylines.
fn join(grid: &Grid, level: f64, segments: &[[u64; 2]]) -> Vec<ContourLine> {
    const NONE: usize = usize::MAX;
    let mut by_edge: HashMap<u64, [usize; 2]> = HashMap::with_capacity(segments.len() * 2);
    for (s, seg) in segments.iter().enumerate() {
        for &e in seg {
            let slot = by_edge.entry(e).or_insert([NONE, NONE]);
            if slot[0] == NONE {
                slot[0] = s;
            } else {
                slot[1] = s;
            }
        }
    }
    // The unused segment at `edge` other than `from`, with the edge at its far end.
    let next = |edge: u64, from: usize, used: &[bool]| -> Option<(usize, u64)> {
        let slot = by_edge.get(&edge)?;
        let s = if slot[0] != from { slot[0] } else { slot[1] };
        if s == NONE || used[s] {
            return None;
        }
        let seg = segments[s];
        Some((s, if seg[0] == edge { seg[1] } else { seg[0] }))
    };

    let mut used = vec![false; segments.len()];
    let mut lines = Vec::new();
    for start in 0..segments.len() {
        if used[start] {
            continue;
        }
        used[start] = true;
        let [first, second] = segments[start];
        let mut forward = vec![first, second];
        let (mut seg, mut edge) = (start, second);
        let mut closed = false;
        while let Some((s, far)) = next(edge, seg, &used) {
            used[s] = true;
            forward.push(far);
            (seg, edge) = (s, far);
            if far == first {
                closed = true;
                break;
            }
        }
        let mut backward = Vec::new();
        if !closed {
            let (mut seg, mut edge) = (start, first);
            while let Some((s, far)) = next(edge, seg, &used) {
                used[s] = true;
                backward.push(far);
                (seg, edge) = (s, far);
            }
        }
        let mut points: Vec<Point> = Vec::with_capacity(backward.len() + forward.len());
        for e in backward.iter().rev().chain(forward.iter()) {
            let p = crossing(grid, level, *e);
            if points.last() != Some(&p) {
                points.push(p);
            }
        }
        if points.len() >= 2 {
            lines.push(ContourLine {
                level,
                points,
                closed,
            });
        }
    }
    lines
}

/// Where the level crosses a grid edge, by linear interpolation between its two samples.
fn crossing(grid: &Grid, level: f64, edge: u64) -> Point {
    let n_w = grid.n_w;
    let cell = (edge / 2) as usize;
    let (i, j) = (cell / n_w, cell % n_w);
    let (i2, j2) = if edge.is_multiple_of(2) {
        (i, j + 1)
    } else {
        (i + 1, j)
    };
    let va = grid.values[i * n_w + j];
    let vb = grid.values[i2 * n_w + j2];
    let t = if vb == va {
        0.5
    } else {
        ((level - va) / (vb - va)).clamp(0.0, 1.0)
    };
    let a = grid.point(i, j);
    let b = grid.point(i2, j2);
    [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
}
