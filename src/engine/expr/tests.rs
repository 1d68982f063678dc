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
