//! Problems found in a plan: what `check` prints and what tests assert on.
//! Positions are kept as byte offsets while loading and turned into
//! line:column only when a problem is shown (see `load::locate`).

use crate::messages::{Msg, error_word, warning_word};
use crate::model::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with the file and the place in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The file as shown to the user.
    pub path: String,
    /// 1-based line and column (in characters); `None` for a problem with the
    /// file as a whole (missing, unreadable).
    pub position: Option<(usize, usize)>,
    pub severity: Severity,
    pub msg: Msg,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `FILE:LINE:COL: lỗi: message`, with the word in red or yellow when
    /// colour is on.
    pub fn render(&self, lang: Lang, color: bool) -> String {
        let (word, style) = match self.severity {
            Severity::Error => (error_word(lang), red()),
            Severity::Warning => (warning_word(lang), yellow()),
        };
        let word = paint(word, style, color);
        let text = self.msg.text(lang);
        match self.position {
            Some((line, col)) => format!("{}:{line}:{col}: {word}: {text}", self.path),
            None => format!("{}: {word}: {text}", self.path),
        }
    }
}

pub fn red() -> anstyle::Style {
    anstyle::AnsiColor::Red.on_default().bold()
}

pub fn yellow() -> anstyle::Style {
    anstyle::AnsiColor::Yellow.on_default().bold()
}

pub fn bold() -> anstyle::Style {
    anstyle::Style::new().bold()
}

/// Wraps text in an ANSI style when `on`.
pub fn paint(text: &str, style: anstyle::Style, on: bool) -> String {
    if on {
        format!("{style}{text}{style:#}")
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

    #[test]
    fn rendered_in_both_languages() {
        let p = Problem {
            path: "plans/x/tasks.toml".into(),
            position: Some((23, 1)),
            severity: Severity::Error,
            msg: Msg::MissingKey {
                key: "due".into(),
                table: "[[task]] \"1.3\"".into(),
            },
        };
        assert_eq!(
            p.render(Lang::Vi, false),
            "plans/x/tasks.toml:23:1: lỗi: thiếu khóa bắt buộc \"due\" trong [[task]] \"1.3\""
        );
        assert!(
            p.render(Lang::En, false)
                .starts_with("plans/x/tasks.toml:23:1: error: missing")
        );
        assert!(p.render(Lang::En, true).contains("\x1b["));
    }
}
