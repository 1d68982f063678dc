//! Writing a grid to files: NumPy `.npy` and plain CSV.
//!
//! - `.npy`: format version 1.0, dtype `<f8` (float64, little-endian), C order, shape
//!   `(n_b, n_w)`: row i is `b_i`, column j is `w_j`, as in [`Grid::values`]. The header is
//!   padded with spaces to end at a multiple of 64 bytes. `numpy.load` reads it.
//! - `.csv`: `n_b` lines of `n_w` comma-separated values, no header, in the same order (first
//!   line `b = b_min`). Values are printed in the shortest form that reads back to the same
//!   f64; undefined values are `NaN`, `inf` or `-inf`.

use std::io::{self, Write};

use super::Grid;

impl Grid {
    /// Writes the grid as a NumPy `.npy` file (see the module documentation).
    pub fn write_npy(&self, out: &mut impl Write) -> io::Result<()> {
        let dict = format!(
            "{{'descr': '<f8', 'fortran_order': False, 'shape': ({}, {}), }}",
            self.n_b, self.n_w
        );
        // Magic (6) + version (2) + header length (2) + dict + padding + '\n'.
        let unpadded = 10 + dict.len() + 1;
        let total = unpadded.div_ceil(64) * 64;
        let header_len = total - 10;
        let header_len_u16 = u16::try_from(header_len)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "npy header too long"))?;
        let mut header = Vec::with_capacity(total);
        header.extend_from_slice(b"\x93NUMPY\x01\x00");
        header.extend_from_slice(&header_len_u16.to_le_bytes());
        header.extend_from_slice(dict.as_bytes());
        header.resize(total - 1, b' ');
        header.push(b'\n');
        out.write_all(&header)?;
        let mut buf = Vec::with_capacity(8 * self.n_w);
        for row in self.values.chunks(self.n_w.max(1)) {
            buf.clear();
            for v in row {
                buf.extend_from_slice(&v.to_le_bytes());
            }
            out.write_all(&buf)?;
        }
        Ok(())
    }

    /// Writes the grid as CSV (see the module documentation).
    pub fn write_csv(&self, out: &mut impl Write) -> io::Result<()> {
        let mut line = String::new();
        for row in self.values.chunks(self.n_w.max(1)) {
            line.clear();
            for (j, v) in row.iter().enumerate() {
                if j > 0 {
                    line.push(',');
                }
                line.push_str(&v.to_string());
            }
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
        Ok(())
    }
}
