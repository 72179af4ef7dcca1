//! `kehoach serve` (spec §15): the plan as web pages and a JSON API over
//! the same files, safe to leave running on an office network.
//!
//! The files stay the source of truth: every request reads the plan as it
//! is (through the parse cache, so an unchanged plan costs little), so a
//! `record` from the terminal or a `git pull` shows at once, and since
//! every writer replaces files by rename a request never sees half a file.
//! The API and the downloads run the very commands of the command line
//! (`report`, `tasks`, `indicators`, `record`) on the request's options, so
//! they print exactly what the command line prints. Every request passes,
//! in this order: the Host check (against DNS rebinding), the token, the
//! body size, the route and method, the form's `csrf`, the fields.

mod pages;
mod stream;

use crate::cache::Cache;
use crate::cli::{Cli, ServeArgs};
use crate::commands::{Env, Loaded, Reported};
use crate::discover::PlanDir;
use crate::messages::{Exit, Failure, Msg};
use crate::model::Lang;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use clap::Parser;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// Request bodies above this are refused with 413 (spec §15).
pub const MAX_BODY: usize = 1_048_576;

/// What every request handler shares.
pub struct Site {
    /// The plan served, or `None` for every plan under `plans/`.
    plan: Option<PlanDir>,
    cwd: PathBuf,
    allow_record: bool,
    token: Option<String>,
    /// Host names a request may be addressed to.
    hosts: Vec<String>,
    /// The hidden `csrf` value of this run's forms.
    csrf: String,
    as_of: Option<NaiveDate>,
    clock: fn() -> NaiveDate,
    cache: Cache,
    /// The language when a request names none: `--lang`, else the plan's.
    lang: Option<Lang>,
    /// `--set-aside`: a plan whose only errors are in progress files is
    /// served without those files, every page saying so.
    set_aside: bool,
    /// The plans as last read, by directory (see `Site::loaded`).
    held: Mutex<HashMap<PathBuf, Held>>,
}

/// A plan as read at one moment, and what its files looked like then.
struct Held {
    loaded: Arc<Loaded>,
    at: Instant,
    taken: SystemTime,
    files: Fingerprint,
}

/// The plan's `.toml` files with their sizes and modification times.
#[derive(PartialEq)]
struct Fingerprint {
    hash: u128,
    newest: Option<SystemTime>,
}

fn fingerprint(dir: &std::path::Path) -> Fingerprint {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut newest: Option<SystemTime> = None;
    for (rel, _) in crate::load::list_files(dir, &mut Vec::new()) {
        h.update(rel.as_bytes());
        h.update(&[0]);
        if let Ok(meta) = std::fs::metadata(dir.join(&rel)) {
            h.update(&meta.len().to_le_bytes());
            if let Ok(m) = meta.modified() {
                let nanos = m
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos());
                h.update(&nanos.to_le_bytes());
                newest = newest.max(Some(m));
            }
        }
    }
    Fingerprint {
        hash: h.digest128(),
        newest,
    }
}

/// Serves one plan.
pub fn run(
    dir: PlanDir,
    _explicit: bool,
    args: ServeArgs,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    start(Some(dir), args, env)
}

/// Serves every plan under `./plans/` (`plan=ID` on each request).
pub fn run_many(args: ServeArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    if crate::discover::plans_under(&env.cwd.join("plans")).is_empty() {
        return Err(Failure::new(Msg::NoPlansUnder).into());
    }
    start(None, args, env)
}

fn is_loopback(ip: IpAddr) -> bool {
    ip.is_loopback()
}

fn start(plan: Option<PlanDir>, args: ServeArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    if !is_loopback(args.bind) && args.token.as_deref().is_none_or(str::is_empty) {
        return Err(Failure::usage(Msg::ServeNeedsToken {
            bind: args.bind.to_string(),
        })
        .into());
    }
    let addr = SocketAddr::new(args.bind, args.port);
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        Failure::new(Msg::CannotListen {
            addr: addr.to_string(),
            detail: e.to_string(),
        })
    })?;
    let local = listener.local_addr()?;
    let mut hosts = vec![
        "127.0.0.1".to_string(),
        "localhost".to_string(),
        "[::1]".to_string(),
    ];
    hosts.push(match args.bind {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    });
    hosts.extend(args.allow_host.iter().map(|h| h.to_ascii_lowercase()));
    let site = Arc::new(Site {
        plan,
        cwd: env.cwd.to_path_buf(),
        allow_record: args.allow_record,
        token: args.token.clone(),
        hosts,
        csrf: secret(),
        as_of: args.as_of.as_of,
        clock: env.clock,
        cache: env.cache.clone(),
        lang: env.lang_given.then_some(env.lang),
        set_aside: env.set_aside,
        held: Mutex::new(HashMap::new()),
    });
    let url = match local {
        SocketAddr::V4(a) => format!("http://{}:{}", a.ip(), a.port()),
        SocketAddr::V6(a) => format!("http://[{}]:{}", a.ip(), a.port()),
    };
    writeln!(env.out, "{url}")?;
    env.out.flush()?;
    if args.open {
        // With a token, the browser gets in through the link it is given.
        let page = match &args.token {
            Some(t) => format!(
                "{url}/?{}",
                form_urlencoded::Serializer::new(String::new())
                    .append_pair("token", t)
                    .finish()
            ),
            None => format!("{url}/"),
        };
        if let Err(e) = opener::open_browser(&page) {
            let msg = Msg::CannotOpenBrowser {
                url: format!("{url}/"),
                detail: e.to_string(),
            };
            writeln!(env.err, "kehoach: {}", msg.text(env.lang))?;
        }
    }
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        accept(listener, router(site)).await;
        Ok::<(), std::io::Error>(())
    })?;
    Ok(())
}

/// How long a client may take to send a request's headers, and its body.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection is kept; then it is closed after the request in
/// progress, which goes on while the client takes what it is sent (a
/// national task list downloads for minutes over a slow link) and is cut
/// off once the client has taken nothing for `CLOSE_GRACE`.
const CONNECTION_LIFETIME: Duration = Duration::from_secs(60);
/// How long a stopping server waits for the requests in progress, and how
/// long a request past its connection's lifetime may send nothing.
const CLOSE_GRACE: Duration = Duration::from_secs(30);

/// Accepts connections until Ctrl-C or SIGTERM, then lets the requests in
/// progress finish (for at most `CLOSE_GRACE`). A client that is slow to
/// send its headers or body, or that holds a connection open, is cut off,
/// so slow clients cannot use up the server.
async fn accept(listener: tokio::net::TcpListener, app: Router) {
    use hyper_util::rt::TokioTimer;
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(READ_TIMEOUT)
        .keep_alive(true);
    let (stopping, stop_seen) = tokio::sync::watch::channel(false);
    let mut conns = tokio::task::JoinSet::new();
    let mut stop = std::pin::pin!(stopped());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait, go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        while conns.try_join_next().is_some() {}
        conns.spawn(serve_connection(
            http.clone(),
            stream,
            app.clone(),
            stop_seen.clone(),
        ));
    }
    drop(listener);
    let _ = stopping.send(true);
    let _ = tokio::time::timeout(CLOSE_GRACE, async {
        while conns.join_next().await.is_some() {}
    })
    .await;
}

/// One connection, until the client closes it, the server stops (then the
/// request in progress has `CLOSE_GRACE` to finish) or it has lived
/// `CONNECTION_LIFETIME` (then the request in progress goes on while it
/// sends something at least every `CLOSE_GRACE`).
async fn serve_connection<S>(
    http: hyper::server::conn::http1::Builder,
    stream: S,
    app: Router,
    mut stop_seen: tokio::sync::watch::Receiver<bool>,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let sent = Arc::new(Mutex::new(tokio::time::Instant::now()));
    let stream = Watched {
        inner: stream,
        sent: sent.clone(),
    };
    let service = hyper_util::service::TowerToHyperService::new(app);
    let conn = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    let stopping = tokio::select! {
        _ = conn.as_mut() => return,
        () = tokio::time::sleep(CONNECTION_LIFETIME) => false,
        _ = stop_seen.wait_for(|s| *s) => true,
    };
    conn.as_mut().graceful_shutdown();
    if stopping {
        let _ = tokio::time::timeout(CLOSE_GRACE, conn).await;
        return;
    }
    let closing = tokio::time::Instant::now();
    loop {
        let last = (*sent.lock().unwrap_or_else(|p| p.into_inner())).max(closing);
        let quiet = last.elapsed();
        if quiet >= CLOSE_GRACE {
            return;
        }
        tokio::select! {
            _ = conn.as_mut() => return,
            () = tokio::time::sleep(CLOSE_GRACE - quiet) => {}
        }
    }
}

/// A connection's stream that notes when it last sent bytes.
struct Watched<S> {
    inner: S,
    sent: Arc<Mutex<tokio::time::Instant>>,
}

impl<S> Watched<S> {
    fn noted(
        &self,
        r: std::task::Poll<std::io::Result<usize>>,
    ) -> std::task::Poll<std::io::Result<usize>> {
        if let std::task::Poll::Ready(Ok(n)) = &r
            && *n > 0
        {
            *self.sent.lock().unwrap_or_else(|p| p.into_inner()) = tokio::time::Instant::now();
        }
        r
    }
}

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Watched<S> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let r = std::pin::Pin::new(&mut self.inner).poll_write(cx, buf);
        self.noted(r)
    }

    fn poll_write_vectored(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let r = std::pin::Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.noted(r)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Ctrl-C, or SIGTERM where there is one.
async fn stopped() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// A value no other site can guess: the process's randomly keyed hasher,
/// the time and the process id, through xxh3.
fn secret() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    let a = h.finish();
    let mut h2 = std::collections::hash_map::RandomState::new().build_hasher();
    h2.write_u64(a);
    format!("{:016x}{:016x}", a, h2.finish())
}

fn router(site: Arc<Site>) -> Router {
    use axum::routing::{get, post};
    Router::new()
        .route("/", get(pages::overview))
        .route("/due", get(pages::due))
        .route("/indicators", get(pages::indicators))
        .route("/agencies", get(pages::agencies))
        .route("/agency/{code}", get(pages::agency))
        .route("/task/{id}", get(pages::task))
        .route("/download/{what}", get(pages::download))
        .route("/api/report", get(pages::api_report))
        .route("/api/tasks", get(pages::api_tasks))
        .route("/api/due", get(pages::api_due))
        .route("/api/indicators", get(pages::api_indicators))
        .route("/record", post(pages::record).fallback(not_allowed))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(site.clone(), guard))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .with_state(site)
}

async fn not_found() -> Response {
    refusal(StatusCode::NOT_FOUND, &Msg::PageNotFound, Lang::Vi)
}

async fn not_allowed() -> Response {
    refusal(StatusCode::METHOD_NOT_ALLOWED, &Msg::PageNotFound, Lang::Vi)
}

/// A refusal in plain text, in both languages when the request's language
/// is not known yet.
pub fn refusal(status: StatusCode, msg: &Msg, lang: Lang) -> Response {
    let text = format!("{}\n", msg.text(lang));
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

/// The Host check, the token and the body size, before any route.
async fn guard(State(site): State<Arc<Site>>, req: Request, next: Next) -> Response {
    let lang = site.lang.unwrap_or_default();
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !host_allowed(&host, &site.hosts) {
        return refusal(StatusCode::FORBIDDEN, &Msg::HostRefused { host }, lang);
    }
    if let Some(token) = &site.token
        && !token_given(req.headers(), req.uri().query(), token)
    {
        let mut r = refusal(StatusCode::UNAUTHORIZED, &Msg::TokenRequired, lang);
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return r;
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return refusal(StatusCode::PAYLOAD_TOO_LARGE, &Msg::BodyTooLarge, lang);
    }
    // A body without a declared length is read here, up to the limit.
    let (parts, body) = req.into_parts();
    let bytes = match tokio::time::timeout(READ_TIMEOUT, axum::body::to_bytes(body, MAX_BODY)).await
    {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => return refusal(StatusCode::PAYLOAD_TOO_LARGE, &Msg::BodyTooLarge, lang),
        Err(_) => return refusal(StatusCode::REQUEST_TIMEOUT, &Msg::RequestTooSlow, lang),
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// `Host` equals an allowed name, with or without `:PORT`.
fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let name = match host.rsplit_once(':') {
        // "[::1]:8080" and "127.0.0.1:8080"; "[::1]" alone has no port.
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty() => name,
        _ => host,
    };
    allowed.iter().any(|a| a == name)
}

fn token_given(headers: &HeaderMap, query: Option<&str>, token: &str) -> bool {
    // Compared as bytes: a token may hold any UTF-8 (a Vietnamese word).
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
        .is_some_and(|t| same_bytes(t.trim_ascii(), token.as_bytes()));
    let in_query = query.is_some_and(|q| {
        form_pairs(q)
            .iter()
            .any(|(k, v)| k == "token" && same(v, token))
    });
    bearer || in_query
}

/// Compares without stopping at the first difference.
pub(crate) fn same(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `a=1&b=x+y` decoded.
pub fn form_pairs(q: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Why a command of the command line printed no answer.
pub enum Unanswered {
    /// Refused by the command line or the plan rules: status, message.
    Refused(StatusCode, String),
    /// The plan's files have errors: what `check` prints.
    Broken(String),
}

impl Site {
    /// Runs `kehoach --plan DIR [--lang L] ARGS…` as the command line does,
    /// into memory, with "today" read now.
    pub fn cli(
        &self,
        dir: &PlanDir,
        lang: Option<Lang>,
        args: &[String],
    ) -> Result<Vec<u8>, Unanswered> {
        let mut out = Vec::new();
        self.cli_into(dir, lang, args, &mut out).map(|()| out)
    }

    /// `cli`, its output written to `out` as the command writes it.
    pub fn cli_into(
        &self,
        dir: &PlanDir,
        lang: Option<Lang>,
        args: &[String],
        out: &mut dyn std::io::Write,
    ) -> Result<(), Unanswered> {
        let mut argv: Vec<String> = vec![
            "kehoach".into(),
            "--plan".into(),
            dir.path.display().to_string(),
        ];
        if let Some(l) = lang.or(self.lang) {
            argv.push("--lang".into());
            argv.push(lang_code(l).into());
        }
        argv.extend(args.iter().cloned());
        let cli = match Cli::try_parse_from(&argv) {
            Ok(cli) => cli,
            Err(e) => {
                // In the language of the page (clap's own words in English).
                let lang = lang
                    .or(self.lang)
                    .unwrap_or_else(|| crate::load::plan_lang(&dir.path));
                let text = crate::usage::worded(&e, &argv, lang).map(|t| format!("{t}\n"));
                return Err(Unanswered::Refused(
                    StatusCode::BAD_REQUEST,
                    text.unwrap_or_else(|| e.render().to_string()),
                ));
            }
        };
        let mut err = Vec::new();
        let today = (self.clock)();
        let lang_given = lang.or(self.lang).is_some();
        let result = {
            let mut env = Env {
                cwd: &self.cwd,
                today,
                clock: self.clock,
                out_is_terminal: false,
                out_width: None,
                color_out: false,
                color_err: false,
                lang: lang.or(self.lang).unwrap_or_default(),
                lang_given,
                out,
                err: &mut err,
                cache: self.cache.clone(),
                set_aside: false,
                // A command that writes (the record form's `record`) reads
                // the plan afresh, under the plan's lock, never the copy
                // the pages share.
                loaded: (!matches!(
                    args.first().map(String::as_str),
                    Some("record" | "measure" | "import")
                ))
                .then(|| self.loaded(dir)),
                exits: false,
            };
            let r = crate::commands::run(cli, &mut env);
            (r, env.lang)
        };
        let (Err(e), lang) = result else {
            return Ok(());
        };
        if e.downcast_ref::<Reported>().is_some() {
            return Err(Unanswered::Broken(
                String::from_utf8_lossy(&err).into_owned(),
            ));
        }
        Err(match e.downcast_ref::<Failure>() {
            Some(f) => {
                let status = match f.exit {
                    Exit::Usage => StatusCode::BAD_REQUEST,
                    Exit::Failure => StatusCode::UNPROCESSABLE_ENTITY,
                };
                Unanswered::Refused(status, f.msg.text(lang))
            }
            None => Unanswered::Refused(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")),
        })
    }

    /// The plan in `dir` as its files are now. A plan read earlier is
    /// reused while its files keep their names, sizes and modification
    /// times, so an unchanged plan costs a few `stat`s per request and
    /// concurrent requests wait for one reading instead of each making
    /// its own. Files changed within 2 s of the reading may share a
    /// modification time with what was read (coarse file-system clocks),
    /// so such a plan is read again once it is 1 s old: every change shows
    /// within 2 s (spec §15).
    pub fn loaded(&self, dir: &PlanDir) -> Arc<Loaded> {
        let files = fingerprint(&dir.path);
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(h) = held.get(&dir.path)
            && h.files == files
        {
            let settled = files
                .newest
                .is_none_or(|n| n + Duration::from_secs(2) < h.taken);
            if settled || h.at.elapsed() < Duration::from_secs(1) {
                return h.loaded.clone();
            }
        }
        let (at, taken) = (Instant::now(), SystemTime::now());
        let loaded = Arc::new(if self.set_aside {
            Loaded::read_setting_aside(dir, &self.cache, crate::validate::Text::Keep)
        } else {
            Loaded::read(dir, &self.cache)
        });
        held.insert(
            dir.path.clone(),
            Held {
                loaded: loaded.clone(),
                at,
                taken,
                files,
            },
        );
        loaded
    }

    /// Forgets what was read of `dir` (after a record from the page).
    pub fn forget(&self, dir: &PlanDir) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.remove(&dir.path);
    }

    /// The plan a request is about: the one served, or `plan=ID` among
    /// those under `plans/`.
    pub fn plan_dir(&self, plan: Option<&str>) -> Result<PlanDir, (StatusCode, Msg)> {
        match (&self.plan, plan) {
            (Some(dir), None) => Ok(dir.clone()),
            (Some(dir), Some(id)) => {
                if crate::load::plan_id(&dir.path).as_deref() == Some(id) {
                    Ok(dir.clone())
                } else {
                    Err((StatusCode::NOT_FOUND, Msg::PageNotFound))
                }
            }
            (None, Some(id)) => crate::discover::find_plan(Some(id), &self.cwd)
                .ok()
                .filter(|d| crate::load::plan_id(&d.path).as_deref() == Some(id))
                .ok_or((StatusCode::NOT_FOUND, Msg::PageNotFound)),
            (None, None) => Err((
                StatusCode::BAD_REQUEST,
                Msg::PlanParamNeeded {
                    known: self.plan_ids().join(", "),
                },
            )),
        }
    }

    /// The ids of the plans under `plans/`.
    pub fn plan_ids(&self) -> Vec<String> {
        crate::discover::plans_under(&self.cwd.join("plans"))
            .iter()
            .filter_map(|d| crate::load::plan_id(d))
            .collect()
    }

    pub fn several(&self) -> bool {
        self.plan.is_none()
    }

    pub fn today(&self) -> NaiveDate {
        (self.clock)()
    }
}

pub fn lang_code(l: Lang) -> &'static str {
    match l {
        Lang::Vi => "vi",
        Lang::En => "en",
    }
}

/// The JSON a broken plan answers with (spec §15): every problem placed.
pub fn problems_json(problems: &[crate::problem::Problem], lang: Lang) -> String {
    let list: Vec<serde_json::Value> = problems
        .iter()
        .map(|p| {
            serde_json::json!({
                "file": p.path,
                "line": p.position.map(|(l, _)| l),
                "column": p.position.map(|(_, c)| c),
                "message": p.msg.text(lang),
            })
        })
        .collect();
    serde_json::json!({ "problems": list }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client that reads `rate` bytes a second from a connection served
    /// on a 4 MiB answer, until it has read `until` (or the answer ends):
    /// what it read, and when the connection ended.
    async fn slow_download(rate: usize, until: usize) -> (usize, Duration) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let answer = vec![b'x'; 4 << 20];
        let app = Router::new().route("/", axum::routing::get(move || async move { answer }));
        let (mut client, server) = tokio::io::duplex(64 << 10);
        let (_stop, stop_seen) = tokio::sync::watch::channel(false);
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(hyper_util::rt::TokioTimer::new());
        let started = tokio::time::Instant::now();
        let served = tokio::spawn(serve_connection(http, server, app, stop_seen));
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let (mut read, mut chunk) = (0, vec![0; rate]);
        while read < until {
            match client.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => read += n,
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        // Then it takes nothing more, holding the connection open.
        tokio::time::timeout(Duration::from_secs(600), served)
            .await
            .expect("the connection ends")
            .unwrap();
        (read, started.elapsed())
    }

    #[tokio::test(start_paused = true)]
    async fn a_long_answer_goes_on_past_the_lifetime_while_the_client_reads() {
        // 32 KiB a second: 128 s for the answer, twice the lifetime.
        let (read, took) = slow_download(32 << 10, usize::MAX).await;
        assert!(read > 4 << 20, "{read}");
        assert!(took > Duration::from_secs(120), "{took:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_client_that_stops_reading_is_cut_off_after_the_grace() {
        // It reads for 70 s, past the lifetime, then stops: cut off about
        // `CLOSE_GRACE` after the last bytes it took.
        let (read, took) = slow_download(32 << 10, 70 * (32 << 10)).await;
        assert!(read < 4 << 20, "{read}");
        assert!(
            took >= Duration::from_secs(95) && took <= Duration::from_secs(110),
            "{took:?}"
        );
    }

    #[test]
    fn hosts_with_and_without_port_and_nothing_that_only_begins_alike() {
        let allowed: Vec<String> = ["127.0.0.1", "localhost", "[::1]", "so-ct.local"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for ok in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "localhost:1",
            "[::1]:80",
            "[::1]",
            "so-ct.local:8080",
        ] {
            assert!(host_allowed(ok, &allowed), "{ok}");
        }
        for bad in [
            "",
            "evil.com",
            "127.0.0.1.evil.com",
            "localhost.evil",
            "so-ct.local.evil:80",
            "127.0.0.1:80x",
        ] {
            assert!(!host_allowed(bad, &allowed), "{bad}");
        }
    }

    #[test]
    fn form_decoding() {
        assert_eq!(
            form_pairs("a=x%20y+z&b=%E1%BB%87&c"),
            [
                ("a".into(), "x y z".into()),
                ("b".into(), "ệ".into()),
                ("c".into(), String::new())
            ]
        );
    }
}
