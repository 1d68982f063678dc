//! Compile errors point at the right character with a message and hint a student can act on,
//! and nothing typed makes the compiler panic or hang.
#![allow(clippy::unwrap_used)]

use losscape::engine::expr::{Role, compile};
use proptest::prelude::*;

/// (text, role, expected position, part of the message, part of the hint or "").
const CASES: &[(&str, Role, usize, &str, &str)] = &[
    ("", Role::Function, 0, "the formula is empty", "w^2"),
    ("   ", Role::Function, 0, "the formula is empty", ""),
    (
        "w**2",
        Role::Function,
        1,
        "`**` is not an operator",
        "with `^`",
    ),
    (
        "sine(w)",
        Role::Function,
        0,
        "unknown function `sine`",
        "did you mean `sin`?",
    ),
    (
        "w + cosh(b) + exq(w)",
        Role::Function,
        14,
        "unknown function `exq`",
        "did you mean `exp`?",
    ),
    (
        "arctan(w)",
        Role::Function,
        0,
        "unknown function `arctan`",
        "`atan`",
    ),
    (
        "pow(w, 2)",
        Role::Function,
        0,
        "unknown function `pow`",
        "`^`",
    ),
    (
        "(w + 1",
        Role::Function,
        0,
        "unbalanced parentheses",
        "add the missing `)`",
    ),
    ("w + 1)", Role::Function, 5, "unbalanced parentheses", ""),
    ("sin(w", Role::Function, 0, "`sin(` is never closed", ""),
    ("w^2 + y", Role::Function, 6, "mixes", "x means w"),
    ("x*b", Role::Function, 2, "mixes", ""),
    (
        "(yhat - x)^2",
        Role::Loss,
        8,
        "`x` is used in the loss",
        "belongs in the model",
    ),
    (
        "(yhat - y)^2 + w",
        Role::Loss,
        15,
        "parameter `w` is used in the loss",
        "regularization",
    ),
    (
        "w*x + y",
        Role::Model,
        6,
        "label `y` cannot be used in the model",
        "",
    ),
    (
        "0.1*x^2",
        Role::Regularization,
        4,
        "cannot be used in the regularization",
        "",
    ),
    (
        "w +",
        Role::Function,
        3,
        "a value is missing at the end",
        "",
    ),
    (
        "w + * b",
        Role::Function,
        4,
        "a value is missing before `*`",
        "",
    ),
    ("*w", Role::Function, 0, "cannot start with `*`", ""),
    (
        "w b",
        Role::Function,
        2,
        "missing an operator before `b`",
        "`*`",
    ),
    ("2 3", Role::Function, 2, "two numbers in a row", ""),
    (
        "w(b+1)",
        Role::Function,
        0,
        "`w` is not a function",
        "w*(...)",
    ),
    (
        "sin",
        Role::Function,
        0,
        "`sin` is a function and needs parentheses",
        "",
    ),
    (
        "atan2(w)",
        Role::Function,
        0,
        "`atan2` takes 2 arguments, but 1 was given",
        "",
    ),
    ("sin(w, b)", Role::Function, 0, "`sin` takes 1 argument", ""),
    ("max()", Role::Function, 4, "`max` needs an argument", ""),
    ("()", Role::Function, 0, "empty parentheses", ""),
    ("w, b", Role::Function, 1, "comma can only separate", ""),
    (
        "0,5*w",
        Role::Function,
        1,
        "comma can only separate",
        "decimals",
    ),
    (
        "w² + b",
        Role::Function,
        1,
        "unexpected character `²`",
        "`^`",
    ),
    (
        "w × b",
        Role::Function,
        2,
        "unexpected character `×`",
        "`*`",
    ),
    ("πw", Role::Function, 0, "unexpected character `π`", "pi"),
    (
        "J = w^2",
        Role::Function,
        2,
        "unexpected character `=`",
        "only the expression",
    ),
    ("1e999*w", Role::Function, 0, "too large", ""),
    (
        "(w-1)(b+1)",
        Role::Function,
        5,
        "missing an operator before `(`",
        "`*`",
    ),
    (
        "yhat + w",
        Role::Function,
        0,
        "only exists in a data-fit",
        "",
    ),
    ("1_000*w", Role::Function, 0, "`_`", "write 1000"),
    (
        "w + 1_000_000.5",
        Role::Function,
        4,
        "`_`",
        "write 1000000.5",
    ),
    ("0x1F + w", Role::Function, 0, "hex", "write 31"),
    ("w*0XFF", Role::Function, 2, "hex", "write 255"),
    ("1e*w", Role::Function, 0, "exponent needs digits", "1e3"),
    ("w + 2e", Role::Function, 4, "exponent needs digits", "2*e"),
    ("3e-w", Role::Function, 0, "exponent needs digits", ""),
    ("1.5E+ w", Role::Function, 0, "exponent needs digits", ""),
    (
        "nan*w",
        Role::Function,
        0,
        "`nan`",
        "not numbers you can type",
    ),
    (
        "w + inf",
        Role::Function,
        4,
        "`inf`",
        "not numbers you can type",
    ),
    (
        "yhat - NaN",
        Role::Loss,
        7,
        "`NaN`",
        "not numbers you can type",
    ),
    (
        "Infinity*x",
        Role::Model,
        0,
        "`Infinity`",
        "not numbers you can type",
    ),
];

#[test]
fn error_table() {
    let mut wrong = Vec::new();
    for &(text, role, pos, msg, hint) in CASES {
        let e = match compile(text, role) {
            Ok(_) => {
                wrong.push(format!("`{text}` compiled"));
                continue;
            }
            Err(e) => e,
        };
        let h = e.hint.clone().unwrap_or_default();
        if e.position != pos || !e.message.contains(msg) || (!hint.is_empty() && !h.contains(hint))
        {
            wrong.push(format!(
                "`{text}`: got position {} message `{}` hint `{h}`",
                e.position, e.message
            ));
        }
        // The rendering shows the message.
        assert!(e.render(text).contains(&e.message));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn positions_count_characters_not_bytes() {
    let e = compile("é + w", Role::Function).unwrap_err();
    assert_eq!(e.position, 0);
    let e = compile("1 + ü", Role::Function).unwrap_err();
    assert_eq!(e.position, 4);
    let e = compile("w²²+sine(b)", Role::Function).unwrap_err();
    assert_eq!(e.position, 1);
}

#[test]
fn accepted_spellings() {
    for ok in [
        "-w^2 + b",
        "2w",
        "3(w-1)^2",
        "0.5sin(b)",
        ".5*w",
        "w^-2",
        "--w",
        "+w",
        "x^2 + y^2",
        "a*w + k",
        "max(w, b, 1)",
        "2pi*w",
        "1e-3w",
        "1e3w",
        "2exp(w)",
        "2*e + e^w",
        "2 e",
        "0x + y",
        "w_1 + b",
        "log10(w) + log2(b) + log(w)",
        "softplus(w) + relu(b) + sigmoid(w)",
    ] {
        assert!(
            compile(ok, Role::Function).is_ok(),
            "`{ok}` should compile: {:?}",
            compile(ok, Role::Function).err()
        );
    }
}

#[test]
fn deep_nesting_and_long_inputs_do_not_crash() {
    let deep = format!("{}w{}", "(".repeat(4000), ")".repeat(4000));
    assert_eq!(compile(&deep, Role::Function).unwrap().value(2.0, 0.0), 2.0);
    let deep_fn = format!("{}w{}", "sin(".repeat(1500), ")".repeat(1500));
    assert!(
        compile(&deep_fn, Role::Function)
            .unwrap()
            .value(0.5, 0.0)
            .is_finite()
    );
    let unbalanced = "(".repeat(9000);
    assert!(compile(&unbalanced, Role::Function).is_err());
    let long = "w+".repeat(20_000);
    assert!(compile(&long, Role::Function).is_err());
    let minus = format!("{}w", "-".repeat(9000));
    assert_eq!(
        compile(&minus, Role::Function).unwrap().value(3.0, 0.0),
        3.0
    );
}

/// The line of a rendering that shows the text and the caret line under it.
fn text_and_caret(rendered: &str) -> (Vec<char>, usize) {
    let lines: Vec<&str> = rendered.lines().collect();
    let shown: Vec<char> = lines[1].chars().collect();
    let caret = lines[2].chars().position(|c| c == '^').unwrap();
    (shown, caret)
}

// A long text is shown as a short excerpt around the problem, with the caret on it.
#[test]
fn long_texts_render_a_short_excerpt() {
    let huge = "w+".repeat(500_000);
    let e = compile(&huge, Role::Function).unwrap_err();
    assert!(e.message.contains("too long"), "{}", e.message);
    let r = e.render(&huge);
    assert!(r.chars().count() < 300, "{} characters", r.chars().count());

    let middle = format!("{}$+{}", "w+".repeat(2000), "b+".repeat(2000));
    let e = compile(&middle, Role::Function).unwrap_err();
    assert_eq!(e.position, 4000);
    let r = e.render(&middle);
    assert!(r.chars().count() < 300, "{r}");
    let (shown, caret) = text_and_caret(&r);
    assert_eq!(shown[caret], '$', "{r}");
    assert!(r.contains("  …") && r.contains("…\n"), "{r}");

    // At the end of a long text the caret is just past its last character.
    let open = format!("{}w +", "w+".repeat(3000));
    let e = compile(&open, Role::Function).unwrap_err();
    assert_eq!(e.position, open.chars().count());
    let r = e.render(&open);
    let (shown, caret) = text_and_caret(&r);
    assert_eq!(caret, shown.len(), "{r}");
    assert_eq!(shown.last(), Some(&'+'));

    // A short text is shown whole.
    let r = compile("w + $", Role::Function)
        .unwrap_err()
        .render("w + $");
    assert!(r.contains("  w + $\n      ^\n"), "{r}");
}

// A message quotes at most a short excerpt of what was typed.
#[test]
fn messages_quote_short_excerpts() {
    for (text, run) in [
        (format!("{}(w)", "q".repeat(5000)), "q"),
        (format!("w {}", "q".repeat(5000)), "q"),
        (format!("{}*w", "9".repeat(400)), "9"),
        (format!("w {}", "9".repeat(5000)), "9"),
    ] {
        let e = compile(&text, Role::Function).unwrap_err();
        assert!(e.message.chars().count() < 100, "{}", e.message);
        let hint = e.hint.clone().unwrap_or_default();
        assert!(!hint.contains(&run.repeat(40)), "{hint}");
        assert!(e.render(&text).chars().count() < 500);
    }
}

#[test]
fn evaluation_gives_nan_or_inf_instead_of_failing() {
    let v = |t: &str| compile(t, Role::Function).unwrap().value(-1.0, 0.0);
    assert!(v("ln(w)").is_nan());
    assert!(v("sqrt(w)").is_nan());
    assert_eq!(v("1/b"), f64::INFINITY);
    assert!(v("exp(1000)").is_infinite());
    let d = compile("sqrt(w)", Role::Function)
        .unwrap()
        .derivatives(0.0, 0.0);
    assert!(d.gradient[0].is_infinite());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn arbitrary_text_never_panics(s in ".{0,60}") {
        for role in [Role::Function, Role::Model, Role::Loss, Role::Regularization] {
            if let Ok(e) = compile(&s, role) {
                let _ = e.value(0.3, -0.7);
                let _ = e.derivatives(0.3, -0.7);
            }
        }
    }

    #[test]
    fn formula_like_text_never_panics(s in "[wbxy0-9.e+*/%^(),a-z -]{0,40}") {
        for role in [Role::Function, Role::Model, Role::Loss, Role::Regularization] {
            if let Ok(e) = compile(&s, role) {
                let _ = e.value(0.3, -0.7);
                let _ = e.derivatives(1.3, 0.2);
            } else if let Err(err) = compile(&s, role) {
                prop_assert!(err.position <= s.chars().count());
                let _ = err.render(&s);
            }
        }
    }
}
