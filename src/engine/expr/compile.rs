//! meval's RPN -> our tape: variables become slots, literal sub-expressions are folded,
//! powers with constant exponents get their own instructions, and registers are reused as
//! soon as their value is dead.

use meval::tokenizer::{Operation, Token};

use super::error::{CompileError, Part};
use super::ops::{BinaryOp, Function, UnaryOp, binary_f64, function, unary_f64};
use super::tape::{Instr, Src, Tape};

/// Builds the tape from RPN tokens; `slot_of` maps a variable token's name to its slot.
pub(super) fn build(
    rpn: &[Token],
    part: Part,
    slot_of: impl Fn(&str) -> Option<usize>,
) -> Result<Tape, CompileError> {
    let internal = || CompileError::new(part, 0, 1, "this text could not be understood");
    let mut b = Builder { instrs: Vec::new() };
    let mut stack: Vec<Src> = Vec::new();
    for tok in rpn {
        match tok {
            Token::Number(c) => stack.push(Src::Const(*c)),
            Token::Var(name) => {
                let slot = slot_of(name).ok_or_else(internal)?;
                stack.push(Src::Slot(slot as u32));
            }
            Token::Unary(op) => {
                let a = stack.pop().ok_or_else(internal)?;
                stack.push(match op {
                    Operation::Minus => b.unary(UnaryOp::Neg, a),
                    _ => a,
                });
            }
            Token::Binary(op) => {
                let y = stack.pop().ok_or_else(internal)?;
                let x = stack.pop().ok_or_else(internal)?;
                let v = match op {
                    Operation::Plus => b.binary(BinaryOp::Add, x, y),
                    Operation::Minus => b.binary(BinaryOp::Sub, x, y),
                    Operation::Times => b.binary(BinaryOp::Mul, x, y),
                    Operation::Div => b.binary(BinaryOp::Div, x, y),
                    Operation::Rem => b.binary(BinaryOp::Rem, x, y),
                    Operation::Pow => b.pow(x, y),
                };
                stack.push(v);
            }
            Token::Func(name, nargs) => {
                let n = nargs.unwrap_or(1);
                if n == 0 || n > stack.len() {
                    return Err(internal());
                }
                let args = stack.split_off(stack.len() - n);
                let v = match function(name).ok_or_else(internal)? {
                    Function::Unary(op) if n == 1 => b.unary(op, args[0]),
                    Function::Binary(op) if n == 2 => b.binary(op, args[0], args[1]),
                    Function::Fold(op) => {
                        let mut acc = args[0];
                        for &a in &args[1..] {
                            acc = b.binary(op, acc, a);
                        }
                        acc
                    }
                    _ => return Err(internal()),
                };
                stack.push(v);
            }
            Token::LParen | Token::RParen | Token::Comma => return Err(internal()),
        }
    }
    if stack.len() != 1 {
        return Err(internal());
    }
    let result = stack[0];
    Ok(b.finish(result))
}

struct Builder {
    /// Instructions in SSA form: instruction i writes register i.
    instrs: Vec<Instr>,
}

impl Builder {
    fn push(&mut self, make: impl FnOnce(u32) -> Instr) -> Src {
        let dst = self.instrs.len() as u32;
        self.instrs.push(make(dst));
        Src::Reg(dst)
    }

    fn unary(&mut self, op: UnaryOp, a: Src) -> Src {
        if let Src::Const(c) = a {
            return Src::Const(unary_f64(op, c));
        }
        self.push(|dst| Instr::Unary { dst, op, a })
    }

    fn binary(&mut self, op: BinaryOp, a: Src, b: Src) -> Src {
        if let (Src::Const(x), Src::Const(y)) = (a, b) {
            return Src::Const(binary_f64(op, x, y));
        }
        self.push(|dst| Instr::Binary { dst, op, a, b })
    }

    fn pow(&mut self, a: Src, b: Src) -> Src {
        match (a, b) {
            (Src::Const(x), Src::Const(y)) => Src::Const(x.powf(y)),
            (_, Src::Const(c)) => {
                if c == 1.0 {
                    a
                } else if c == 2.0 {
                    self.unary(UnaryOp::Square, a)
                } else if c.fract() == 0.0 && c.abs() <= 1024.0 {
                    self.unary(UnaryOp::PowI(c as i32), a)
                } else {
                    self.unary(UnaryOp::PowF(c), a)
                }
            }
            (Src::Const(c), _) => self.unary(UnaryOp::ExpBase(c), b),
            _ => self.binary(BinaryOp::Pow, a, b),
        }
    }

    /// Fuses a binary operation into the square that is its only use, and a product into
    /// the sum that is its only use (fewer passes over the registers in batched evaluation).
    /// A fused-away instruction is left in place and later dropped as dead.
    fn fuse(&mut self, result: Src) {
        let n = self.instrs.len();
        let mut uses = vec![0usize; n];
        if let Src::Reg(r) = result {
            uses[r as usize] += 1;
        }
        for ins in &self.instrs {
            for s in ins.operands() {
                if let Src::Reg(r) = s {
                    uses[r as usize] += 1;
                }
            }
        }
        for i in 0..n {
            let fused = match self.instrs[i] {
                Instr::Unary {
                    dst,
                    op: UnaryOp::Square,
                    a: Src::Reg(r),
                } if uses[r as usize] == 1 => match self.instrs[r as usize] {
                    Instr::Binary { op, a, b, .. } => Some(Instr::BinarySquare { dst, op, a, b }),
                    _ => None,
                },
                Instr::Binary {
                    dst,
                    op: BinaryOp::Add,
                    a,
                    b,
                } => {
                    let product = |s: Src| match s {
                        Src::Reg(r) if uses[r as usize] == 1 => match self.instrs[r as usize] {
                            Instr::Binary {
                                op: BinaryOp::Mul,
                                a,
                                b,
                                ..
                            } => Some((a, b)),
                            _ => None,
                        },
                        _ => None,
                    };
                    if let Some((x, y)) = product(b) {
                        Some(Instr::MulAdd {
                            dst,
                            a: x,
                            b: y,
                            c: a,
                        })
                    } else {
                        product(a).map(|(x, y)| Instr::MulAdd {
                            dst,
                            a: x,
                            b: y,
                            c: b,
                        })
                    }
                }
                _ => None,
            };
            if let Some(f) = fused {
                self.instrs[i] = f;
            }
        }
    }

    /// Drops dead instructions and renames registers so that a register is reused once its
    /// value is no longer needed (an instruction never writes a register it reads).
    fn finish(mut self, result: Src) -> Tape {
        self.fuse(result);
        let n = self.instrs.len();
        // Liveness: which SSA values are needed.
        let mut live = vec![false; n];
        if let Src::Reg(r) = result {
            live[r as usize] = true;
        }
        for i in (0..n).rev() {
            if !live[i] {
                continue;
            }
            for s in self.instrs[i].operands() {
                if let Src::Reg(r) = s {
                    live[r as usize] = true;
                }
            }
        }
        // Last use of each SSA value (n for the result: never freed).
        let mut last_use = vec![0usize; n];
        for (i, ins) in self.instrs.iter().enumerate() {
            if !live[i] {
                continue;
            }
            for s in ins.operands() {
                if let Src::Reg(r) = s {
                    last_use[r as usize] = i;
                }
            }
        }
        if let Src::Reg(r) = result {
            last_use[r as usize] = n;
        }
        let mut map = vec![0u32; n];
        let mut free: Vec<u32> = Vec::new();
        let mut n_regs = 0u32;
        let mut out = Vec::with_capacity(n);
        let rename = |s: Src, map: &[u32]| match s {
            Src::Reg(r) => Src::Reg(map[r as usize]),
            other => other,
        };
        for (i, ins) in self.instrs.iter().enumerate() {
            if !live[i] {
                continue;
            }
            let dst = free.pop().unwrap_or_else(|| {
                n_regs += 1;
                n_regs - 1
            });
            map[i] = dst;
            out.push(match *ins {
                Instr::Unary { op, a, .. } => Instr::Unary {
                    dst,
                    op,
                    a: rename(a, &map),
                },
                Instr::Binary { op, a, b, .. } => Instr::Binary {
                    dst,
                    op,
                    a: rename(a, &map),
                    b: rename(b, &map),
                },
                Instr::BinarySquare { op, a, b, .. } => Instr::BinarySquare {
                    dst,
                    op,
                    a: rename(a, &map),
                    b: rename(b, &map),
                },
                Instr::MulAdd { a, b, c, .. } => Instr::MulAdd {
                    dst,
                    a: rename(a, &map),
                    b: rename(b, &map),
                    c: rename(c, &map),
                },
            });
            let mut freed: [Option<u32>; 3] = [None; 3];
            for (k, s) in ins.operands().into_iter().enumerate() {
                if let Src::Reg(r) = s
                    && last_use[r as usize] == i
                    && !freed.contains(&Some(map[r as usize]))
                {
                    freed[k] = Some(map[r as usize]);
                }
            }
            free.extend(freed.into_iter().flatten());
        }
        let result = rename(result, &map);
        let mut n_slots = 0;
        let mut note = |s: Src| {
            if let Src::Slot(k) = s {
                n_slots = n_slots.max(k as usize + 1);
            }
        };
        note(result);
        for ins in &out {
            for s in ins.operands() {
                note(s);
            }
        }
        Tape::new(out, n_regs as usize, result, n_slots)
    }
}

/// The polynomial degree of the tape's result in (w, b) (slots 0 and 1), or `None` when it
/// is not a polynomial of them (a function of w or b, a division by them, ...).
pub(super) fn degree_in_parameters(tape: &Tape) -> Option<u32> {
    const INF: u32 = u32::MAX;
    let mut deg = vec![0u32; tape.register_count()];
    let d = |s: Src, deg: &[u32]| match s {
        Src::Reg(r) => deg[r as usize],
        Src::Slot(k) => u32::from(k <= 1),
        Src::Const(_) => 0,
    };
    for ins in tape.instructions() {
        let binary_degree = |op: BinaryOp, x: u32, y: u32| match op {
            BinaryOp::Add | BinaryOp::Sub => x.max(y),
            BinaryOp::Mul => x.saturating_add(y),
            BinaryOp::Div if y == 0 => x,
            _ if x == 0 && y == 0 => 0,
            _ => INF,
        };
        let (dst, v) = match *ins {
            Instr::Unary { dst, op, a } => {
                let x = d(a, &deg);
                let v = match op {
                    UnaryOp::Neg => x,
                    UnaryOp::Square => x.saturating_mul(2),
                    UnaryOp::PowI(n) if n >= 0 => x.saturating_mul(n as u32),
                    _ if x == 0 => 0,
                    _ => INF,
                };
                (dst, v)
            }
            Instr::Binary { dst, op, a, b } => (dst, binary_degree(op, d(a, &deg), d(b, &deg))),
            Instr::BinarySquare { dst, op, a, b } => (
                dst,
                binary_degree(op, d(a, &deg), d(b, &deg)).saturating_mul(2),
            ),
            Instr::MulAdd { dst, a, b, c } => {
                (dst, d(a, &deg).saturating_add(d(b, &deg)).max(d(c, &deg)))
            }
        };
        deg[dst as usize] = v;
    }
    let r = d(tape.result(), &deg);
    (r != INF).then_some(r)
}
