//! Unit tests of the expression language.
#![allow(clippy::unwrap_used)]

use super::*;

fn v(text: &str, w: f64, b: f64) -> f64 {
    compile(text, Role::Function).unwrap().value(w, b)
}

#[test]
fn arithmetic_and_precedence() {
    assert_eq!(v("1 + 2*3", 0.0, 0.0), 7.0);
    assert_eq!(v("2^3^2", 0.0, 0.0), 512.0);
    assert_eq!(v("-w^2", 3.0, 0.0), -9.0);
    assert_eq!(v("w - b - 1", 5.0, 2.0), 2.0);
    assert_eq!(v("2w", 3.0, 0.0), 6.0);
    assert_eq!(v("3(w-1)^2", 3.0, 0.0), 12.0);
    assert_eq!(v("0.5sin(b)", 0.0, 1.0), 0.5 * 1f64.sin());
    assert_eq!(v("2pi", 0.0, 0.0), 2.0 * std::f64::consts::PI);
    assert_eq!(v("x^2 + y", 2.0, 1.0), 5.0);
    assert_eq!(v("max(w, b, 3)", 1.0, 2.0), 3.0);
    assert_eq!(v("7 % 4", 0.0, 0.0), 3.0);
    assert_eq!(v("1e3", 0.0, 0.0), 1000.0);
    assert_eq!(v("2*e", 0.0, 0.0), 2.0 * std::f64::consts::E);
    assert_eq!(v("2 e", 0.0, 0.0), 2.0 * std::f64::consts::E);
    assert!(
        compile("2e", Role::Function).is_err(),
        "an unfinished exponent"
    );
}

#[test]
fn constants_are_listed_and_default_to_one() {
    let e = compile("a*w^2 + k*b + a", Role::Function).unwrap();
    assert_eq!(e.constants, vec!["a".to_string(), "k".to_string()]);
    assert_eq!(e.value(2.0, 3.0), 4.0 + 3.0 + 1.0);
}

#[test]
fn literal_constants_are_folded() {
    let e = compile("w + 2*pi*3", Role::Function).unwrap();
    assert_eq!(e.tape.instructions().len(), 1);
}

#[test]
fn registers_are_reused() {
    let e = compile("(1-w)^2 + 100*(b-w^2)^2", Role::Function).unwrap();
    assert!(e.tape.register_count() <= 3, "{:?}", e.tape);
}

#[test]
fn kinks_follow_pytorch() {
    let g = |t: &str, w: f64, b: f64| {
        compile(t, Role::Function)
            .unwrap()
            .derivatives(w, b)
            .gradient
    };
    assert_eq!(g("abs(w)", 0.0, 0.0), [0.0, 0.0]);
    assert_eq!(g("relu(w)", 0.0, 0.0), [0.0, 0.0]);
    assert_eq!(g("max(w, b)", 1.0, 1.0), [0.5, 0.5]);
    assert_eq!(g("min(b, w)", 1.0, 1.0), [0.5, 0.5]);
    assert_eq!(g("floor(w) + round(b)", 0.3, 0.7), [0.0, 0.0]);
}

#[test]
fn batch_matches_point_evaluation() {
    let e = compile("sin(w)*b + w^3 - 2/b + max(w, 0.5) + a", Role::Function).unwrap();
    let n = 1000;
    let w: Vec<f64> = (0..n).map(|i| i as f64 * 0.01 - 3.0).collect();
    let b: Vec<f64> = (0..n).map(|i| i as f64 * 0.007 + 0.1).collect();
    let mut out = vec![0.0; n];
    let mut scratch = Vec::new();
    let inputs = [
        Input::Slice(&w),
        Input::Slice(&b),
        Input::Scalar(0.0),
        Input::Scalar(0.0),
        Input::Scalar(0.0),
        Input::Scalar(1.0),
    ];
    e.tape.eval_batch(&inputs, &mut out, &mut scratch);
    for i in 0..n {
        assert_eq!(out[i], e.value(w[i], b[i]));
    }
}

#[test]
fn affine_detection() {
    let deg = |t: &str, r: Role| degree_in_parameters(&compile(t, r).unwrap().tape);
    assert_eq!(deg("w*x + b", Role::Model), Some(1));
    assert_eq!(deg("w*x^2 + b*sin(x) + 3", Role::Model), Some(1));
    assert_eq!(deg("w*w*x", Role::Model), Some(2));
    assert_eq!(deg("sigmoid(w*x + b)", Role::Model), None);
    assert_eq!(deg("x/w", Role::Model), None);
}

#[test]
fn roles_restrict_names() {
    assert!(compile("w*x + b", Role::Model).is_ok());
    assert!(compile("(yhat - y)^2", Role::Loss).is_ok());
    let e = compile("(yhat - x)^2", Role::Loss).unwrap_err();
    assert_eq!(e.position, 8);
    assert!(e.message.contains("`x` is used in the loss"));
    let e = compile("w^2 + y", Role::Function).unwrap_err();
    assert_eq!(e.position, 6);
    assert!(e.message.contains("mixes"));
}

// The batched value and gradient equal the single-point evaluation bit for bit, including
// gradient components that do not depend on w or b (skipped in the batch as +0.0), -0.0 from
// negations, terms of one parameter only, free constants, and points where values overflow,
// vanish or are undefined.
#[test]
fn batched_gradients_are_the_single_point_ones() {
    let formulas = [
        "(1-w)^2 + 100*(b-w^2)^2",
        "w^2",
        "b^2 + 3",
        "-w",
        "-(w^2) - b",
        "-(b - 2) * w",
        "a*w + k",
        "7",
        "sqrt(w^2) + abs(b)",
        "exp(w) / (1 + exp(-b))",
        "max(w, 1) + min(b, -1)",
        "w^b + b^0.5",
        "ln(w) * sin(3) - cos(b)^3",
        "(w - 1)^2 * 0 + b",
        "atan2(w, 2) + 5 % b",
    ];
    let special = [
        0.0,
        -0.0,
        1.0,
        -1.5,
        2.0,
        1e-300,
        1e300,
        710.0,
        f64::INFINITY,
        f64::NAN,
    ];
    let mut w = Vec::new();
    let mut b = Vec::new();
    for &x in &special {
        for &y in &special {
            w.push(x);
            b.push(y);
        }
    }
    // More points than one chunk, so the last chunk is partial.
    for i in 0..(CHUNK + 37) {
        w.push(-3.0 + 0.013 * i as f64);
        b.push(2.0 - 0.029 * i as f64);
    }
    let n = w.len();
    let mut scratch = GradientScratch::default();
    for text in formulas {
        let e = compile(text, Role::Function).unwrap();
        let mut slots = vec![0.0; e.tape.slot_count().max(2)];
        for (i, s) in slots.iter_mut().enumerate().skip(2) {
            *s = 0.5 + i as f64;
        }
        let (mut cost, mut gw, mut gb) = (vec![9.0; n], vec![9.0; n], vec![9.0; n]);
        e.tape
            .value_gradient_batch(&slots, &w, &b, &mut cost, &mut gw, &mut gb, &mut scratch);
        for i in 0..n {
            slots[0] = w[i];
            slots[1] = b[i];
            let (v, g) = e.tape.value_gradient(&slots);
            // Bits, with every NaN alike (a NaN's sign and payload mean nothing).
            let bits = |x: f64| {
                if x.is_nan() {
                    f64::NAN.to_bits()
                } else {
                    x.to_bits()
                }
            };
            assert_eq!(
                [cost[i], gw[i], gb[i]].map(bits),
                [v, g[0], g[1]].map(bits),
                "{text} at ({}, {}): batch {:?} vs single {:?}",
                w[i],
                b[i],
                [cost[i], gw[i], gb[i]],
                [v, g[0], g[1]]
            );
        }
    }
}
