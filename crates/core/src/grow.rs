//! Growing a list that ends up holding every test or job of a suite: sized once, from a
//! projection, rather than by doubling, which copies it again and again and can leave half of
//! it unused.

/// Makes room for `adding` more items, sized for the whole input as projected from the `done`
/// parts of `total` seen so far (with a sixteenth to spare).
pub fn reserve_projected<T>(list: &mut Vec<T>, adding: usize, done: usize, total: usize) {
    let needed = list.len() + adding;
    if needed <= list.capacity() {
        return;
    }
    let projected = needed.saturating_mul(total) / done.max(1);
    let wanted = needed.max(projected.saturating_add(projected / 16));
    list.reserve_exact(wanted - list.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_once_to_the_projection_and_never_below_what_is_needed() {
        let mut list: Vec<u8> = Vec::new();
        reserve_projected(&mut list, 10, 1, 100);
        assert_eq!(list.capacity(), 1000 + 1000 / 16);
        list.extend([0; 10]);
        // Within the projection: no new allocation.
        let before = list.capacity();
        reserve_projected(&mut list, 500, 50, 100);
        assert_eq!(list.capacity(), before);
        // Beyond it (a skewed input): at least what is needed.
        list.extend([0; 500]);
        reserve_projected(&mut list, 5000, 99, 100);
        assert!(list.capacity() >= 5510);
    }
}
