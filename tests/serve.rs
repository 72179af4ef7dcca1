//! `kehoach serve` over HTTP (spec §15): the safety rules in their order
//! (Host, token, body size, route and method, csrf, fields), every refusal
//! writing nothing, the API equal to the command line's JSON, recording
//! equal to `kehoach record`, live changes, a broken plan, several plans,
//! 200 concurrent requests, and a clean stop. Servers listen on 127.0.0.1
//! on a free port and are stopped by their process id.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(cwd: &Path, args: &[&str]) -> Server {
        Server::start_with(cwd, args, &[])
    }

    fn start_with(cwd: &Path, args: &[&str], envs: &[(&str, &Path)]) -> Server {
        let mut child = bin()
            .envs(envs.iter().copied())
            .current_dir(cwd)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "no URL line: {line:?}"
        );
        let port = url.rsplit(':').next().unwrap().parse().unwrap();
        Server { child, port }
    }

    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        send(self.port, method, path, headers, body)
    }

    fn get(&self, path: &str) -> Resp {
        self.send("GET", path, &[], b"")
    }

    fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body: String = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        )
    }
}

/// A request with `Host: 127.0.0.1:PORT` unless `headers` gives one.
fn send(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !body.is_empty()
            && !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).unwrap();
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        Resp::parse(&raw)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn parse(raw: &[u8]) -> Resp {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response");
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        Resp {
            status,
            headers,
            body,
        }
    }
    /// The body as text, with the `/` the page template writes as an
    /// entity read back.
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).replace("&#x2f;", "/")
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = b.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[end + 2..end + 2 + size]);
        b = &b[end + 2 + size + 2..];
    }
    out
}

fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan");
    copy_dir(&root().join("examples/demo"), &plan);
    (tmp, plan)
}

fn serve(plan: &Path, extra: &[&str]) -> Server {
    let mut args = vec!["--plan", plan.to_str().unwrap(), "serve", "--port", "0"];
    args.extend(extra);
    Server::start(plan.parent().unwrap(), &args)
}

#[test]
fn another_address_needs_a_token_before_anything_is_bound() {
    let (_tmp, plan) = demo_copy();
    for bind in ["0.0.0.0", "::", "192.168.1.20"] {
        let o = bin()
            .args([
                "--plan",
                plan.to_str().unwrap(),
                "serve",
                "--port",
                "0",
                "--bind",
                bind,
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "--bind {bind}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "no URL line: {}", stdout(&o));
        assert!(stderr(&o).contains("--token"), "{}", stderr(&o));
    }
}

#[test]
fn host_then_token_then_body_size_then_route() {
    let (_tmp, plan) = demo_copy();
    let s = serve(
        &plan,
        &["--token", "bí-mật", "--allow-host", "may-chu.so-ct.local"],
    );
    let auth = ("Authorization", "Bearer bí-mật");
    // Host first: a wrong host is refused before the token is asked for.
    for host in [
        "evil.com",
        "127.0.0.1.evil.com",
        "localhost.evil",
        "may-chu.so-ct.local.evil",
    ] {
        let r = s.send("GET", "/", &[("Host", host), auth], b"");
        assert!(matches!(r.status, 403 | 421), "{host}: {}", r.status);
    }
    let r = s.send("GET", "/", &[("Host", "evil.com")], b"");
    assert!(matches!(r.status, 403 | 421));
    // Then the token.
    assert_eq!(s.get("/").status, 401);
    assert_eq!(
        s.send("GET", "/", &[("Authorization", "Bearer sai")], b"")
            .status,
        401
    );
    assert_eq!(s.send("GET", "/", &[auth], b"").status, 200);
    assert_eq!(s.get("/?token=b%C3%AD-m%E1%BA%ADt").status, 200);
    for host in [
        "localhost",
        "localhost:1",
        "may-chu.so-ct.local:8080",
        "127.0.0.1",
    ] {
        assert_eq!(
            s.send("GET", "/", &[("Host", host), auth], b"").status,
            200,
            "{host}"
        );
    }
    // Then the body size, before the route (this server does not record).
    let big = vec![b'a'; 1_048_577];
    assert_eq!(s.send("POST", "/record", &[auth], &big).status, 413);
    assert_eq!(s.send("POST", "/record", &[], &big).status, 401);
    let r = s.send("POST", "/record", &[auth], b"csrf=x&task=1.1&status=done");
    assert!(matches!(r.status, 403 | 405), "{}", r.status);
    let before = files(&plan);
    assert_eq!(files(&plan), before);
}

#[test]
fn unknown_and_escaping_paths_are_not_found_never_a_file_or_a_redirect() {
    let (_tmp, plan) = demo_copy();
    let s = serve(&plan, &["--as-of", "2024-12-31"]);
    for path in [
        "/nothing",
        "/task/nope",
        "/agency/NOPE",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/task/..%2f..%2fplan.toml",
        "/task/%2e%2e%2f%2e%2e%2fCargo.toml",
        "/static/../../plan.toml",
    ] {
        let r = s.get(path);
        assert!(matches!(r.status, 400 | 404), "{path}: {}", r.status);
        let t = r.text();
        assert!(
            !t.contains("root:") && !t.contains("[package]") && !t.contains("first_year"),
            "{path}: {t}"
        );
    }
    assert_eq!(s.get("/task/1.1").status, 200);
}

#[test]
fn the_api_prints_what_the_command_line_prints() {
    for (of, queries) in [
        (
            "examples/demo",
            vec![
                (
                    "/api/report?year=2024&as_of=2024-12-31",
                    vec![
                        "report",
                        "--format",
                        "json",
                        "--year",
                        "2024",
                        "--as-of",
                        "2024-12-31",
                    ],
                ),
                (
                    "/api/report?year=all&as_of=2025-06-30&agency=HOI",
                    vec![
                        "report",
                        "--format",
                        "json",
                        "--year",
                        "all",
                        "--as-of",
                        "2025-06-30",
                        "--agency",
                        "HOI",
                    ],
                ),
                (
                    "/api/report?as_of=31/12/2024&lang=en",
                    vec![
                        "--lang",
                        "en",
                        "report",
                        "--format",
                        "json",
                        "--as-of",
                        "31/12/2024",
                    ],
                ),
                (
                    "/api/tasks?as_of=2024-12-31&status=overdue",
                    vec![
                        "tasks",
                        "--format",
                        "json",
                        "--as-of",
                        "2024-12-31",
                        "--status",
                        "overdue",
                    ],
                ),
                (
                    "/api/indicators?as_of=2024-12-31",
                    vec!["indicators", "--format", "json", "--as-of", "2024-12-31"],
                ),
                (
                    "/api/due?as_of=2024-07-01&within=90&agency=SKHCN",
                    vec![
                        "due",
                        "--format",
                        "json",
                        "--as-of",
                        "2024-07-01",
                        "--within",
                        "90",
                        "--agency",
                        "SKHCN",
                    ],
                ),
            ],
        ),
        (
            "tests/fixtures/synth",
            vec![
                (
                    "/api/report?year=all&as_of=2025-06-30",
                    vec![
                        "report",
                        "--format",
                        "json",
                        "--year",
                        "all",
                        "--as-of",
                        "2025-06-30",
                    ],
                ),
                (
                    "/api/tasks?as_of=2024-07-01&year=2024",
                    vec![
                        "tasks",
                        "--format",
                        "json",
                        "--as-of",
                        "2024-07-01",
                        "--year",
                        "2024",
                    ],
                ),
            ],
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let plan = tmp.path().join("plan");
        copy_dir(&root().join(of), &plan);
        let s = serve(&plan, &[]);
        for (path, args) in queries {
            let r = s.get(path);
            let mut all = vec!["--plan", plan.to_str().unwrap()];
            all.extend(args);
            let o = run_in(tmp.path(), &all);
            assert!(o.status.success(), "{}", stderr(&o));
            assert_eq!(r.status, 200, "{of} {path}: {}", r.text());
            assert_eq!(r.text(), stdout(&o), "{of} {path}");
        }
        // A year outside the plan is the command line's usage error.
        assert_eq!(s.get("/api/report?year=2204").status, 400);
    }
}

#[test]
fn recording_needs_allow_record_and_csrf_and_appends_what_record_appends() {
    let (_tmp, plan) = demo_copy();
    let fields = [
        ("task", "1.2"),
        ("period", "2024-H2"),
        ("status", "done"),
        ("date", "2024-12-20"),
        ("percent", "100"),
        ("by", "Phòng Quản lý thương mại"),
        ("evidence", "Báo cáo số 12/BC-SYT ngày 20/12/2024"),
        ("note", ""),
    ];
    // Read-only server: 403 or 405, nothing written.
    {
        let s = serve(&plan, &[]);
        let before = files(&plan);
        let page = s.get("/task/1.2").text();
        assert!(!page.contains("name=\"csrf\""));
        let mut with = fields.to_vec();
        with.push(("csrf", "x"));
        let r = s.post_form("/record", &with);
        assert!(matches!(r.status, 403 | 405), "{}", r.status);
        assert_eq!(files(&plan), before);
    }
    let s = serve(&plan, &["--allow-record"]);
    let page = s.get("/task/1.2").text();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a csrf input")
        .to_string();
    let before = files(&plan);
    // Missing, empty and wrong csrf: 403 before any field is looked at.
    for token in [None, Some(""), Some("sai")] {
        let mut with = fields.to_vec();
        with[2] = ("status", "khong-co");
        if let Some(t) = token {
            with.push(("csrf", t));
        }
        assert_eq!(s.post_form("/record", &with).status, 403, "{token:?}");
    }
    assert_eq!(files(&plan), before);
    // Fields record refuses: 400 or 422 naming the field and value.
    for (field, value) in [
        ("status", "xong"),
        ("date", "31/02/2024"),
        ("percent", "120"),
        ("period", "2031"),
    ] {
        let mut with: Vec<(&str, &str)> = fields
            .iter()
            .filter(|(k, _)| *k != field)
            .copied()
            .collect();
        with.push((field, value));
        with.push(("csrf", &csrf));
        let r = s.post_form("/record", &with);
        assert!(
            matches!(r.status, 400 | 422),
            "{field}={value}: {}",
            r.status
        );
        assert!(r.text().contains(value), "{field}={value}: {}", r.text());
        assert_eq!(files(&plan), before, "{field}={value} wrote something");
    }
    // A good one: 303 back to the task, and exactly what `record` appends.
    // The date as its field shows it, day first whatever the browser's
    // locale (a browser's own date field shows 12/20/2024 in English).
    let field = |page: &str, name: &str| {
        page.split(&format!("name=\"{name}\" value=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(|v| v.replace("&#x2f;", "/"))
    };
    let today = field(&page, "date").expect("a date field");
    assert!(
        today.len() == 10 && today.chars().filter(|&c| c == '/').count() == 2,
        "{today}"
    );
    assert_eq!(
        field(&s.get("/?as_of=2024-06-10").text(), "as_of").as_deref(),
        Some("10/06/2024")
    );
    let mut with = fields.to_vec();
    with[3] = ("date", "20/12/2024");
    with.push(("csrf", &csrf));
    let r = s.post_form("/record", &with);
    assert!(
        matches!(r.status, 200..=299 | 303),
        "{}: {}",
        r.status,
        r.text()
    );
    if r.status == 303 {
        assert!(
            r.header("location")
                .is_some_and(|l| l.starts_with("/task/1.2"))
        );
    }
    let (_tmp2, twin) = demo_copy();
    let o = bin()
        .args([
            "--plan",
            twin.to_str().unwrap(),
            "record",
            "1.2",
            "--period",
            "2024-H2",
            "--status",
            "done",
        ])
        .args([
            "--date",
            "2024-12-20",
            "--percent",
            "100",
            "--by",
            "Phòng Quản lý thương mại",
        ])
        .args(["--evidence", "Báo cáo số 12/BC-SYT ngày 20/12/2024"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let by_web: Vec<Vec<u8>> = files(&plan).into_values().collect();
    let by_cli: Vec<Vec<u8>> = files(&twin).into_values().collect();
    assert_eq!(
        by_web, by_cli,
        "the web form and `record` wrote different bytes"
    );
    assert!(s.get("/task/1.2").text().contains("20/12/2024"));
}

#[test]
fn changes_show_at_once_and_a_broken_plan_shows_its_problems() {
    let (tmp, plan) = demo_copy();
    let s = serve(&plan, &[]);
    let before = s.get("/task/1.2?as_of=2024-12-31").text();
    let o = run_in(
        tmp.path(),
        &[
            "--plan",
            plan.to_str().unwrap(),
            "record",
            "1.2",
            "--period",
            "2024-H2",
            "--status",
            "in_progress",
            "--date",
            "2024-12-01",
            "--note",
            "đang tổng hợp số liệu",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let start = Instant::now();
    loop {
        let now = s.get("/task/1.2?as_of=2024-12-31").text();
        if now.contains("đang tổng hợp số liệu") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "not shown within 2 s"
        );
        assert_eq!(now, before);
        std::thread::sleep(Duration::from_millis(100));
    }
    // Edited in place, same size: shown within 2 s too.
    let old = "đang tổng hợp số liệu";
    let new = "x".repeat(old.len());
    let (file, text) = std::fs::read_dir(plan.join("progress"))
        .unwrap()
        .map(|d| d.unwrap().path().join("2024.toml"))
        .filter_map(|f| Some((f.clone(), std::fs::read_to_string(f).ok()?)))
        .find(|(_, t)| t.contains(old))
        .expect("the recorded update in a progress file");
    std::fs::write(&file, text.replace(old, &new)).unwrap();
    let start = Instant::now();
    while !s.get("/task/1.2?as_of=2024-12-31").text().contains(&new) {
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "an edit in place not shown within 2 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Broken: pages show the problems as `check` prints them; the API 503.
    std::fs::write(plan.join("tasks.toml"), "[[task]]\nid = \"1.1\"\n").unwrap();
    let page = s.get("/");
    assert_eq!(page.status, 503);
    assert!(page.text().contains("tasks.toml:"), "{}", page.text());
    let api = s.get("/api/report");
    assert_eq!(api.status, 503);
    let json: serde_json::Value = serde_json::from_slice(&api.body).unwrap();
    let first = &json["problems"][0];
    assert!(
        first["file"].as_str().unwrap().ends_with("tasks.toml"),
        "{json}"
    );
    assert!(
        first["line"].is_u64() && first["message"].is_string(),
        "{json}"
    );
}

#[test]
fn set_aside_serves_the_plan_without_its_broken_progress_files() {
    let (_tmp, plan) = demo_copy();
    let broken = "\n[[update]]\ntask = \"1.2\"\nperiod = \"2023-H2\"\nstatus = \"done\"\ndate = 15/12/2023\n";
    let file = plan.join("progress/SYT/2023.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}{broken}")).unwrap();
    // Without it, the problems; with it, every page, saying so.
    let s = serve(&plan, &[]);
    assert_eq!(s.get("/").status, 503);
    drop(s);
    let s = serve(&plan, &["--set-aside"]);
    for path in ["/", "/due?as_of=2024-12-31", "/task/1.2", "/agencies"] {
        let page = s.get(path);
        assert_eq!(page.status, 200, "{path}");
        let text = page.text();
        assert!(
            text.contains("Để riêng 1 tệp tiến độ có lỗi") && text.contains("SYT/2023.toml"),
            "{path}: {text}"
        );
    }
    // The API answers as the command line does with --set-aside.
    let api = s.get("/api/report?year=all&as_of=2024-12-31");
    assert_eq!(api.status, 200);
    let cli = run_in(
        plan.parent().unwrap(),
        &[
            "--plan",
            plan.to_str().unwrap(),
            "--set-aside",
            "report",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ],
    );
    assert!(cli.status.success(), "{}", stderr(&cli));
    assert_eq!(api.text(), stdout(&cli));
}

#[test]
fn long_answers_are_sent_as_they_are_written() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan");
    copy_dir(&root().join("tests/fixtures/synth"), &plan);
    let s = serve(&plan, &[]);
    let cli = |args: &[&str]| {
        let mut all = vec!["--plan", plan.to_str().unwrap()];
        all.extend(args);
        let o = run_in(tmp.path(), &all);
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    // Half a megabyte of JSON goes out in chunks, byte for byte what the
    // command line prints.
    let r = s.get("/api/tasks?as_of=2025-06-30");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    let whole = cli(&["tasks", "--format", "json", "--as-of", "2025-06-30"]);
    assert!(whole.len() > 256 << 10, "{}", whole.len());
    assert_eq!(r.body, whole);
    let r = s.get("/download/tasks?format=json&as_of=2025-06-30");
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"nhiem-vu.json\"")
    );
    assert_eq!(r.body, whole);
    // A short answer is sent whole, with its length.
    let r = s.get("/api/indicators?as_of=2025-06-30");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-length"),
        Some(r.body.len().to_string().as_str())
    );
    // A refusal is still a status, not a broken answer.
    assert_eq!(s.get("/api/tasks?status=bogus").status, 400);
    // A client that goes away halfway stops its answer, and the server
    // goes on answering.
    for _ in 0..3 {
        let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(
            c,
            "GET /api/tasks?as_of=2025-06-30 HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            s.port
        )
        .unwrap();
        let mut some = [0u8; 4096];
        c.read_exact(&mut some).unwrap();
        assert!(some.starts_with(b"HTTP/1.1 200"));
    }
    let r = s.get("/api/tasks?as_of=2025-06-30");
    assert_eq!(r.body, whole);
}

#[test]
fn several_plans_are_served_by_id() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("examples/demo"),
        &tmp.path().join("plans/demo"),
    );
    copy_dir(
        &root().join("tests/fixtures/synth"),
        &tmp.path().join("plans/synth"),
    );
    let s = Server::start(tmp.path(), &["serve", "--port", "0"]);
    assert_eq!(s.get("/api/report?as_of=2024-12-31").status, 400);
    let r = s.get("/api/report?as_of=2024-12-31&plan=DEMO-01/KH");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("\"plan\": \"DEMO-01/KH\""));
    assert_eq!(s.get("/api/report?plan=NOPE").status, 404);
    // The overview without plan= offers the plans.
    let page = s.get("/").text();
    assert!(
        page.contains("DEMO-01/KH") && page.contains("SYN-7/KH"),
        "{page}"
    );
}

#[test]
fn two_hundred_concurrent_requests_are_all_answered_and_sigterm_stops_it() {
    let (_tmp, plan) = demo_copy();
    let mut s = serve(&plan, &[]);
    let port = s.port;
    let started = Instant::now();
    let handles: Vec<_> = (0..200)
        .map(|i| {
            std::thread::spawn(move || {
                let path = if i % 2 == 0 {
                    "/api/report?as_of=2024-12-31"
                } else {
                    "/"
                };
                let t = Instant::now();
                let r = send(port, "GET", path, &[], b"");
                (r.status, t.elapsed())
            })
        })
        .collect();
    let mut times: Vec<Duration> = handles
        .into_iter()
        .map(|h| {
            let (status, t) = h.join().unwrap();
            assert_eq!(status, 200);
            t
        })
        .collect();
    times.sort();
    eprintln!(
        "200 concurrent requests on the demo: all answered in {:?}, p50 {:?}, p99 {:?}",
        started.elapsed(),
        times[100],
        times[197]
    );
    // SIGTERM: a clean stop.
    if have("kill", &["-l"]) {
        let pid = s.child.id().to_string();
        assert!(
            std::process::Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(status) = s.child.try_wait().unwrap() {
                assert!(status.success(), "{status:?}");
                break;
            }
            assert!(Instant::now() < deadline, "still running 5 s after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn slow_clients_are_cut_off_and_do_not_hold_up_others() {
    let (_tmp, plan) = demo_copy();
    let s = serve(&plan, &["--allow-record"]);
    let connect = || {
        let c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        c
    };
    // Headers that never end, and a body that never comes.
    let mut slow_head: Vec<TcpStream> = (0..20).map(|_| connect()).collect();
    for c in &mut slow_head {
        c.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .unwrap();
    }
    let mut slow_body = connect();
    slow_body
        .write_all(
            format!(
                "POST /record HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\n\
                 Content-Length: 100\r\n\r\ncsrf=",
                s.port
            )
            .as_bytes(),
        )
        .unwrap();
    let started = Instant::now();
    // Others are answered meanwhile.
    let r = s.get("/api/report?as_of=2024-12-31");
    assert_eq!(r.status, 200);
    assert!(started.elapsed() < Duration::from_secs(5));
    // The slow body gets 408 after about 10 s, the slow headers a closed
    // connection; nothing waits for ever.
    let mut raw = Vec::new();
    let _ = slow_body.read_to_end(&mut raw);
    let took = started.elapsed();
    assert_eq!(
        Resp::parse(&raw).status,
        408,
        "{}",
        String::from_utf8_lossy(&raw)
    );
    assert!(
        took >= Duration::from_secs(8) && took < Duration::from_secs(20),
        "{took:?}"
    );
    for mut c in slow_head {
        let mut rest = Vec::new();
        // Closed (end of file or reset), not left hanging until our own 30 s limit.
        let _ = c.read_to_end(&mut rest);
        assert!(started.elapsed() < Duration::from_secs(25));
    }
    assert_eq!(s.get("/").status, 200);
}

#[test]
#[cfg(unix)]
fn open_hands_the_overview_to_the_browser_with_the_token() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, plan) = demo_copy();
    let seen = tmp.path().join("browser-was-given");
    let browser = tmp.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", seen.display()),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let s = Server::start_with(
        tmp.path(),
        &[
            "--plan",
            plan.to_str().unwrap(),
            "serve",
            "--port",
            "0",
            "--token",
            "mật khẩu",
            "--open",
        ],
        &[("BROWSER", &browser)],
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !seen.exists() || std::fs::read(&seen).unwrap().is_empty() {
        assert!(Instant::now() < deadline, "the browser was never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let url = std::fs::read_to_string(&seen).unwrap();
    let path = url
        .strip_prefix(&format!("http://127.0.0.1:{}", s.port))
        .unwrap_or_else(|| panic!("{url}"));
    assert_eq!(path, "/?token=m%E1%BA%ADt+kh%E1%BA%A9u");
    // The link it was given gets in.
    assert_eq!(s.get(path).status, 200);
    assert_eq!(s.get("/").status, 401);
}

#[test]
fn every_table_downloads_as_the_command_line_writes_it() {
    let (tmp, plan) = demo_copy();
    let s = serve(&plan, &[]);
    let cases: [(&str, &[&str], &str); 8] = [
        (
            "/download/report?format=xlsx&year=2024&as_of=2024-12-31",
            &[
                "report",
                "--format",
                "xlsx",
                "--year",
                "2024",
                "--as-of",
                "2024-12-31",
            ],
            "bao-cao-2024.xlsx",
        ),
        (
            "/download/report?format=docx&agency=SCT&as_of=2024-12-31",
            &[
                "report",
                "--format",
                "docx",
                "--agency",
                "SCT",
                "--as-of",
                "2024-12-31",
            ],
            "bao-cao-SCT.docx",
        ),
        (
            "/download/tasks?format=csv&agency=SCT&as_of=2024-12-31",
            &[
                "tasks",
                "--format",
                "csv",
                "--agency",
                "SCT",
                "--as-of",
                "2024-12-31",
            ],
            "nhiem-vu-SCT.csv",
        ),
        (
            "/download/tasks?format=json&status=overdue&as_of=2024-12-31",
            &[
                "tasks",
                "--format",
                "json",
                "--status",
                "overdue",
                "--as-of",
                "2024-12-31",
            ],
            "nhiem-vu-overdue.json",
        ),
        (
            "/download/due?format=csv&within=60&as_of=2024-07-01",
            &[
                "due",
                "--format",
                "csv",
                "--within",
                "60",
                "--as-of",
                "2024-07-01",
            ],
            "don-doc.csv",
        ),
        (
            "/download/due?format=xlsx&as_of=2024-07-01",
            &["due", "--format", "xlsx", "--as-of", "2024-07-01"],
            "don-doc.xlsx",
        ),
        (
            "/download/due?format=json&agency=HOI&as_of=2024-07-01&limit=1",
            &[
                "due",
                "--format",
                "json",
                "--agency",
                "HOI",
                "--as-of",
                "2024-07-01",
            ],
            "don-doc-HOI.json",
        ),
        (
            "/download/indicators?format=markdown&as_of=2024-12-31",
            &[
                "indicators",
                "--format",
                "markdown",
                "--as-of",
                "2024-12-31",
            ],
            "chi-tieu.md",
        ),
    ];
    for (path, args, name) in cases {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert_eq!(
            r.header("content-disposition"),
            Some(format!("attachment; filename=\"{name}\"").as_str()),
            "{path}"
        );
        let out = tmp.path().join(name);
        let mut all = vec!["--plan", plan.to_str().unwrap()];
        all.extend(args);
        all.extend(["--output", out.to_str().unwrap()]);
        let o = run_in(tmp.path(), &all);
        assert!(o.status.success(), "{}", stderr(&o));
        // What `--output` writes, byte for byte (CSV with its BOM).
        assert_eq!(r.body, std::fs::read(&out).unwrap(), "{path}");
    }
    // The pages link to them.
    let overview = s.get("/?as_of=2024-12-31").text().replace("&amp;", "&");
    assert!(
        overview.contains("/download/report?as_of=2024-12-31&format=docx"),
        "{overview}"
    );
    let agency = s
        .get("/agency/SCT?as_of=2024-12-31")
        .text()
        .replace("&amp;", "&");
    assert!(
        agency.contains("/download/tasks?as_of=2024-12-31&format=csv&agency=SCT"),
        "{agency}"
    );
    // SCT has nothing due then, so no due list to download; TP3 has.
    assert!(!agency.contains("/download/due"), "{agency}");
    let agency = s
        .get("/agency/TP3?as_of=2024-12-31")
        .text()
        .replace("&amp;", "&");
    assert!(
        agency.contains("/download/due?as_of=2024-12-31&format=csv&agency=TP3")
            && agency.contains("/download/due?as_of=2024-12-31&format=xlsx&agency=TP3"),
        "{agency}"
    );
    let due = s
        .get("/due?as_of=2024-07-01&within=60")
        .text()
        .replace("&amp;", "&");
    assert!(
        due.contains("/download/due?as_of=2024-07-01&within=60&format=json"),
        "{due}"
    );
    // The due page says, as `kehoach due` does, when nobody has reported.
    let due = s.get("/due?as_of=2024-06-15").text();
    assert!(due.contains("Còn 10 ngày\nChưa báo cáo"), "{due}");
    let due = s.get("/due?as_of=2024-07-01").text();
    assert!(due.contains("Quá hạn 6 ngày<"), "{due}");
    // Headed as the list's CSV and workbook head it: who must act now.
    assert!(due.contains("<th>Cơ quan thực hiện</th>"), "{due}");
    assert!(
        s.get("/indicators")
            .text()
            .contains("/download/indicators?format=csv")
    );
    // A successor's occurrence names the agency it was assigned to, as
    // `kehoach tasks` does: TP3's and TP1's 2024 reports no longer read
    // alike.
    let task = s.get("/task/1.4?as_of=2024-12-31").text();
    assert_eq!(task.matches("(giao cho TP1)").count(), 2, "{task}");
    // The agencies page says what an agency took over, and from when.
    let agencies = s.get("/agencies").text();
    assert!(
        agencies.contains("<th>Tiếp nhận nhiệm vụ của</th>")
            && agencies.contains("STTTT (từ ngày 01/07/2024)")
            && agencies.contains("TP1 (từ ngày 01/07/2024)"),
        "{agencies}"
    );
    // Nothing else.
    assert_eq!(s.get("/download/check?format=csv").status, 404);
    assert_eq!(s.get("/download/tasks?format=xlsx").status, 400);
    assert_eq!(s.get("/download/..%2fplan.toml").status, 404);
}
