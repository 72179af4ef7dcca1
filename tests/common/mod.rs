//! What the black-box tests share: one fluent helper to copy a plan, change
//! it, run a command and check its exit code, output and the files it may
//! not touch; and the one way a test says it cannot run here.
//!
//! ```ignore
//! Test::demo().write("progress/SCT/x.toml", "…").args(&["check"]).run()
//!     .code(1).stderr_has("lỗi").unchanged();
//! ```

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The kehoach binary, with no plan or colour from the environment, and
/// its parse cache in the build's temporary folder (so every test also
/// runs through the cache, which must not change any output).
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kehoach"));
    c.env_remove("KEHOACH_PLAN")
        .env_remove("KEHOACH_NO_CACHE")
        .env("KEHOACH_CACHE_DIR", cache_dir())
        .env("NO_COLOR", "1");
    c
}

/// The parse cache every test's runs share, in the build's temporary
/// folder: a test never writes to the user's own cache. A command run
/// some other way (through `script`, as another user) is given it too.
pub fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache")
}

/// A test that cannot run here says so through this, and only this: under
/// `KEHOACH_REQUIRE_ALL=1` (CI) it fails instead, so a green CI means every
/// test ran.
pub fn skip(test: &str, reason: &str) {
    if std::env::var_os("KEHOACH_REQUIRE_ALL").is_some_and(|v| v == "1") {
        panic!("{test} cannot run here ({reason}) and KEHOACH_REQUIRE_ALL=1 forbids skipping");
    }
    eprintln!("SKIPPED {test}: {reason}");
}

/// Whether a program runs (`program args…` exits 0).
pub fn have(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes (the lock and temporary files of
/// a writer left out).
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if !p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".kehoach")
            {
                out.insert(p.clone(), std::fs::read(&p).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, &mut out);
    out
}

/// A command to run: in the repository on a committed plan, or on a copy
/// of one in a temporary directory (`plan/` inside it).
pub struct Test {
    tmp: Option<tempfile::TempDir>,
    cwd: PathBuf,
    plan: Option<String>,
    args: Vec<String>,
    envs: Vec<(String, String)>,
}

impl Test {
    /// The demo plan, read in place (for commands that do not write).
    pub fn demo() -> Test {
        Test::in_repo(Some("examples/demo"))
    }

    /// A committed plan (or none) read in place from the repository root.
    pub fn in_repo(plan: Option<&str>) -> Test {
        Test {
            tmp: None,
            cwd: root(),
            plan: plan.map(String::from),
            args: Vec::new(),
            envs: Vec::new(),
        }
    }

    /// A copy of a committed plan directory (`examples/demo`,
    /// `tests/errors/_base`…) as `plan/` in a temporary directory.
    pub fn copy(of: &str) -> Test {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&root().join(of), &tmp.path().join("plan"));
        Test {
            cwd: tmp.path().to_path_buf(),
            tmp: Some(tmp),
            plan: Some("plan".into()),
            args: Vec::new(),
            envs: Vec::new(),
        }
    }

    /// An empty temporary directory, no plan.
    pub fn empty() -> Test {
        let tmp = tempfile::tempdir().unwrap();
        Test {
            cwd: tmp.path().to_path_buf(),
            tmp: Some(tmp),
            plan: None,
            args: Vec::new(),
            envs: Vec::new(),
        }
    }

    /// The plan directory.
    pub fn dir(&self) -> PathBuf {
        self.cwd.join(self.plan.as_deref().unwrap_or("."))
    }

    /// What `unchanged` compares: the whole temporary directory, or the
    /// committed plan read in place (with no plan named, the `plans/`
    /// folder the program would read — never the repository with its
    /// build directory).
    fn watched(&self) -> PathBuf {
        match (&self.tmp, &self.plan) {
            (Some(_), _) => self.cwd.clone(),
            (None, Some(_)) => self.dir(),
            (None, None) => self.cwd.join("plans"),
        }
    }

    /// The working directory.
    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// Writes a file of the plan (creating directories) — only in a
    /// temporary copy: a plan read in place (`demo`, `in_repo`) is the
    /// repository's own, which a test must never change.
    pub fn write(self, rel: &str, text: &str) -> Test {
        self.in_a_copy(rel);
        let path = self.dir().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Appends text to a file of the plan.
    pub fn append(self, rel: &str, text: &str) -> Test {
        let path = self.dir().join(rel);
        let mut old = std::fs::read_to_string(&path).unwrap_or_default();
        old.push_str(text);
        self.write(rel, &old)
    }

    /// Replaces text in a file of the plan (which must contain it).
    pub fn edit(self, rel: &str, from: &str, to: &str) -> Test {
        let path = self.dir().join(rel);
        let old = std::fs::read_to_string(&path).unwrap();
        assert!(old.contains(from), "{rel} has no {from:?}");
        self.write(rel, &old.replace(from, to))
    }

    pub fn remove(self, rel: &str) -> Test {
        self.in_a_copy(rel);
        std::fs::remove_file(self.dir().join(rel)).unwrap();
        self
    }

    fn in_a_copy(&self, rel: &str) {
        assert!(
            self.tmp.is_some(),
            "{rel}: a test changes files of a temporary copy (Test::copy), never the repository's plan"
        );
    }

    /// No `--plan`: the command finds the plan itself.
    pub fn no_plan_arg(mut self) -> Test {
        self.plan = None;
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.envs.push((key.into(), value.into()));
        self
    }

    pub fn args(mut self, args: &[&str]) -> Test {
        self.args = args.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Runs the command; the `Run` keeps the directory alive for checks
    /// and a picture of every file taken just before.
    pub fn run(self) -> Run {
        let before = files(&self.watched());
        let mut c = bin();
        c.current_dir(&self.cwd);
        if let Some(p) = &self.plan {
            c.args(["--plan", p]);
        }
        c.args(&self.args);
        for (k, v) in &self.envs {
            c.env(k, v);
        }
        let output = c.output().expect("run kehoach");
        Run {
            output,
            before,
            test: self,
        }
    }

    /// Runs `args` and returns the finished run (shorthand).
    pub fn with(self, args: &[&str]) -> Run {
        self.args(args).run()
    }
}

/// A finished command.
pub struct Run {
    pub output: Output,
    before: BTreeMap<PathBuf, Vec<u8>>,
    pub test: Test,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8(self.output.stdout.clone()).expect("stdout is UTF-8")
    }

    pub fn stderr(&self) -> String {
        String::from_utf8(self.output.stderr.clone()).expect("stderr is UTF-8")
    }

    fn context(&self) -> String {
        format!(
            "kehoach {}\n--- stdout\n{}--- stderr\n{}",
            self.test.args.join(" "),
            self.stdout(),
            self.stderr()
        )
    }

    /// The exit status must be `code` (and nothing may have panicked).
    pub fn code(self, code: i32) -> Run {
        assert_eq!(self.output.status.code(), Some(code), "{}", self.context());
        assert!(!self.stderr().contains("panicked"), "{}", self.context());
        self
    }

    pub fn ok(self) -> Run {
        self.code(0)
    }

    pub fn stdout_has(self, text: &str) -> Run {
        assert!(
            self.stdout().contains(text),
            "stdout lacks {text:?}\n{}",
            self.context()
        );
        self
    }

    pub fn stderr_has(self, text: &str) -> Run {
        assert!(
            self.stderr().contains(text),
            "stderr lacks {text:?}\n{}",
            self.context()
        );
        self
    }

    pub fn stdout_lacks(self, text: &str) -> Run {
        assert!(
            !self.stdout().contains(text),
            "stdout has {text:?}\n{}",
            self.context()
        );
        self
    }

    pub fn stderr_lacks(self, text: &str) -> Run {
        assert!(
            !self.stderr().contains(text),
            "stderr has {text:?}\n{}",
            self.context()
        );
        self
    }

    pub fn stdout_is(self, text: &str) -> Run {
        assert_eq!(self.stdout(), text, "{}", self.context());
        self
    }

    pub fn stderr_is(self, text: &str) -> Run {
        assert_eq!(self.stderr(), text, "{}", self.context());
        self
    }

    /// Every file in the working directory is byte for byte as before.
    pub fn unchanged(self) -> Run {
        let now = files(&self.test.watched());
        assert!(now == self.before, "a file changed\n{}", self.context());
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.output.stdout)
            .unwrap_or_else(|e| panic!("not JSON: {e}\n{}", self.context()))
    }

    /// Runs another command on the same directory.
    pub fn then(self, args: &[&str]) -> Run {
        self.test.with(args)
    }
}

/// Runs kehoach in `cwd` with `args` (for tests that build their own
/// directories).
pub fn run_in(cwd: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run kehoach")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// A command's standard output on the demo, compared with its reviewed
/// snapshot (`cargo insta review` after a deliberate change).
#[macro_export]
macro_rules! demo_snapshot {
    ($name:expr, $args:expr) => {{
        let run = $crate::common::Test::demo().with($args).ok();
        insta::assert_snapshot!($name, run.stdout());
        run
    }};
}

/// The Chromium binary, if installed.
pub fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// Headless Chromium with a private profile under `profile`.
pub fn chromium_cmd(chrome: &Path, profile: &Path) -> Command {
    let mut c = Command::new(chrome);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null());
    c
}

/// A page printed by Chromium as a user prints it (no browser header or
/// footer), to `pdf`.
pub fn chromium_pdf(chrome: &Path, page: &Path, pdf: &Path) {
    let profile = pdf.with_extension("profile");
    let status = chromium_cmd(chrome, &profile)
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .status()
        .unwrap();
    assert!(
        status.success() && pdf.exists(),
        "Chromium did not print {}",
        page.display()
    );
}

/// A document converted to PDF by LibreOffice headless, as an office
/// prints it; returns the PDF's path (next to the input).
pub fn soffice_pdf(input: &Path) -> PathBuf {
    let dir = input.parent().unwrap();
    let o = Command::new("soffice")
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .arg(input)
        .env("HOME", dir)
        .output()
        .unwrap();
    let pdf = input.with_extension("pdf");
    assert!(
        o.status.success() && pdf.exists(),
        "LibreOffice did not convert {}: {}",
        input.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    pdf
}

/// One word of a PDF page with its box, as `pdftotext -bbox` gives it.
#[derive(Clone, Debug)]
pub struct Word {
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// A PDF page: its size and its words.
#[derive(Debug)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub words: Vec<Word>,
}

impl Page {
    pub fn text(&self) -> String {
        self.words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Pairs of words whose boxes overlap by more than a third of the
    /// smaller box: text drawn over other text.
    pub fn overprinted(&self) -> Vec<(String, String)> {
        let area = |w: &Word| (w.x1 - w.x0) * (w.y1 - w.y0);
        let mut out = Vec::new();
        for (i, a) in self.words.iter().enumerate() {
            for b in &self.words[i + 1..] {
                let dx = a.x1.min(b.x1) - a.x0.max(b.x0);
                let dy = a.y1.min(b.y1) - a.y0.max(b.y0);
                if dx > 0.0 && dy > 0.0 && dx * dy > area(a).min(area(b)) / 3.0 {
                    out.push((a.text.clone(), b.text.clone()));
                }
            }
        }
        out
    }
}

/// The pages of a PDF with their words (poppler's `pdftotext -bbox`).
pub fn pdf_pages(pdf: &Path) -> Vec<Page> {
    let o = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success(), "pdftotext failed on {}", pdf.display());
    let html = String::from_utf8_lossy(&o.stdout);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let start = tag.find(&key).unwrap() + key.len();
        let end = start + tag[start..].find('"').unwrap();
        tag[start..end].parse().unwrap()
    };
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    };
    let mut pages = Vec::new();
    for chunk in html.split("<page ").skip(1) {
        let head = &chunk[..chunk.find('>').unwrap()];
        let mut page = Page {
            width: attr(head, "width"),
            height: attr(head, "height"),
            words: Vec::new(),
        };
        for w in chunk.split("<word ").skip(1) {
            let close = w.find('>').unwrap();
            let tag = &w[..close];
            let text = &w[close + 1..w.find("</word>").unwrap()];
            let word = Word {
                text: unescape(text),
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
            };
            // poppler splits a word at some precomposed Vietnamese letters
            // ("T", "Ỉ", "NH"); pieces that touch on one line are one word.
            match page.words.last_mut() {
                Some(last)
                    if (last.y0 - word.y0).abs() < 0.5 && (word.x0 - last.x1).abs() < 0.6 =>
                {
                    last.text.push_str(&word.text);
                    last.x1 = word.x1;
                    last.y1 = last.y1.max(word.y1);
                }
                _ => page.words.push(word),
            }
        }
        pages.push(page);
    }
    pages
}
