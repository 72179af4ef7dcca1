//! Problems found in a plan: what `check` prints and what tests assert on.
//! Positions are kept as byte offsets while loading and turned into
//! line:column only when a problem is shown.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with the file and the place in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file as shown to the user.
    pub path: String,
    /// 1-based line and column (in characters); `None` for a problem with the
    /// file as a whole (missing, unreadable).
    pub position: Option<(usize, usize)>,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.position {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {kind}: {}", self.path, self.message),
            None => write!(f, "{}: {kind}: {}", self.path, self.message),
        }
    }
}

impl Problem {
    /// The problem as `check` prints it, with `error`/`warning` in red or
    /// yellow when colour is on.
    pub fn painted(&self, color: bool) -> String {
        let plain = self.to_string();
        if !color {
            return plain;
        }
        let (word, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        plain.replacen(
            &format!(": {word}:"),
            &format!(": \x1b[{code}m{word}\x1b[0m:"),
            1,
        )
    }
}

/// Wraps text in an ANSI style when `on`.
pub fn paint(text: &str, code: &str, on: bool) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// 1-based line and column (counted in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a = 1\ntên = \"Sở\"\nx";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (3, 1));
        let quote = text.find('"').unwrap();
        assert_eq!(line_col(text, quote), (2, 7));
        assert_eq!(line_col(text, 10_000), (3, 2));
    }
}
