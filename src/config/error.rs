//! Configuration errors that point at the file, line and column, with a caret and a hint.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// An error in a field map or data dictionary, located in its source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    pub message: String,
    pub hint: Option<String>,
    /// Where in the file, when known (boxed: errors travel in `Result`s and should stay small).
    pub location: Option<Box<Location>>,
    /// Further errors in the same file, reported with this one (in file order).
    pub more: Vec<ConfigError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based line and column (in characters) of the offending text.
    pub line: usize,
    pub column: usize,
    /// The offending source line, shown under the message with a caret; cut to
    /// [`MAX_SHOWN_LINE`] characters around the column (a data file given by mistake would
    /// otherwise print a whole record).
    pub source_line: String,
    /// 1-based character position of the caret in `source_line`.
    pub caret: usize,
}

/// The longest source line an error shows.
pub const MAX_SHOWN_LINE: usize = 200;

/// `line` cut to `MAX_SHOWN_LINE` characters around `column`, and the caret's place in it.
fn clip(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_SHOWN_LINE {
        return (line.to_owned(), column);
    }
    let start = column
        .saturating_sub(MAX_SHOWN_LINE / 2)
        .min(chars.len() - MAX_SHOWN_LINE);
    let end = start + MAX_SHOWN_LINE;
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, column - start + usize::from(start > 0))
}

impl ConfigError {
    /// An error at a byte span of `text`, the contents of `file`.
    pub fn at(
        file: &Path,
        text: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        let location = span.map(|span| {
            let (line, column) = line_column(text, span.start);
            let (source_line, caret) = clip(text.lines().nth(line - 1).unwrap_or_default(), column);
            Box::new(Location {
                line,
                column,
                source_line,
                caret,
            })
        });
        ConfigError {
            file: file.to_path_buf(),
            message: message.into(),
            hint: None,
            location,
            more: Vec::new(),
        }
    }

    pub fn line(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.line)
    }

    pub fn column(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.column)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", crate::shown::path(&self.file))?;
        if let Some(Location {
            line,
            column,
            source_line,
            caret,
        }) = self.location.as_deref()
        {
            write!(
                f,
                ":{line}:{column}: {}",
                crate::shown::escape_control(&self.message)
            )?;
            let gutter = line.to_string().len();
            write!(
                f,
                "\n{:gutter$} |\n{line} | {}\n{:gutter$} | {:>caret$}",
                "",
                crate::shown::escape_control(source_line),
                "",
                "^"
            )?;
        } else {
            write!(f, ": {}", crate::shown::escape_control(&self.message))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {}", crate::shown::escape_control(hint))?;
        }
        for more in &self.more {
            write!(f, "\n{more}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_from_one() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 9), (2, 4));
    }

    #[test]
    fn display_shows_caret_under_column() {
        let err = ConfigError::at(
            Path::new("d.toml"),
            "x = 1\nmin_fil = 2\n",
            Some(6..13),
            "bad",
        )
        .with_hint("try min_fill");
        let shown = err.to_string();
        assert!(shown.starts_with("d.toml:2:1: bad"), "{shown}");
        assert!(shown.contains("2 | min_fil = 2\n  | ^"), "{shown}");
        assert!(shown.ends_with("= hint: try min_fill"), "{shown}");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let err = ConfigError::at(Path::new("d.toml"), &line, Some(500..501), "bad");
        let location = err.location.as_deref().unwrap();
        assert_eq!(location.column, 501);
        assert_eq!(location.source_line.chars().count(), MAX_SHOWN_LINE + 2);
        let at_caret = location.source_line.chars().nth(location.caret - 1);
        assert_eq!(at_caret, Some('X'));
        assert!(!err.to_string().contains(&"a".repeat(101)));
    }
}
