//! The expression language: typed text -> a compiled tape with exact derivatives.
//!
//! Text is read by our scanner into meval tokens (with positions for error messages and
//! implicit multiplication after numbers), ordered by meval's shunting-yard
//! ([`meval::shunting_yard::to_rpn`]) and compiled into a flat [`Tape`]: variables become
//! input slots, literal constants are folded. meval's own evaluation closures are never
//! used.
//!
//! Slots are laid out the same way in every problem: [`SLOT_W`], [`SLOT_B`], [`SLOT_X`],
//! [`SLOT_Y`], [`SLOT_YHAT`], then one slot per free constant from [`FIRST_CONSTANT_SLOT`]
//! on, in the order of the constant list passed to [`compile_with_constants`].
//!
//! ```
//! use losscape::engine::expr::{Role, compile};
//! let e = compile("(1-w)^2 + 100*(b-w^2)^2", Role::Function).expect("valid");
//! assert_eq!(e.value(1.0, 1.0), 0.0);
//! ```

mod compile;
mod error;
mod lexer;
pub mod num;
pub mod ops;
mod tape;

pub(crate) use error::excerpt;
pub use error::{CompileError, EXCERPT_CHARS, Part};
pub use num::{Dual, Dual2, Num};
pub use tape::{CHUNK, GradientScratch, Input, Instr, Src, Tape};

use super::Derivatives;

/// Slot of the parameter w (also spelled `x` in a function problem).
pub const SLOT_W: usize = 0;
/// Slot of the parameter b (also spelled `y` in a function problem).
pub const SLOT_B: usize = 1;
/// Slot of the input feature `x` of a data-fit model.
pub const SLOT_X: usize = 2;
/// Slot of the label `y` in a data-fit loss.
pub const SLOT_Y: usize = 3;
/// Slot of the prediction `yhat` in a data-fit loss.
pub const SLOT_YHAT: usize = 4;
/// The first slot of the free constants.
pub const FIRST_CONSTANT_SLOT: usize = 5;

/// The longest text accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// What a text is, which decides the names it may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// J(w, b) of a function problem: `w`, `b` (or `x`, `y` as their aliases, not mixed).
    Function,
    /// The model of a data-fit problem: the prediction from `x`, `w`, `b`.
    Model,
    /// The loss of one example of a data-fit problem: in `yhat` and `y`.
    Loss,
    /// A regularization term of a data-fit problem: in `w` and `b`.
    Regularization,
}

impl Role {
    /// Which part of a problem errors are reported in.
    pub fn part(self) -> Part {
        match self {
            Role::Function => Part::Formula,
            Role::Model => Part::Model,
            Role::Loss => Part::Loss,
            Role::Regularization => Part::Regularization,
        }
    }

    /// An example text for this role (used in hints).
    pub fn example(self) -> &'static str {
        match self {
            Role::Function => "type a cost function of w and b, e.g. w^2 + 3*b^2",
            Role::Model => "type the prediction from x, e.g. w*x + b",
            Role::Loss => {
                "type the loss of one example in yhat and y, e.g. (yhat - y)^2/2, or a name: mse, mae, huber, logloss"
            }
            Role::Regularization => "type a penalty on w and b, e.g. 0.01*(w^2 + b^2)",
        }
    }
}

/// A compiled text with the free constants it uses.
#[derive(Clone, Debug, PartialEq)]
pub struct Expression {
    /// The text as typed.
    pub text: String,
    /// The compiled tape (constants read from slots `FIRST_CONSTANT_SLOT + i`, `i` indexing
    /// the constant list it was compiled with).
    pub tape: Tape,
    /// The free constants this text uses, in order of first appearance.
    pub constants: Vec<String>,
}

impl Expression {
    /// The value at (w, b) with every free constant at its default 1.0 (function problems).
    pub fn value(&self, w: f64, b: f64) -> f64 {
        let slots = self.default_slots(w, b);
        self.tape.value(&slots)
    }

    /// Value, gradient and Hessian at (w, b) with every free constant at 1.0.
    pub fn derivatives(&self, w: f64, b: f64) -> Derivatives {
        let slots = self.default_slots(w, b);
        let d = self.tape.value_gradient_hessian(&slots);
        Derivatives {
            value: d.v,
            gradient: d.g,
            hessian: d.hessian(),
        }
    }

    fn default_slots(&self, w: f64, b: f64) -> Vec<f64> {
        let mut s = vec![f64::NAN; FIRST_CONSTANT_SLOT + self.constants.len()];
        s[SLOT_W] = w;
        s[SLOT_B] = b;
        for v in &mut s[FIRST_CONSTANT_SLOT..] {
            *v = DEFAULT_CONSTANT;
        }
        s
    }
}

/// The value a free constant has until it is set.
pub const DEFAULT_CONSTANT: f64 = 1.0;

/// Compiles `text` for `role`, with its own list of free constants.
pub fn compile(text: &str, role: Role) -> Result<Expression, CompileError> {
    let mut constants = Vec::new();
    let tape = compile_with_constants(text, role, &mut constants)?;
    Ok(Expression {
        text: text.to_string(),
        tape,
        constants,
    })
}

/// Compiles `text` for `role`, sharing a constant list between several texts of one
/// problem: new constant names are appended to `constants`, and constant `constants[i]` is
/// read from slot `FIRST_CONSTANT_SLOT + i`.
pub fn compile_with_constants(
    text: &str,
    role: Role,
    constants: &mut Vec<String>,
) -> Result<Tape, CompileError> {
    let part = role.part();
    let mut names = constants.clone();
    let tokens = lexer::scan(text, role, &mut names)?;
    let plain: Vec<meval::tokenizer::Token> = tokens.iter().map(|t| t.token.clone()).collect();
    let rpn = meval::shunting_yard::to_rpn(&plain).map_err(|e| {
        use meval::RPNError as R;
        let pos = match e {
            R::MismatchedLParen(i)
            | R::MismatchedRParen(i)
            | R::UnexpectedComma(i)
            | R::NotEnoughOperands(i) => tokens.get(i).map_or(0, |t| t.pos),
            R::TooManyOperands => 0,
        };
        CompileError::new(part, pos, 1, "this text could not be understood")
    })?;
    let slot_of = |name: &str| -> Option<usize> {
        if let Some(rest) = name.strip_prefix('#') {
            return rest.parse().ok();
        }
        names
            .iter()
            .position(|n| n == name)
            .map(|i| FIRST_CONSTANT_SLOT + i)
    };
    let tape = compile::build(&rpn, part, slot_of)?;
    *constants = names;
    Ok(tape)
}

/// The free constants a text uses (in order of first appearance), or its compile error.
pub fn constant_names(text: &str, role: Role) -> Result<Vec<String>, CompileError> {
    compile(text, role).map(|e| e.constants)
}

/// The polynomial degree of a tape in (w, b), or `None` when it is not a polynomial in
/// them. Degree 0 or 1 means the expression is affine in the parameters.
pub fn degree_in_parameters(tape: &Tape) -> Option<u32> {
    compile::degree_in_parameters(tape)
}

#[cfg(test)]
mod tests;
