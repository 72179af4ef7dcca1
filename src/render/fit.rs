//! Row heights that fit wrapped text, for the workbooks kehoach writes
//! (reports and agency forms). Spreadsheet programs do not grow the rows of
//! a generated file on their own, so a wrapped title would be drawn over
//! the next row when printed: the height is computed here instead, from an
//! estimate of how the text wraps in its column.

/// Column widths are in Excel's unit: the width of '0' in the default
/// 11 pt font, about 7 pixels. Text is in Times New Roman.
const DEFAULT_PT: f64 = 11.0;

/// The width of a character in units of '0' at 11 pt Times New Roman:
/// narrow letters, ordinary lower case, upper case and digits, wide ones.
fn char_width(c: char) -> f64 {
    match c {
        ' ' | 'i' | 'j' | 'l' | 't' | 'f' | 'r' | '.' | ',' | ';' | ':' | '\'' | '|' | '!'
        | '(' | ')' => 0.55,
        'm' | 'w' | 'M' | 'W' | '—' | '%' | '@' => 1.35,
        c if c.is_uppercase() => 1.0,
        c if c.is_ascii_digit() => 0.8,
        // Vietnamese letters with stacked marks: as wide as their base.
        _ => 0.75,
    }
}

/// The width of a word in column units at `pt` points, its letters
/// composed (NFC) first; most text is composed already, which a quick
/// check tells without building the composed word (a national workbook
/// measures tens of millions of words).
fn width(word: &str, pt: f64) -> f64 {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    let units: f64 = match is_nfc_quick(word.chars()) {
        IsNormalized::Yes => word.chars().map(char_width).sum(),
        _ => word.nfc().map(char_width).sum(),
    };
    units * pt / DEFAULT_PT
}

/// How many lines `text` takes in a column `column` units wide at `pt`
/// points, wrapped at spaces (and inside words longer than a line), with
/// explicit line breaks kept. Errs on the side of more lines.
pub fn lines(text: &str, column: f64, pt: f64) -> usize {
    // Cell padding, and a margin for the estimate.
    let room = ((column - 0.8) * 0.93).max(1.0);
    let space = width(" ", pt);
    let mut total = 0;
    for paragraph in text.split('\n') {
        let mut n = 1;
        let mut used = 0.0;
        for word in paragraph.split_whitespace() {
            let w = width(word, pt);
            if used > 0.0 && used + space + w > room {
                n += 1;
                used = 0.0;
            }
            if used > 0.0 {
                used += space;
            }
            used += w;
            // A word longer than the line breaks inside itself.
            while used > room {
                n += 1;
                used -= room;
            }
        }
        total += n;
    }
    total.max(1)
}

/// The height in points of a row of `n` lines at `pt` points.
pub fn height(n: usize, pt: f64) -> f64 {
    (n as f64 * pt * 1.22 + 4.0).max(pt * 1.3 + 3.0)
}

/// The height a row needs for its cells: `(text, column width, points)`.
pub fn row_height<'a>(cells: impl IntoIterator<Item = (&'a str, f64, f64)>) -> f64 {
    cells
        .into_iter()
        .map(|(text, column, pt)| height(lines(text, column, pt), pt))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_line_long_text_wraps() {
        assert_eq!(lines("Sở Công Thương", 30.0, 11.0), 1);
        let title = "Tập huấn, bồi dưỡng nghiệp vụ bảo vệ quyền lợi người tiêu dùng cho cán bộ quản lý nhà nước các cấp";
        let n = lines(title, 30.0, 11.0);
        assert!((3..=5).contains(&n), "{n}");
        // Wider column, fewer lines; larger font, more.
        assert!(lines(title, 60.0, 11.0) < n);
        assert!(lines(title, 30.0, 14.0) > n);
        assert_eq!(lines("a\nb\nc", 30.0, 11.0), 3);
        assert!(lines(&"x".repeat(200), 10.0, 11.0) >= 10);
        assert!(height(3, 11.0) > height(1, 11.0));
    }

    #[test]
    fn decomposed_text_measures_as_composed() {
        use unicode_normalization::UnicodeNormalization;
        let composed = "Tuyên truyền, phổ biến pháp luật về bảo vệ quyền lợi người tiêu dùng";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(composed, decomposed);
        for word in composed.split(' ').zip(decomposed.split(' ')) {
            assert_eq!(width(word.0, 11.0), width(word.1, 11.0), "{word:?}");
        }
        assert_eq!(lines(composed, 20.0, 11.0), lines(&decomposed, 20.0, 11.0));
    }
}
