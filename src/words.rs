//! How numbers are written for a person to read, shared by the command line and the screen.

/// Thousands separators, for counts a person reads.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count with its noun, for a person to read: "1 case", "2 cases", "1,200 cases".
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_separated() {
        assert_eq!(super::count(0), "0");
        assert_eq!(super::count(999), "999");
        assert_eq!(super::count(1000), "1,000");
        assert_eq!(super::count(1234567), "1,234,567");
    }

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(super::counted(1, "case", "cases"), "1 case");
        assert_eq!(super::counted(0, "case", "cases"), "0 cases");
        assert_eq!(super::counted(1200, "case", "cases"), "1,200 cases");
    }
}
