//! The NHS number check digit (modulus 11), as the NHS Data Dictionary defines it.

/// Where the check-digit rule comes from.
pub const SOURCE: &str = "NHS Data Dictionary, NHS number (modulus 11 check digit); Child Death Review Statutory and Operational Guidance 2018";

/// True when `number` is ten digits whose last digit is the right check digit.
///
/// Weights 10 down to 2 multiply the first nine digits; the check digit is 11 minus the
/// remainder of the sum divided by 11, where 11 becomes 0 and 10 means the number is invalid.
pub fn is_valid(number: &str) -> bool {
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 10 || number.chars().count() != 10 {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(digit, weight)| digit * weight)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        check => check,
    };
    check == digits[9]
}

/// The `format` check registered with the schema validator: only a ten-digit number can fail
/// it (any other shape is left to the schema's pattern, so one mistake gives one finding).
pub fn format_check(value: &str) -> bool {
    if value.len() == 10 && value.bytes().all(|b| b.is_ascii_digit()) {
        is_valid(value)
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers() {
        assert!(is_valid("9434765919"));
        assert!(is_valid("4010232137"));
        assert!(!is_valid("9434765918"));
        assert!(!is_valid("943476591"));
        assert!(!is_valid("94347659199"));
        assert!(!is_valid("943 476 5919"));
        assert!(!is_valid("94347659１9"));
    }

    #[test]
    fn remainder_ten_is_never_valid() {
        // 100000006: 10*1 + 2*6 = 22; 22 % 11 = 0; 11 - 0 = 11 → check digit 0.
        assert!(is_valid("1000000060"));
        // 1000000010: 10 + 2*1 = 12; 12 % 11 = 1; 11 - 1 = 10 → no valid check digit.
        for last in 0..=9 {
            assert!(!is_valid(&format!("100000001{last}")));
        }
    }

    #[test]
    fn format_check_leaves_other_shapes_to_the_pattern() {
        assert!(format_check("12345"));
        assert!(format_check("943 476 5919"));
        assert!(!format_check("9434765918"));
    }
}
