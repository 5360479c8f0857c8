//! Names that come from the user's files (paths, column names) shown to people without letting
//! them steer the terminal: control characters (ESC, newlines, BEL...) are written as escapes,
//! so a file named `x\e[2J.csv` cannot clear the screen or forge a line of the report.

use std::borrow::Cow;
use std::path::Path;

/// Characters that reorder or hide text (right-to-left marks, overrides and isolates,
/// zero-width characters, line and paragraph separators): `invoice\u{202e}fdp.csv` would show
/// as `invoicecsv.pdf`.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{feff}'
    )
}

fn must_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// `text` with every control character escaped (`\n`, `\r`, `\t`, `\u{1b}`...), and the
/// bidirectional overrides too.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(must_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if must_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A path as error messages and reports show it.
pub fn path(path: &Path) -> String {
    escape_control(&path.display().to_string()).into_owned()
}

/// `text` as a Markdown code span: control characters escaped, and a fence of one backtick
/// more than the longest run inside, padded when the text starts or ends with a backtick.
pub fn code_span(text: &str) -> String {
    let text = escape_control(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_control("plain.csv"), "plain.csv");
        assert_eq!(escape_control("a\u{1b}[2Jb\nc.csv"), "a\\u{1b}[2Jb\\nc.csv");
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(11_468), "11,468");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code_span("a.csv"), "`a.csv`");
        assert_eq!(code_span("a`b.csv"), "``a`b.csv``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
    }
}
