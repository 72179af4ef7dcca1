//! Text helpers for Vietnamese: search folding (case and diacritics
//! ignored, NFC and NFD alike).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds text for search: decomposes (NFD), drops combining marks, maps
/// đ/Đ to d, lowercases, and makes every run of spaces, tabs and line
/// breaks one space, none at the ends. "Tuyên truyền", "TUYEN TRUYEN" and
/// "tuyên  truyền" fold alike, as does a title broken over two lines.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            'ð' | 'Ð' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
    {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Whether `haystack` contains the already folded `needle`.
pub fn contains_folded(haystack: &str, needle: &str) -> bool {
    fold(haystack).contains(needle)
}

/// Wraps text at spaces to lines of at most `width` characters.
pub fn wrap(s: &str, width: usize) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut line = 0;
    for word in s.split_whitespace() {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out
}

/// `wrap`, borrowing `s` when it would come back unchanged — one line of
/// at most `width` characters, its words apart by single spaces — as the
/// titles of most plans are.
pub fn wrap_cow(s: &str, width: usize) -> std::borrow::Cow<'_, str> {
    if unwrapped(s, width) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(wrap(s, width))
    }
}

/// Whether `wrap(s, width)` is `s`.
fn unwrapped(s: &str, width: usize) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    let (mut n, mut space) = (0, false);
    for c in s.chars() {
        n += 1;
        if n > width {
            return false;
        }
        if c == ' ' {
            if space {
                return false;
            }
            space = true;
        } else if c.is_whitespace() {
            return false;
        } else {
            space = false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_cow_borrows_only_what_wrap_leaves_alone() {
        for s in [
            "",
            "một",
            "một hai ba",
            "một  hai",
            " một",
            "một ",
            "một\thai",
            "một\u{a0}hai",
            "một\nhai",
            "một hai ba bốn",
            "dài",
        ] {
            for width in [0, 2, 3, 7, 10, 14, 48] {
                let cow = wrap_cow(s, width);
                assert_eq!(cow, wrap(s, width), "{s:?} at {width}");
                // Borrowed, wrap would have left it alone.
                if matches!(cow, std::borrow::Cow::Borrowed(_)) {
                    assert_eq!(wrap(s, width), s, "{s:?} at {width}");
                }
            }
        }
        // A title that fits is borrowed.
        assert!(matches!(
            wrap_cow("Tuyên truyền quyền lợi người tiêu dùng", 48),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn wrap_at_spaces() {
        assert_eq!(wrap("một hai ba bốn", 7), "một hai\nba bốn");
        assert_eq!(wrap("dài", 2), "dài");
    }

    #[test]
    fn folding_ignores_case_and_diacritics() {
        assert_eq!(fold("Tuyên truyền"), "tuyen truyen");
        assert_eq!(fold("ĐẨY MẠNH"), "day manh");
        assert_eq!(fold("Đường"), fold("duong"));
        assert_eq!(
            fold("  tuyên \t truyền\n pháp luật "),
            "tuyen truyen phap luat"
        );
        assert_eq!(fold(""), "");
        assert_eq!(fold(" \n "), "");
        // NFD input (combining marks) folds like NFC.
        let nfd: String = "Tuyên truyền".nfd().collect();
        assert_eq!(fold(&nfd), "tuyen truyen");
        assert!(contains_folded(
            "Tổ chức hưởng ứng Ngày Quyền",
            &fold("ngay quyen")
        ));
    }
}
