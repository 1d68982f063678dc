//! A function problem: J(w, b) typed as a formula.

use super::Objective;
use crate::engine::expr::{
    CompileError, GradientScratch, Input, Role, SLOT_B, SLOT_W, Tape, compile_with_constants,
};
use crate::engine::{Derivatives, Domain, KnownPoint, Point};

/// The domain shown when a formula does not come with one.
pub const DEFAULT_DOMAIN: Domain = Domain::new(-3.0, 3.0, -3.0, 3.0);

/// Slots kept on the stack for one evaluation.
const STACK_SLOTS: usize = 16;

/// J(w, b) compiled from a formula, with its free constants, domain and known points.
#[derive(Clone, Debug)]
pub struct FunctionObjective {
    text: String,
    tape: Tape,
    constant_names: Vec<String>,
    /// Slot values: w and b are overwritten per evaluation; constants live from
    /// `FIRST_CONSTANT_SLOT` on.
    slots: Vec<f64>,
    domain: Domain,
    known: Vec<KnownPoint>,
}

impl FunctionObjective {
    /// Compiles a formula in w and b (or x and y); free constants start at 1.0.
    pub fn new(text: &str) -> Result<Self, CompileError> {
        let mut constant_names = Vec::new();
        let tape = compile_with_constants(text, Role::Function, &mut constant_names)?;
        let slots = super::constants::slots_for(constant_names.len());
        Ok(Self {
            text: text.to_string(),
            tape,
            constant_names,
            slots,
            domain: DEFAULT_DOMAIN,
            known: Vec::new(),
        })
    }

    /// The same problem shown over another domain.
    pub fn with_domain(mut self, domain: Domain) -> Self {
        self.domain = domain;
        self
    }

    /// The same problem with stationary points known in closed form.
    pub fn with_known_points(mut self, known: Vec<KnownPoint>) -> Self {
        self.known = known;
        self
    }

    /// The formula as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The compiled tape.
    pub fn tape(&self) -> &Tape {
        &self.tape
    }

    /// Names of the free constants, in order of first appearance.
    pub fn constant_names(&self) -> &[String] {
        &self.constant_names
    }

    /// The free constants with their current values.
    pub fn constants(&self) -> Vec<(String, f64)> {
        super::constants::values(&self.constant_names, &self.slots)
    }

    /// Sets a free constant (no recompiling). Returns false when the formula has no such constant.
    pub fn set_constant(&mut self, name: &str, value: f64) -> bool {
        super::constants::set(&self.constant_names, &mut self.slots, name, value)
    }

    #[inline]
    fn with_slots<R>(&self, p: Point, f: impl FnOnce(&[f64]) -> R) -> R {
        if self.slots.len() <= STACK_SLOTS {
            let mut s = [0.0; STACK_SLOTS];
            s[..self.slots.len()].copy_from_slice(&self.slots);
            s[SLOT_W] = p[0];
            s[SLOT_B] = p[1];
            f(&s[..self.slots.len()])
        } else {
            let mut s = self.slots.clone();
            s[SLOT_W] = p[0];
            s[SLOT_B] = p[1];
            f(&s)
        }
    }
}

impl Objective for FunctionObjective {
    fn value(&self, p: Point) -> f64 {
        self.with_slots(p, |s| self.tape.value(s))
    }

    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        self.with_slots(p, |s| self.tape.value_gradient(s))
    }

    fn derivatives(&self, p: Point) -> Derivatives {
        let d = self.with_slots(p, |s| self.tape.value_gradient_hessian(s));
        Derivatives {
            value: d.v,
            gradient: d.g,
            hessian: d.hessian(),
        }
    }

    fn value_gradient_batch(
        &self,
        w: &[f64],
        b: &[f64],
        cost: &mut [f64],
        grad_w: &mut [f64],
        grad_b: &mut [f64],
        scratch: &mut GradientScratch,
    ) {
        self.tape
            .value_gradient_batch(&self.slots, w, b, cost, grad_w, grad_b, scratch);
    }

    fn values(&self, w: &[f64], b: &[f64], out: &mut [f64]) {
        let n = out.len().min(w.len()).min(b.len());
        let mut inputs: Vec<Input<'_>> = self.slots.iter().map(|&v| Input::Scalar(v)).collect();
        inputs[SLOT_W] = Input::Slice(&w[..n]);
        inputs[SLOT_B] = Input::Slice(&b[..n]);
        let mut scratch = Vec::new();
        self.tape.eval_batch(&inputs, &mut out[..n], &mut scratch);
    }

    fn domain(&self) -> Domain {
        self.domain
    }

    fn known_points(&self) -> &[KnownPoint] {
        &self.known
    }
}
