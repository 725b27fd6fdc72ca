//! xorshift64*: a deterministic generator for the generative tests, so a failure names a
//! seed that reproduces it.
#![allow(dead_code)] // Each test uses a part of this API.

pub struct Rng(pub u64);

impl Rng {
    /// A number below `below` (0 when `below` is 0).
    pub fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let n = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33;
        usize::try_from(n).unwrap_or(0) % below.max(1)
    }

    /// One of `items`, which must not be empty.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len())]
    }
}
