//! Sets kept as sorted slices: token positions in scoring, term ids in grouping.

/// How many items two sorted, duplicate-free slices have in common, in one merge pass.
pub(crate) fn common<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_common_items() {
        assert_eq!(super::common(&[1, 3, 5, 7], &[2, 3, 7, 9]), 2);
        assert_eq!(super::common::<u32>(&[], &[1]), 0);
    }
}
