//! Progress files in their usual shape read straight from the TOML
//! parser's events, without building a document table first.
//!
//! Progress files are nine tenths of a national plan's bytes, and most of
//! the time `toml::from_str` spends on one goes to the table it builds and
//! then deserialises. A file made only of `[[update]]` tables of plain
//! `key = value` lines is read here from the same lexer, parser and
//! decoders `toml` uses, to the same values and spans. Anything else — a
//! `[[measure]]`, an inline table or array, a dotted or quoted key, a
//! repeated key, an unknown key, a value of the wrong type, any syntax
//! error — returns `None`, and the caller takes the full path, which
//! accepts or reports it as before. So this path only ever answers for
//! files `toml::from_str` reads without error, and answers as it does (a
//! property test holds the two to that on generated files).

use super::raw::{RawProgress, RawUpdate, S};
use std::cell::RefCell;
use toml::value::Datetime;
use toml_parser::decoder::ScalarKind;
use toml_parser::lexer::Token;
use toml_parser::parser::{Event, EventKind, RecursionGuard, ValidateWhitespace};
use toml_parser::{ParseError, Source};

/// `toml`'s own nesting limit; the files read here nest nothing.
const DEPTH: u32 = 80;

/// Lists grown longer than this (for an unusually large file) are freed
/// after use rather than kept.
const KEEP: usize = 1 << 16;

thread_local! {
    /// Each core's token and event lists, reused file after file: thousands
    /// of files would otherwise each make and free two lists as long as
    /// the file.
    static LISTS: RefCell<(Vec<Token>, Vec<Event>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// The file's updates, or `None` when the full path must read it.
pub fn progress(text: &str) -> Option<RawProgress> {
    LISTS.with(|lists| {
        let mut lists = lists.try_borrow_mut().ok()?;
        let (tokens, events) = &mut *lists;
        let read = read(text, tokens, events);
        if tokens.capacity() > KEEP || events.capacity() > KEEP {
            *tokens = Vec::new();
            *events = Vec::new();
        }
        read
    })
}

fn read(text: &str, tokens: &mut Vec<Token>, events: &mut Vec<Event>) -> Option<RawProgress> {
    let source = Source::new(text);
    tokens.clear();
    tokens.extend(source.lex());
    events.clear();
    let mut failed = Failed(false);
    {
        let mut whitespace = ValidateWhitespace::new(events, source);
        let mut guard = RecursionGuard::new(&mut whitespace, DEPTH);
        toml_parser::parser::parse_document(tokens, &mut guard, &mut failed);
    }
    if failed.0 {
        return None;
    }
    let mut reader = Reader {
        source,
        events,
        at: 0,
        failed,
    };
    let mut updates: Vec<RawUpdate> = Vec::new();
    while let Some(event) = reader.next() {
        match event.kind() {
            EventKind::Whitespace | EventKind::Comment | EventKind::Newline => {}
            EventKind::ArrayTableOpen => {
                reader.header()?;
                updates.push(RawUpdate::default());
            }
            EventKind::SimpleKey => {
                // Keys before any `[[update]]` belong to the root table.
                let update = updates.last_mut()?;
                reader.key_value(event, update)?;
            }
            _ => return None,
        }
    }
    (!reader.failed.0).then_some(RawProgress {
        update: updates,
        measure: Vec::new(),
    })
}

/// Whether the parser or a decoder reported any error.
struct Failed(bool);

impl toml_parser::ErrorSink for Failed {
    fn report_error(&mut self, _: ParseError) {
        self.0 = true;
    }
}

struct Reader<'e, 'i> {
    source: Source<'i>,
    events: &'e [Event],
    at: usize,
    failed: Failed,
}

impl<'i> Reader<'_, 'i> {
    fn next(&mut self) -> Option<Event> {
        let event = self.events.get(self.at).copied();
        self.at += 1;
        event
    }

    /// The next event that is not whitespace.
    fn next_solid(&mut self) -> Option<Event> {
        let event = self.next()?;
        if event.kind() == EventKind::Whitespace {
            self.next()
        } else {
            Some(event)
        }
    }

    /// A key as written, when it is a bare key.
    fn bare_key(&mut self, event: Event) -> Option<&'i str> {
        if event.encoding().is_some() {
            return None;
        }
        let raw = self.source.get(event)?;
        let mut decoded = std::borrow::Cow::Borrowed("");
        raw.decode_key(&mut decoded, &mut self.failed);
        match decoded {
            std::borrow::Cow::Borrowed(key) if !self.failed.0 => Some(key),
            _ => None,
        }
    }

    /// The rest of `[[update]]`.
    fn header(&mut self) -> Option<()> {
        let key = self.next_solid()?;
        if key.kind() != EventKind::SimpleKey || self.bare_key(key)? != "update" {
            return None;
        }
        (self.next_solid()?.kind() == EventKind::ArrayTableClose).then_some(())
    }

    /// One `key = value` line of an update, stored in `update`.
    fn key_value(&mut self, key: Event, update: &mut RawUpdate) -> Option<()> {
        let name = self.bare_key(key)?;
        if self.next_solid()?.kind() != EventKind::KeyValSep {
            return None;
        }
        let value = self.next_solid()?;
        if value.kind() != EventKind::Scalar {
            return None;
        }
        let span = value.span();
        let span = span.start()..span.end();
        let raw = self.source.get(value)?;
        let mut decoded = std::borrow::Cow::Borrowed("");
        let kind = raw.decode_scalar(&mut decoded, &mut self.failed);
        if self.failed.0 {
            return None;
        }
        // As `toml` turns a scalar into a value; a value it would refuse
        // (a date out of range, an integer too large) goes the full path.
        let value = match kind {
            ScalarKind::String => Value::Text(decoded.into_owned()),
            ScalarKind::DateTime => Value::Date(decoded.parse::<Datetime>().ok()?),
            ScalarKind::Integer(radix) => {
                Value::Integer(i64::from_str_radix(&decoded, radix.value()).ok()?)
            }
            _ => return None,
        };
        let at = |v| S::new(span.clone(), v);
        match (name, value) {
            ("task", Value::Text(v)) => set(&mut update.task, at(v)),
            ("period", Value::Text(v)) => set(&mut update.period, at(v)),
            ("agency", Value::Text(v)) => set(&mut update.agency, at(v)),
            ("status", Value::Text(v)) => set(&mut update.status, at(v)),
            ("decision", Value::Text(v)) => set(&mut update.decision, at(v)),
            ("by", Value::Text(v)) => set(&mut update.by, v),
            ("evidence", Value::Text(v)) => set(&mut update.evidence, v),
            ("note", Value::Text(v)) => set(&mut update.note, v),
            ("date", Value::Date(v)) => set(&mut update.date, S::new(span.clone(), v)),
            ("new_due", Value::Date(v)) => set(&mut update.new_due, S::new(span.clone(), v)),
            ("percent", Value::Integer(v)) => set(&mut update.percent, S::new(span.clone(), v)),
            // An unknown key, or a value of another type.
            _ => None,
        }
    }
}

/// A scalar as one of the types an update's keys take.
enum Value {
    Text(String),
    Date(Datetime),
    Integer(i64),
}

/// Fills an empty slot; a key given twice is an error `toml` reports.
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What `toml` reads, as the full path's first step does.
    fn by_toml(text: &str) -> Option<RawProgress> {
        toml::from_str::<RawProgress>(text).ok()
    }

    fn same(text: &str) -> Result<(), TestCaseError> {
        if let Some(ours) = progress(text) {
            let theirs = by_toml(text);
            prop_assert!(theirs.is_some(), "read here, refused by toml:\n{}", text);
            prop_assert_eq!(
                format!("{ours:?}"),
                format!("{:?}", theirs.unwrap()),
                "{}",
                text
            );
        }
        Ok(())
    }

    /// Lines of a progress file: mostly well formed, with every shape the
    /// full path must be left to read.
    fn line() -> impl Strategy<Value = String> {
        let header = prop::sample::select(vec![
            "[[update]]",
            "[[ update ]]",
            "[[update]] # bàn giao",
            "[update]",
            "[[measure]]",
            "[[\"update\"]]",
            "[[update.x]]",
            "[[update]]x",
        ]);
        let key = prop::sample::select(vec![
            "task", "period", "agency", "date", "status", "percent", "by", "evidence", "note",
            "new_due", "decision", "other", "\"task\"", "task.x", "Task", "measure",
        ]);
        let value = prop::sample::select(vec![
            "\"T1\"",
            "'T1'",
            "\"Tuyên truyền\"",
            "\"\"\"dòng 1\ndòng 2\"\"\"",
            "'''\nliteral'''",
            "\"a\\\"b\\u00e9\\n\"",
            "\"bad \\q\"",
            "\"tab\there\"",
            "\"\"",
            "2025-01-02",
            "2025-13-01",
            "2025-02-30",
            "1979-05-27T07:32:00Z",
            "1979-05-27 07:32:00",
            "07:32:00",
            "50",
            "+5",
            "-0",
            "007",
            "0x10",
            "0o17",
            "1_000",
            "99999999999999999999",
            "1.5",
            "true",
            "nan",
            "[1, 2]",
            "{ a = 1 }",
            "",
            "\"unterminated",
        ]);
        let spacing = prop::sample::select(vec![" = ", "=", "  =\t", " = # x\n"]);
        let tail = prop::sample::select(vec!["", " # ghi chú", "   ", " #\u{1}", " x"]);
        prop_oneof![
            2 => Just("[[update]]".to_string()),
            1 => header.prop_map(str::to_string),
            6 => typed(),
            2 => (key, spacing, value, tail.clone()).prop_map(|(k, s, v, t)| format!("{k}{s}{v}{t}")),
            1 => tail.prop_map(str::to_string),
            1 => Just("# chú thích".to_string()),
        ]
    }

    /// A known key with a value of its type, in any of the ways TOML
    /// writes one.
    fn typed() -> impl Strategy<Value = String> {
        let text = prop::sample::select(vec![
            r#""T1""#,
            "'T1'",
            r#""Tuyên truyền""#,
            "\"\"\"dòng 1\ndòng 2\"\"\"",
            "\"\"\"\\\n   nối\"\"\"",
            "'''\nliteral'''",
            r#""a\"b\u00e9\n""#,
            r#""""#,
        ]);
        let date = prop::sample::select(vec![
            "2025-01-02",
            "2024-02-29",
            "1979-05-27T07:32:00Z",
            "1979-05-27t07:32:00-07:00",
            "1979-05-27 07:32:00.5",
            "07:32:00",
        ]);
        let number = prop::sample::select(vec![
            "50",
            "+5",
            "-0",
            "0x1F",
            "0o17",
            "0b101",
            "1_000",
            "-9223372036854775808",
        ]);
        let text_key = prop::sample::select(vec![
            "task", "period", "agency", "status", "by", "evidence", "note", "decision",
        ]);
        let date_key = prop::sample::select(vec!["date", "new_due"]);
        prop_oneof![
            (text_key, text).prop_map(|(k, v)| format!("{k} = {v}")),
            (date_key, date).prop_map(|(k, v)| format!("{k} = {v}")),
            number.prop_map(|v| format!("percent = {v}")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn reads_what_toml_reads(
            lines in prop::collection::vec(line(), 0..14),
            crlf in any::<bool>(),
            bom_like in any::<bool>(),
        ) {
            let newline = if crlf { "\r\n" } else { "\n" };
            let mut text = lines.join(newline);
            if bom_like {
                text.push('\r');
            }
            same(&text)?;
        }

        #[test]
        fn reads_well_formed_files_as_toml_does(
            updates in prop::collection::vec(
                (0..4usize, prop::collection::vec(0..11usize, 1..11)), 0..6),
        ) {
            let values = [
                "\"T1\"", "\"2025-Q1\"", "\"SCT\"", "2025-03-31", "\"done\"", "100",
                "\"Nguyễn Văn A\"", "'số 12/BC-SCT'", "\"ghi chú\"", "2025-06-30", "\"QĐ 1/QĐ\"",
            ];
            let keys = [
                "task", "period", "agency", "date", "status", "percent", "by", "evidence", "note",
                "new_due", "decision",
            ];
            let mut text = String::new();
            for (blank, fields) in &updates {
                text.push_str("[[update]]\n");
                let mut seen = std::collections::HashSet::new();
                for &f in fields {
                    if seen.insert(f) {
                        text.push_str(&format!("{} = {}\n", keys[f], values[f]));
                    }
                }
                text.push_str(&"\n".repeat(*blank));
            }
            prop_assert!(progress(&text).is_some(), "not read here:\n{}", text);
            same(&text)?;
        }
    }

    #[test]
    fn a_file_as_record_writes_it_is_read_here() {
        let text = "# Sở Công Thương\n\n[[update]]\ntask = \"1.1\"\nperiod = \"2025\"\n\
                    date = 2025-03-02\nstatus = \"in_progress\"\npercent = 40\n\
                    by = \"Nguyễn Văn A\"\nnote = \"\"\"Đã tổ chức 3 lớp\ntập huấn\"\"\"\n";
        let read = progress(text).expect("read here");
        assert_eq!(
            format!("{read:?}"),
            format!("{:?}", by_toml(text).expect("toml"))
        );
        assert_eq!(
            read.update[0].percent.as_ref().map(|p| *p.get_ref()),
            Some(40)
        );
        // As saved by a Windows editor: CRLF line ends.
        let crlf = text.replace('\n', "\r\n");
        let read = progress(&crlf).expect("read here");
        assert_eq!(
            format!("{read:?}"),
            format!("{:?}", by_toml(&crlf).expect("toml"))
        );
    }

    #[test]
    fn anything_else_is_left_to_the_full_path() {
        for text in [
            "[[measure]]\nindicator = \"I1\"\n",
            "[[update]]\ntask = \"1.1\"\ntask = \"1.2\"\n",
            "task = \"1.1\"\n",
            "[[update]]\ntask = [\"1.1\"]\n",
            "[[update]]\npercent = 1.5\n",
            "[[update]]\nextra = 1\n",
            "[[update]]\ndate = \"2025-01-01\"\n",
            "[[update]]\ntask = \"1.1\n",
        ] {
            assert!(progress(text).is_none(), "{text}");
        }
    }
}
