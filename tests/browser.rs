//! `kehoach serve` in a real browser (Chromium through chromium-driver and
//! WebDriver): a lead opens the overview, follows the links to an agency
//! and to a task, records progress with the task page's form and sees the
//! new status. The pages are kept as screenshots (in `docs/img/` when
//! `KEHOACH_SCREENSHOTS=1`, else under the build's temporary folder).

mod common;
use common::*;
use fantoccini::{ClientBuilder, Locator};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process stopped by its own id when the test ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// chromedriver and the Chromium it starts, in their own process group
/// (whose id is chromedriver's), stopped together when the test ends —
/// also when it fails before closing the browser.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        #[cfg(unix)]
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0.id())])
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver on 127.0.0.1, once it answers.
fn chromedriver() -> (Driver, u16) {
    let port = free_port();
    let mut command = Command::new("chromedriver");
    command
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let driver = Driver(command.spawn().unwrap());
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (driver, port)
}

fn kehoach_serve(cwd: &Path, plan: &Path) -> (Killed, String) {
    let mut child = bin()
        .current_dir(cwd)
        .args(["--plan", plan.to_str().unwrap()])
        .args(["serve", "--port", "0", "--allow-record"])
        .args(["--as-of", "2024-12-31"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (Killed(child), line.trim().to_string())
}

fn screenshot_dir() -> PathBuf {
    if std::env::var_os("KEHOACH_SCREENSHOTS").is_some_and(|v| v == "1") {
        root().join("docs/img")
    } else {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

#[test]
fn a_lead_clicks_through_to_a_task_and_records_progress() {
    let Some(chrome) = chromium() else {
        return skip("browser", "Chromium is not installed");
    };
    if !have("chromedriver", &["--version"]) {
        return skip("browser", "chromium-driver is not installed");
    }
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("demo");
    copy_dir(&root().join("examples/demo"), &plan);
    let (_server, url) = kehoach_serve(tmp.path(), &plan);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let (_driver, port) = chromedriver();
    let profile = tmp.path().join("profile");
    let shots = screenshot_dir();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chrome,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--window-size=1280,900", "--lang=vi",
                    format!("--user-data-dir={}", profile.display()),
                ],
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let b = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");

        // The overview: the year's table, with "Chưa báo cáo".
        b.goto(&format!("{url}/")).await.unwrap();
        let body = b
            .find(Locator::Css("main"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(body.contains("Chưa báo cáo"), "{body}");
        std::fs::write(
            shots.join("serve-tong-quan.png"),
            b.screenshot().await.unwrap(),
        )
        .unwrap();

        // To the agency, then to its task.
        b.find(Locator::XPath("//main//a[contains(@href, '/agency/SYT')]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert!(
            b.current_url()
                .await
                .unwrap()
                .path()
                .ends_with("/agency/SYT")
        );
        b.find(Locator::XPath("//main//a[contains(@href, '/task/1.2')]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert!(b.current_url().await.unwrap().path().ends_with("/task/1.2"));

        // Record: the form a colleague fills in.
        let form = b.form(Locator::Css("form.record")).await.unwrap();
        form.set_by_name("period", "2024-H2").await.unwrap();
        form.set_by_name("status", "done").await.unwrap();
        b.execute(
            "document.querySelector('form.record input[name=date]').value = '2024-12-10';",
            vec![],
        )
        .await
        .unwrap();
        b.find(Locator::Css("form.record input[name=by]"))
            .await
            .unwrap()
            .send_keys("Nguyễn Thị Hạnh")
            .await
            .unwrap();
        b.find(Locator::Css("form.record input[name=note]"))
            .await
            .unwrap()
            .send_keys("Đã gửi báo cáo 6 tháng cuối năm")
            .await
            .unwrap();
        form.submit().await.unwrap();

        // Back on the task's page: the notice, the history, the new status.
        let deadline = Instant::now() + Duration::from_secs(10);
        let body = loop {
            // The form's page may still be going away: an element found on
            // it can be gone by the time its text is read, so that is "not
            // yet" too.
            let body = match b.find(Locator::Css("main")).await {
                Ok(main) => main.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if body.contains("Đã ghi cập nhật.") {
                break body;
            }
            assert!(Instant::now() < deadline, "no confirmation: {body}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert!(body.contains("Đã gửi báo cáo 6 tháng cuối năm"), "{body}");
        assert!(body.contains("Nguyễn Thị Hạnh"), "{body}");
        let row = b
            .find(Locator::XPath(
                "//table[1]//tr[td[2][contains(., '6 tháng cuối năm 2024')]]",
            ))
            .await
            .expect("the 2024-H2 row")
            .text()
            .await
            .unwrap();
        assert!(row.contains("Hoàn thành"), "{row}");
        std::fs::write(
            shots.join("serve-nhiem-vu.png"),
            b.screenshot().await.unwrap(),
        )
        .unwrap();
        b.close().await.unwrap();
    });

    // On disk: one update, as `kehoach record` writes it.
    let written: String = std::fs::read_dir(plan.join("progress/SYT"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(
        written.matches("Đã gửi báo cáo 6 tháng cuối năm").count(),
        1
    );
    assert!(written.contains("date = 2024-12-10"), "{written}");
}
