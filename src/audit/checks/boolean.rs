//! Boolean validity: a yes or a no in any of the spellings exports use.
//!
//! ## What it does
//! Accepts `true`/`false`, `yes`/`no`, `1`/`0`, `checked`/`unchecked` and `y`/`n`, in any
//! case.
//!
//! ## Why is this bad?
//! An opt-out flag that reads `maybe` or `2` cannot be applied: the record is neither safe to
//! email nor known to be suppressed; a conversion flag that cannot be read hides the label a
//! scoring model learns from.
//!
//! ## Example
//! `TRUE`, `Yes`, `1`, `checked` are true; `false`, `N`, `0`, `Unchecked` are false; `2` and
//! `maybe` are `not_a_boolean`.

use super::validity::Invalid;

/// The spellings of yes and of no, compared without ASCII case.
pub const TRUE: &[&str] = &["true", "yes", "1", "checked", "y"];
pub const FALSE: &[&str] = &["false", "no", "0", "unchecked", "n"];

/// The value as a boolean, or why it is none.
pub fn check(value: &str) -> Result<bool, Invalid> {
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(value)) {
        Ok(true)
    } else if FALSE.iter().any(|f| f.eq_ignore_ascii_case(value)) {
        Ok(false)
    } else {
        Err(Invalid::NotABoolean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_yes_and_no() {
        for t in ["TRUE", "Yes", "1", "checked", "y"] {
            assert_eq!(check(t), Ok(true), "{t}");
        }
        for f in ["false", "N", "0", "Unchecked", "no"] {
            assert_eq!(check(f), Ok(false), "{f}");
        }
        for bad in ["2", "maybe", "t", "yess"] {
            assert_eq!(check(bad), Err(Invalid::NotABoolean), "{bad}");
        }
    }
}
