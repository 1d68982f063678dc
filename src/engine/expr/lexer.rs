//! Reads the typed text into meval tokens, each with its character position, and checks
//! everything that can be checked on the token stream: the grammar (with messages for
//! people), names of functions and variables for the problem's role, numbers of function
//! arguments, and implicit multiplication after a number (`2w`, `3(w-1)^2`, `0.5sin(b)`).
//! Number spellings that implicit multiplication would silently misread are errors:
//! `1_000`, `0x1F`, `1e` / `2e-w` (an exponent without digits; `2*e` multiplies by e), and
//! the names `nan` and `inf`.
//!
//! The token stream is then handed to meval's shunting-yard (`meval::shunting_yard::to_rpn`).
//! Because this scanner accepts only well-formed streams, the later stages cannot fail on
//! anything typed; every error a person can make is reported here with its position.

use meval::tokenizer::{Operation, Token};

use super::error::{CompileError, Part, excerpt};
use super::ops::{FUNCTIONS, Function, function};
use super::{MAX_TEXT_CHARS, Role, SLOT_B, SLOT_W, SLOT_X, SLOT_Y, SLOT_YHAT};

/// A token with where it came from (character index and length).
#[derive(Clone, Debug)]
pub(super) struct Spanned {
    pub token: Token,
    pub pos: usize,
}

/// The name a variable token carries for a parameter or data slot (constants carry their
/// own name, which never collides: these contain a character identifiers cannot have).
pub(super) fn slot_token_name(slot: usize) -> String {
    format!("#{slot}")
}

/// One open parenthesis.
struct Frame {
    pos: usize,
    /// For a function call: its name, position and the number of commas seen.
    func: Option<(String, usize, usize)>,
}

/// What an identifier means in a given role.
enum Meaning {
    Number(f64),
    Slot(usize),
    Constant,
}

/// Scans `text` into tokens and collects the free constant names it uses (first appearance
/// order, appended to `constants` when new).
pub(super) fn scan(
    text: &str,
    role: Role,
    constants: &mut Vec<String>,
) -> Result<Vec<Spanned>, CompileError> {
    let part = role.part();
    if text.len() > 4 * MAX_TEXT_CHARS {
        return Err(CompileError::new(
            part,
            MAX_TEXT_CHARS,
            1,
            format!("the text is too long (more than {MAX_TEXT_CHARS} characters)"),
        ));
    }
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let err = |pos: usize, len: usize, msg: String| CompileError::new(part, pos, len, msg);
    if n > MAX_TEXT_CHARS {
        return Err(err(
            MAX_TEXT_CHARS,
            1,
            format!("the text is too long (more than {MAX_TEXT_CHARS} characters)"),
        ));
    }
    let mut tokens: Vec<Spanned> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect_operand = true;
    let mut prev_literal = false;
    // In a function problem: first use of the w/b spelling and of the x/y spelling.
    let mut first_wb: Option<usize> = None;
    let mut first_xy: Option<usize> = None;
    let mut i = 0;
    loop {
        while i < n && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= n {
            break;
        }
        let c = chars[i];
        let start = i;
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let mut j = i;
            while j < n && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j < n && chars[j] == '.' {
                j += 1;
                while j < n && chars[j].is_ascii_digit() {
                    j += 1;
                }
            }
            // `0x1F` would read as 0 times a name `x1F`.
            if j == start + 1
                && c == '0'
                && matches!(chars.get(j), Some('x' | 'X'))
                && chars.get(j + 1).is_some_and(char::is_ascii_hexdigit)
            {
                let mut k = j + 1;
                while k < n && chars[k].is_ascii_alphanumeric() {
                    k += 1;
                }
                let typed: String = chars[start..k].iter().collect();
                let digits: String = chars[j + 1..k].iter().collect();
                let hint = match u64::from_str_radix(&digits, 16) {
                    Ok(v) => format!("hex numbers are not supported; write {v}"),
                    Err(_) => "hex numbers are not supported; write the number in decimal".into(),
                };
                return Err(err(
                    start,
                    k - start,
                    format!("`{}` looks like a hex number", excerpt(&typed)),
                )
                .with_hint(hint));
            }
            if j < n && (chars[j] == 'e' || chars[j] == 'E') {
                let mut k = j + 1;
                let signed = k < n && (chars[k] == '+' || chars[k] == '-');
                if signed {
                    k += 1;
                }
                if k < n && chars[k].is_ascii_digit() {
                    while k < n && chars[k].is_ascii_digit() {
                        k += 1;
                    }
                    j = k;
                } else if signed
                    || !chars
                        .get(j + 1)
                        .is_some_and(|d| d.is_ascii_alphanumeric() || *d == '_')
                {
                    // `1e`, `2e-w`: an unfinished exponent, or the constant e glued to a
                    // number; a longer name (`2exp(w)`, `2eta`) still multiplies.
                    let mantissa: String = chars[start..j].iter().collect();
                    return Err(err(start, k - start, "an exponent needs digits after `e`".into())
                        .with_hint(format!(
                            "an exponent is written like 1e3 (= 1000) or 2.5e-4; to multiply by the number e, write {}*e",
                            excerpt(&mantissa)
                        )));
                }
            }
            // `1_000` would read as 1 times a name `_000`.
            if chars.get(j) == Some(&'_') {
                let mut k = j;
                while k < n && (chars[k].is_ascii_digit() || chars[k] == '_' || chars[k] == '.') {
                    k += 1;
                }
                let typed: String = chars[start..k].iter().collect();
                let plain: String = typed.chars().filter(|&d| d != '_').collect();
                return Err(err(
                    start,
                    k - start,
                    format!("`{}`: a number cannot contain `_`", excerpt(&typed)),
                )
                .with_hint(format!("write {}", excerpt(&plain))));
            }
            let literal: String = chars[start..j].iter().collect();
            if !expect_operand {
                return Err(if prev_literal {
                    err(start, j - start, "two numbers in a row".into())
                        .with_hint("put an operator between them, e.g. `*` or `+`; decimals are written with a point: 0.5")
                } else {
                    err(
                        start,
                        j - start,
                        format!(
                            "missing an operator before the number `{}`",
                            excerpt(&literal)
                        ),
                    )
                    .with_hint("write `*` to multiply, e.g. w*2 or 2*w")
                });
            }
            let value: f64 = literal.parse().map_err(|_| {
                err(
                    start,
                    j - start,
                    format!("`{}` is not a number", excerpt(&literal)),
                )
            })?;
            if !value.is_finite() {
                return Err(err(
                    start,
                    j - start,
                    format!("the number `{}` is too large", excerpt(&literal)),
                )
                .with_hint("numbers must stay below about 1.8e308"));
            }
            tokens.push(Spanned {
                token: Token::Number(value),
                pos: start,
            });
            expect_operand = false;
            prev_literal = true;
            i = j;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let mut j = i;
            while j < n && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let name: String = chars[start..j].iter().collect();
            let len = j - start;
            if ["nan", "inf", "infinity"]
                .iter()
                .any(|s| name.eq_ignore_ascii_case(s))
            {
                return Err(err(start, len, format!("`{name}` cannot be used in a formula"))
                    .with_hint("nan and inf are not numbers you can type; for a very large number write e.g. 1e300"));
            }
            let mut k = j;
            while k < n && chars[k].is_whitespace() {
                k += 1;
            }
            let is_call = k < n && chars[k] == '(';
            if !expect_operand {
                if prev_literal {
                    tokens.push(Spanned {
                        token: Token::Binary(Operation::Times),
                        pos: start,
                    });
                } else {
                    let short = excerpt(&name);
                    return Err(
                        err(start, len, format!("missing an operator before `{short}`"))
                            .with_hint(format!("write `*` to multiply, e.g. …*{short}")),
                    );
                }
            }
            if is_call {
                let Some(_) = function(&name) else {
                    return Err(unknown_function(part, &name, start, len, role));
                };
                tokens.push(Spanned {
                    token: Token::Func(name.clone(), None),
                    pos: start,
                });
                stack.push(Frame {
                    pos: k,
                    func: Some((name, start, 0)),
                });
                expect_operand = true;
                prev_literal = false;
                i = k + 1;
                continue;
            }
            if function(&name).is_some() {
                return Err(err(
                    start,
                    len,
                    format!("`{name}` is a function and needs parentheses"),
                )
                .with_hint(format!("write {name}(w) for example")));
            }
            match meaning(&name, role) {
                Ok(Meaning::Number(v)) => tokens.push(Spanned {
                    token: Token::Number(v),
                    pos: start,
                }),
                Ok(Meaning::Slot(slot)) => {
                    if role == Role::Function {
                        let xy = name == "x" || name == "y";
                        let (mine, other) = if xy {
                            (&mut first_xy, first_wb)
                        } else {
                            (&mut first_wb, first_xy)
                        };
                        if mine.is_none() {
                            *mine = Some(start);
                        }
                        if other.is_some() {
                            return Err(err(start, len, "this formula mixes the spellings w, b and x, y".into()).with_hint(
                                "in a function problem x and y are other names for w and b: use one pair only (x means w, y means b)",
                            ));
                        }
                    }
                    tokens.push(Spanned {
                        token: Token::Var(slot_token_name(slot)),
                        pos: start,
                    });
                }
                Ok(Meaning::Constant) => {
                    if !constants.contains(&name) {
                        constants.push(name.clone());
                    }
                    tokens.push(Spanned {
                        token: Token::Var(name),
                        pos: start,
                    });
                }
                Err((message, hint)) => return Err(err(start, len, message).with_hint(hint)),
            }
            expect_operand = false;
            prev_literal = false;
            i = j;
            continue;
        }
        match c {
            '(' => {
                if !expect_operand {
                    if prev_literal {
                        tokens.push(Spanned {
                            token: Token::Binary(Operation::Times),
                            pos: start,
                        });
                    } else {
                        return Err(err(start, 1, "missing an operator before `(`".into())
                            .with_hint("write `*` to multiply, e.g. (w-1)*(b+1)"));
                    }
                }
                tokens.push(Spanned {
                    token: Token::LParen,
                    pos: start,
                });
                stack.push(Frame {
                    pos: start,
                    func: None,
                });
                expect_operand = true;
                prev_literal = false;
            }
            ')' => {
                let Some(frame) = stack.pop() else {
                    return Err(err(
                        start,
                        1,
                        "unbalanced parentheses: this `)` has no matching `(`".into(),
                    )
                    .with_hint("remove it or add a `(` before it"));
                };
                if expect_operand {
                    return Err(match (&frame.func, tokens.last().map(|t| &t.token)) {
                        (Some((name, _, _)), Some(Token::Func(..))) => {
                            err(start, 1, format!("`{name}` needs an argument"))
                                .with_hint(format!("for example {name}(w)"))
                        }
                        (None, Some(Token::LParen)) => {
                            err(frame.pos, start + 1 - frame.pos, "empty parentheses".into())
                                .with_hint("put an expression inside, or remove them")
                        }
                        _ => err(start, 1, "a value is missing before `)`".into()),
                    });
                }
                if let Some((name, name_pos, commas)) = &frame.func {
                    check_arity(part, name, *name_pos, commas + 1)?;
                }
                tokens.push(Spanned {
                    token: Token::RParen,
                    pos: start,
                });
                expect_operand = false;
                prev_literal = false;
            }
            ',' => {
                let decimal = i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit());
                match stack.last_mut() {
                    Some(Frame {
                        func: Some((_, _, commas)),
                        ..
                    }) => {
                        if expect_operand {
                            return Err(err(start, 1, "a value is missing before `,`".into()));
                        }
                        *commas += 1;
                    }
                    _ => {
                        let e = err(
                            start,
                            1,
                            "a comma can only separate the arguments of a function, like max(w, b)"
                                .into(),
                        );
                        return Err(if decimal {
                            e.with_hint("write decimals with a point: 0.5, not 0,5")
                        } else {
                            e
                        });
                    }
                }
                tokens.push(Spanned {
                    token: Token::Comma,
                    pos: start,
                });
                expect_operand = true;
                prev_literal = false;
            }
            '+' | '-' => {
                let op = if c == '+' {
                    Operation::Plus
                } else {
                    Operation::Minus
                };
                let token = if expect_operand {
                    Token::Unary(op)
                } else {
                    Token::Binary(op)
                };
                tokens.push(Spanned { token, pos: start });
                expect_operand = true;
                prev_literal = false;
            }
            '*' | '/' | '%' | '^' => {
                if c == '*' && chars.get(i + 1) == Some(&'*') {
                    return Err(err(start, 2, "`**` is not an operator here".into())
                        .with_hint("write powers with `^`, e.g. w^2"));
                }
                if expect_operand {
                    return Err(match tokens.last() {
                        None => err(start, 1, format!("the formula cannot start with `{c}`")),
                        Some(_) => err(start, 1, format!("a value is missing before `{c}`")),
                    });
                }
                let op = match c {
                    '*' => Operation::Times,
                    '/' => Operation::Div,
                    '%' => Operation::Rem,
                    _ => Operation::Pow,
                };
                tokens.push(Spanned {
                    token: Token::Binary(op),
                    pos: start,
                });
                expect_operand = true;
                prev_literal = false;
            }
            other => return Err(unexpected_char(part, other, start)),
        }
        i += 1;
    }
    if expect_operand {
        return Err(match tokens.last() {
            None => CompileError::new(part, 0, 1, format!("the {} is empty", part.label()))
                .with_hint(role.example()),
            Some(t) => {
                let what = match &t.token {
                    Token::Func(name, _) => format!("`{name}(` is never closed"),
                    Token::LParen => "this `(` is never closed".to_string(),
                    _ => "a value is missing at the end".to_string(),
                };
                CompileError::new(part, n, 1, what)
            }
        });
    }
    if let Some(frame) = stack.last() {
        let (pos, what) = match &frame.func {
            Some((name, name_pos, _)) => (
                *name_pos,
                format!("unbalanced parentheses: `{name}(` is never closed"),
            ),
            None => (
                frame.pos,
                "unbalanced parentheses: this `(` is never closed".to_string(),
            ),
        };
        return Err(CompileError::new(part, pos, 1, what).with_hint("add the missing `)`"));
    }
    Ok(tokens)
}

/// What a (non-function) name means for the role, or why it is not allowed.
fn meaning(name: &str, role: Role) -> Result<Meaning, (String, String)> {
    match name {
        "pi" => return Ok(Meaning::Number(std::f64::consts::PI)),
        "e" => return Ok(Meaning::Number(std::f64::consts::E)),
        _ => {}
    }
    let slot = match (role, name) {
        (Role::Function, "w" | "x") => SLOT_W,
        (Role::Function, "b" | "y") => SLOT_B,
        (Role::Function, "yhat") => {
            return Err((
                "`yhat` (the prediction) only exists in a data-fit problem's loss".into(),
                "a function problem is written in w and b".into(),
            ));
        }
        (Role::Model, "w") | (Role::Regularization, "w") => SLOT_W,
        (Role::Model, "b") | (Role::Regularization, "b") => SLOT_B,
        (Role::Model, "x") => SLOT_X,
        (Role::Model, "y") => {
            return Err((
                "the label `y` cannot be used in the model".into(),
                "the model predicts from the input `x` and the parameters `w`, `b`; the label `y` appears in the loss".into(),
            ));
        }
        (Role::Model, "yhat") => {
            return Err((
                "`yhat` is what the model computes; it cannot be used inside the model".into(),
                "write the prediction from `x`, `w` and `b`, e.g. w*x + b".into(),
            ));
        }
        (Role::Loss, "yhat") => SLOT_YHAT,
        (Role::Loss, "y") => SLOT_Y,
        (Role::Loss, "x") => {
            return Err((
                "`x` is used in the loss".into(),
                "the loss compares the prediction `yhat` with the label `y`; the input `x` belongs in the model".into(),
            ));
        }
        (Role::Loss, "w" | "b") => {
            return Err((
                format!("the parameter `{name}` is used in the loss"),
                "the loss only sees `yhat` and `y`; put a penalty on w and b in the regularization term instead".into(),
            ));
        }
        (Role::Regularization, "x" | "y" | "yhat") => {
            return Err((
                format!("`{name}` cannot be used in the regularization"),
                "the regularization term depends only on the parameters `w` and `b`, e.g. 0.01*(w^2 + b^2)".into(),
            ));
        }
        _ => return Ok(Meaning::Constant),
    };
    Ok(Meaning::Slot(slot))
}

/// Checks the number of arguments of a call.
fn check_arity(part: Part, name: &str, pos: usize, given: usize) -> Result<(), CompileError> {
    let Some(f) = function(name) else {
        return Ok(());
    };
    let (ok, wanted) = match f {
        Function::Unary(_) => (given == 1, "1 argument"),
        Function::Binary(_) => (given == 2, "2 arguments"),
        Function::Fold(_) => (given >= 1, "at least 1 argument"),
    };
    if ok {
        Ok(())
    } else {
        let verb = if given == 1 { "was" } else { "were" };
        Err(CompileError::new(
            part,
            pos,
            name.chars().count(),
            format!("`{name}` takes {wanted}, but {given} {verb} given"),
        ))
    }
}

/// Names people often type for a function we have under another name.
const ALIASES: &[(&str, &str)] = &[
    ("arcsin", "asin"),
    ("arccos", "acos"),
    ("arctan", "atan"),
    ("arctan2", "atan2"),
    ("sign", "signum"),
    ("sgn", "signum"),
    ("logistic", "sigmoid"),
    ("expit", "sigmoid"),
    ("ReLU", "relu"),
    ("fabs", "abs"),
    ("log1p", "ln"),
    ("tg", "tan"),
    ("sen", "sin"),
];

/// The error for a call of something that is not a known function.
fn unknown_function(part: Part, name: &str, pos: usize, len: usize, role: Role) -> CompileError {
    let short = excerpt(name);
    if name == "pow" || name == "power" {
        return CompileError::new(part, pos, len, format!("unknown function `{name}`"))
            .with_hint("write powers with `^`, e.g. (w-1)^2");
    }
    if let Some((_, to)) = ALIASES
        .iter()
        .find(|(from, _)| from.eq_ignore_ascii_case(name))
    {
        return CompileError::new(part, pos, len, format!("unknown function `{name}`"))
            .with_hint(format!("did you mean `{to}`?"));
    }
    let lower = name.to_ascii_lowercase();
    let best = FUNCTIONS
        .iter()
        .map(|(f, _)| (edit_distance(&lower, f), *f))
        .min_by_key(|(d, _)| *d);
    if let Some((d, f)) = best {
        let limit = if name.len() <= 3 { 1 } else { 2 };
        if d <= limit
            && !matches!(
                meaning(name, role),
                Ok(Meaning::Slot(_)) | Ok(Meaning::Number(_))
            )
        {
            return CompileError::new(part, pos, len, format!("unknown function `{short}`"))
                .with_hint(format!("did you mean `{f}`?"));
        }
    }
    if name.chars().count() <= 2 || !matches!(meaning(name, role), Ok(Meaning::Constant)) {
        return CompileError::new(part, pos, len, format!("`{short}` is not a function"))
            .with_hint(format!("to multiply, write `{short}*(...)`"));
    }
    let names: Vec<&str> = FUNCTIONS.iter().map(|(f, _)| *f).collect();
    CompileError::new(part, pos, len, format!("unknown function `{short}`"))
        .with_hint(format!("the functions are: {}", names.join(", ")))
}

/// Levenshtein distance (small strings only).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The error for a character that has no meaning in a formula.
fn unexpected_char(part: Part, c: char, pos: usize) -> CompileError {
    let hint = match c {
        '²' | '³' => Some("write powers with `^`, e.g. w^2"),
        '×' | '·' | '∙' | '⋅' => Some("write multiplication with `*`"),
        '÷' => Some("write division with `/`"),
        '−' | '–' | '—' => Some("use the plain minus sign `-`"),
        'π' => Some("write pi"),
        '√' => Some("write sqrt(...)"),
        '=' => Some("type only the expression, e.g. w^2 + b^2 rather than J = w^2 + b^2"),
        '[' | ']' | '{' | '}' => Some("group with round parentheses ( )"),
        ';' => Some("separate function arguments with commas"),
        '!' => Some("factorials are not supported"),
        '|' => Some("write absolute values as abs(...)"),
        _ => None,
    };
    let e = CompileError::new(part, pos, 1, format!("unexpected character `{c}`"));
    match hint {
        Some(h) => e.with_hint(h),
        None => e,
    }
}
