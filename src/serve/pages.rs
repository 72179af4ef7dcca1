//! The pages and the API of `kehoach serve`. Pages are built from the plan
//! with the same report functions the command line uses and drawn by one
//! minijinja template (HTML auto-escaping); the API and the downloads run
//! the command line's own commands (`Site::cli_into`), their long answers
//! sent as they are written (`stream`).

use super::{Site, Unanswered, form_pairs, lang_code, problems_json, refusal, stream};
use crate::labels::{self, date, labels, period, serve_words, state_of, status_name};
use crate::messages::Msg;
use crate::model::{AgencyId, Lang, Plan, Status};
use crate::render::tasks::occurrence_headers;
use crate::render::{
    agency_label, columns, deadline_text, deadline_words, flat, last_update_text, values,
};
use crate::report::{all_years, compliance, default_years, due_items, indicator_rows};
use crate::status::{Class, Classified, classify_all};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::sync::Arc;

const TEMPLATE: &str = include_str!("page.html");

/// The query of a request, decoded.
#[derive(Default, Clone)]
struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    fn from(raw: Option<String>) -> Query {
        Query {
            pairs: raw.as_deref().map(form_pairs).unwrap_or_default(),
        }
    }
    fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }
    fn all(&self, key: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }
    fn lang(&self) -> Option<Lang> {
        match self.get("lang") {
            Some("en") => Some(Lang::En),
            Some("vi") => Some(Lang::Vi),
            _ => None,
        }
    }
    /// `plan=` and `token=` carried into links.
    fn keep(&self) -> Vec<(String, String)> {
        ["plan", "token", "lang", "as_of"]
            .iter()
            .filter_map(|k| self.get(k).map(|v| (k.to_string(), v.to_string())))
            .collect()
    }
    fn link(&self, path: &str) -> String {
        let keep = self.keep();
        if keep.is_empty() {
            return path.to_string();
        }
        let q: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(keep)
            .finish();
        format!("{path}?{q}")
    }
}

#[derive(Serialize, Default)]
struct Cell {
    text: String,
    href: Option<String>,
    num: bool,
    /// Short lines kept as they are, never wrapped ("Quá hạn 178 ngày"
    /// over "Chưa báo cáo").
    lines: bool,
}

fn text(s: impl Into<String>) -> Cell {
    Cell {
        text: s.into(),
        ..Cell::default()
    }
}

fn num(s: impl Into<String>) -> Cell {
    Cell {
        text: s.into(),
        num: true,
        ..Cell::default()
    }
}

fn lines(s: impl Into<String>) -> Cell {
    Cell {
        text: s.into(),
        lines: true,
        ..Cell::default()
    }
}

fn link(s: impl Into<String>, href: String) -> Cell {
    Cell {
        text: s.into(),
        href: Some(href),
        ..Cell::default()
    }
}

#[derive(Serialize, Default)]
struct Row {
    class: Option<&'static str>,
    cells: Vec<Cell>,
}

#[derive(Serialize, Default)]
struct Table {
    caption: String,
    headers: Vec<String>,
    rows: Vec<Row>,
    empty: String,
    pager: Option<Pager>,
}

/// Rows a page shows at most of one long table; `page=N` shows the rest.
/// A national plan's due list runs to hundreds of thousands of rows, more
/// than a browser can show; the downloads hold them all.
pub const PAGE_ROWS: usize = 500;

#[derive(Serialize, Clone)]
struct Pager {
    text: String,
    prev: Option<String>,
    next: Option<String>,
}

/// The part of `total` rows the request's `page=` asks for, and the links
/// to the pages around it (none when everything fits on one page).
fn paged(
    q: &Query,
    path: &str,
    total: usize,
    lang: Lang,
) -> (std::ops::Range<usize>, Option<Pager>) {
    let pages = total.div_ceil(PAGE_ROWS).max(1);
    let n = q
        .get("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let range = (n - 1) * PAGE_ROWS..(n * PAGE_ROWS).min(total);
    if pages == 1 {
        return (range, None);
    }
    let w = serve_words(lang);
    let to_page = |k: usize| {
        let mut q2 = q.clone();
        q2.pairs.retain(|(key, _)| key != "page");
        q2.pairs.push(("page".into(), k.to_string()));
        link_all(&q2, path)
    };
    let count = |v: usize| labels::number(v as f64, lang);
    let pager = Pager {
        text: w
            .rows_of
            .replace("{from}", &count(range.start + 1))
            .replace("{to}", &count(range.end))
            .replace("{total}", &count(total)),
        prev: (n > 1).then(|| to_page(n - 1)),
        next: (n < pages).then(|| to_page(n + 1)),
    };
    (range, Some(pager))
}

#[derive(Serialize)]
struct Nav {
    href: String,
    label: &'static str,
    here: bool,
}

#[derive(Serialize)]
struct Download {
    href: String,
    label: String,
}

#[derive(Serialize)]
struct RecordForm {
    action: String,
    csrf: String,
    task: String,
    periods: Vec<(String, String, bool)>,
    members: Vec<(String, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    today: String,
}

#[derive(Serialize, Default)]
struct Page {
    lang: &'static str,
    title: String,
    subtitle: String,
    plan_id: String,
    nav: Vec<Nav>,
    hidden: Vec<(String, String)>,
    /// The as-of date as its field shows it, dd/mm/yyyy.
    as_of: String,
    words: Option<labels::ServeWords>,
    notices: Vec<String>,
    problems: String,
    tables: Vec<Table>,
    downloads: Vec<Download>,
    record: Option<RecordForm>,
    chart: Option<crate::render::html::Chart>,
}

fn html(status: StatusCode, page: &Page) -> Response {
    let mut env = minijinja::Environment::new();
    let rendered = env
        .add_template("chart.html", crate::render::html::CHART)
        .and_then(|()| env.add_template("page.html", TEMPLATE))
        .and_then(|()| env.get_template("page.html"))
        .and_then(|t| t.render(minijinja::value::Serde(page)));
    match rendered {
        Ok(body) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            )],
            body,
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// What every page starts from: the plan (or the page that says why
/// not), its language and the as-of date.
struct Ctx {
    site: Arc<Site>,
    q: Query,
    plan: Arc<Plan>,
    lang: Lang,
    as_of: NaiveDate,
    /// Progress files left out (`--set-aside`), as shown.
    set_aside: Vec<String>,
}

impl Ctx {
    /// The page of this plan, `here` in the menu; it says what was set
    /// aside, if anything.
    fn page(&self, lang: Lang, here: &str) -> Page {
        let mut page = frame(
            &self.site,
            &self.q,
            lang,
            self.plan.id.clone(),
            self.as_of,
            here,
        );
        if !self.set_aside.is_empty() {
            let msg = Msg::SetAside {
                count: self.set_aside.len(),
                files: self.set_aside.join(", "),
            };
            page.notices.push(capitalised(&msg.text(lang)));
        }
        page
    }
}

enum Opened {
    Ready(Box<Ctx>),
    Done(Response),
}

fn parse_as_of(site: &Site, q: &Query) -> Result<NaiveDate, crate::cli::BadValue> {
    match q.get("as_of") {
        Some(s) => crate::cli::parse_date(s),
        None => Ok(site.as_of.unwrap_or_else(|| site.today())),
    }
}

fn open(site: Arc<Site>, q: Query, here: &str) -> Opened {
    let lang0 = q.lang().or(site.lang).unwrap_or_default();
    let dir = match site.plan_dir(q.get("plan")) {
        Ok(dir) => dir,
        Err((StatusCode::BAD_REQUEST, _)) if site.several() => {
            return Opened::Done(choose_plan(&site, &q, lang0));
        }
        Err((status, msg)) => return Opened::Done(refusal(status, &msg, lang0)),
    };
    let as_of = match parse_as_of(&site, &q) {
        Ok(d) => d,
        Err(e) => {
            let lang = q
                .lang()
                .or(site.lang)
                .unwrap_or_else(|| crate::load::plan_lang(&dir.path));
            return Opened::Done(refusal(StatusCode::BAD_REQUEST, &e.0, lang));
        }
    };
    let checked = site.loaded(&dir);
    let Some(plan) = checked.plan.clone() else {
        let lang = q
            .lang()
            .or(site.lang)
            .unwrap_or_else(|| crate::load::plan_lang(&dir.path));
        let problems: Vec<String> = checked
            .problems
            .iter()
            .map(|p| p.render(lang, false))
            .collect();
        let page = Page {
            problems: problems.join("\n"),
            ..frame(
                &site,
                &q,
                lang,
                crate::load::plan_id(&dir.path).unwrap_or_default(),
                as_of,
                here,
            )
        };
        return Opened::Done(html(StatusCode::SERVICE_UNAVAILABLE, &page));
    };
    let lang = q.lang().or(site.lang).unwrap_or(plan.lang);
    Opened::Ready(Box::new(Ctx {
        site,
        q,
        plan,
        lang,
        as_of,
        set_aside: checked.set_aside.clone(),
    }))
}

/// The parts of a page every page has: the navigation and the date form.
fn frame(
    site: &Site,
    q: &Query,
    lang: Lang,
    plan_id: String,
    as_of: NaiveDate,
    here: &str,
) -> Page {
    let w = serve_words(lang);
    let mut nav: Vec<Nav> = [
        ("/", w.overview),
        ("/due", w.due),
        ("/indicators", w.indicators),
        ("/agencies", w.agencies),
    ]
    .into_iter()
    .map(|(href, label)| Nav {
        href: q.link(href),
        label,
        here: href == here,
    })
    .collect();
    // Several plans served: a way back to the list of them.
    if site.several() {
        let mut q2 = q.clone();
        q2.pairs.retain(|(k, _)| k != "plan");
        nav.push(Nav {
            href: q2.link("/"),
            label: w.plans,
            here: false,
        });
    }
    let hidden = ["plan", "token", "year"]
        .iter()
        .filter_map(|k| q.get(k).map(|v| (k.to_string(), v.to_string())))
        .collect();
    Page {
        lang: lang_code(lang),
        plan_id,
        nav,
        hidden,
        as_of: crate::labels::date(as_of),
        words: Some(w),
        ..Page::default()
    }
}

fn choose_plan(site: &Site, q: &Query, lang: Lang) -> Response {
    let w = serve_words(lang);
    let rows = site
        .plan_ids()
        .into_iter()
        .map(|id| {
            let mut q2 = q.clone();
            q2.pairs.retain(|(k, _)| k != "plan");
            q2.pairs.push(("plan".into(), id.clone()));
            Row {
                class: None,
                cells: vec![link(id, q2.link("/"))],
            }
        })
        .collect();
    let page = Page {
        lang: lang_code(lang),
        title: w.choose_plan.into(),
        words: Some(w),
        tables: vec![Table {
            headers: vec![w.plans.into()],
            rows,
            ..Table::default()
        }],
        ..Page::default()
    };
    html(StatusCode::OK, &page)
}

/// A page about the plan: opened off the async threads, or the response
/// that says why it cannot be (a plan to choose, a bad date, a broken plan).
async fn with_plan<F>(site: Arc<Site>, raw: Option<String>, here: &'static str, page: F) -> Response
where
    F: FnOnce(Box<Ctx>) -> Response + Send + 'static,
{
    blocking(move || match open(site, Query::from(raw), here) {
        Opened::Ready(c) => page(c),
        Opened::Done(r) => r,
    })
    .await
}

async fn blocking<F: FnOnce() -> Response + Send + 'static>(f: F) -> Response {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn class_css(c: Class) -> Option<&'static str> {
    match c {
        Class::Overdue => Some("overdue"),
        Class::OnTime => Some("on-time"),
        Class::Late => Some("late"),
        _ => None,
    }
}

fn years_of(c: &Ctx) -> Result<Vec<i32>, Box<Response>> {
    match c.q.get("year") {
        None => Ok(default_years(&c.plan, c.as_of)),
        Some("all") => Ok(all_years(&c.plan)),
        Some(y) => match crate::cli::parse_year(y) {
            Ok(y) => crate::commands::report::check_year(&c.plan, y)
                .map(|y| vec![y])
                .map_err(|f| Box::new(refusal(StatusCode::BAD_REQUEST, &f.msg, c.lang))),
            Err(e) => Err(Box::new(refusal(StatusCode::BAD_REQUEST, &e.0, c.lang))),
        },
    }
}

pub async fn overview(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    with_plan(site, raw, "/", move |c| {
        let years = match years_of(&c) {
            Ok(y) => y,
            Err(r) => return *r,
        };
        let (plan, lang, as_of) = (&c.plan, c.lang, c.as_of);
        let l = labels(lang);
        let summary = c.q.get("year") == Some("all")
            || (c.q.get("year").is_none() && as_of.year() > plan.last_year);
        let classified = classify_all(plan, as_of);
        let report = compliance(plan, &classified, as_of, &years, None, summary);
        let mut page = c.page(lang, "/");
        page.title = crate::render::heading(plan, lang).join(" — ");
        page.subtitle = format!("({} {})", l.figures_as_of, date(as_of));
        if report.nothing_reported() {
            page.notices.push(l.nothing_reported.to_string());
        }
        let headers: Vec<String> = [l.stt.to_string(), l.agency.to_string()]
            .into_iter()
            .chain(columns(lang).iter().map(flat))
            .collect();
        let agency_row =
            |k: usize, a: crate::model::AgencyId, counts: &crate::report::Counts| Row {
                class: None,
                cells: std::iter::once(num((k + 1).to_string()))
                    .chain(std::iter::once(link(
                        agency_label(plan, a, lang),
                        c.q.link(&format!("/agency/{}", plan.agencies[a].code)),
                    )))
                    .chain(values(counts).iter().map(|v| num(v.text(lang))))
                    .collect(),
            };
        let total_row = |counts: &crate::report::Counts| Row {
            class: Some("total"),
            cells: [text(""), text(l.total)]
                .into_iter()
                .chain(values(counts).iter().map(|v| num(v.text(lang))))
                .collect(),
        };
        for (year, total) in &report.totals {
            let mut rows: Vec<Row> = report
                .rows
                .iter()
                .filter(|r| r.year == *year)
                .enumerate()
                .map(|(k, r)| agency_row(k, r.agency, &r.counts))
                .collect();
            rows.push(total_row(total));
            page.tables.push(Table {
                caption: format!("{} {year}", l.year_heading),
                headers: headers.clone(),
                rows,
                empty: l.no_occurrences.into(),
                pager: None,
            });
        }
        // The plan period's summary, and the chart of its rates, under the
        // year's table (the report's own summary when it shows one).
        let whole;
        let with_summary = if report.summary.is_some() {
            &report
        } else {
            whole = compliance(plan, &classified, as_of, &all_years(plan), None, true);
            &whole
        };
        page.chart = Some(crate::render::html::chart(&crate::render::ReportView {
            plan,
            report: with_summary,
            lang,
            classified: &classified,
            agencies: None,
            indicators: &[],
        }));
        if let Some(s) = &with_summary.summary {
            let mut rows: Vec<Row> = s
                .iter()
                .enumerate()
                .map(|(k, (a, counts))| agency_row(k, *a, counts))
                .collect();
            rows.push(total_row(&with_summary.summary_total()));
            page.tables.push(Table {
                caption: format!(
                    "{} {}-{}",
                    l.period_heading, plan.first_year, plan.last_year
                ),
                headers: headers.clone(),
                rows,
                empty: l.no_occurrences.into(),
                pager: None,
            });
        }
        if !report.ongoing.is_empty() {
            page.tables.push(Table {
                caption: format!(
                    "{} {}",
                    l.ongoing_heading,
                    match (years.first(), years.last()) {
                        (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
                        (Some(a), _) => a.to_string(),
                        _ => String::new(),
                    }
                ),
                headers: vec![
                    l.year.into(),
                    l.agency.into(),
                    l.ongoing_assigned.into(),
                    l.ongoing_reported.into(),
                ],
                rows: report
                    .ongoing
                    .iter()
                    .map(|o| Row {
                        class: None,
                        cells: vec![
                            num(o.year.to_string()),
                            text(agency_label(plan, o.agency, lang)),
                            num(o.assigned.to_string()),
                            num(o.reported.to_string()),
                        ],
                    })
                    .collect(),
                empty: String::new(),
                pager: None,
            });
        }
        page.downloads = downloads(&c.q, "report", &REPORT_FORMATS, &[], "");
        html(StatusCode::OK, &page)
    })
    .await
}

/// A link carrying every pair of the query.
fn link_all(q: &Query, path: &str) -> String {
    let s: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(q.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .finish();
    format!("{path}?{s}")
}

/// The agency an occurrence is attributed to, and the one it was assigned
/// to when that differs (a reorganisation), as `kehoach tasks` shows them:
/// without it, a successor's row and the one it took over read alike.
fn answerable(plan: &Plan, agency: AgencyId, assigned: AgencyId, lang: Lang) -> String {
    let mut s = agency_label(plan, agency, lang);
    if assigned != agency {
        s.push('\n');
        s.push_str(&crate::render::assigned_note(plan, assigned, lang));
    }
    s
}

fn occurrence_row(c: &Ctx, cl: &Classified) -> Row {
    let plan = &c.plan;
    let occ = &plan.occurrences[cl.occurrence()];
    let task = &plan.tasks[occ.task()];
    let mut state = state_of(cl.eval.class, cl.eval.status, c.lang);
    if crate::report::evidence_missing(plan, cl, c.as_of) {
        state = format!("{state} — {}", labels(c.lang).no_evidence);
    }
    Row {
        class: class_css(cl.eval.class),
        cells: vec![
            link(task.id.clone(), c.q.link(&format!("/task/{}", task.id))),
            text(period(occ.label(), c.lang)),
            text(plan.task_title(occ.task(), c.lang)),
            lines(answerable(plan, cl.agency(), occ.lead(), c.lang)),
            text(deadline_text(plan, cl, c.lang)),
            text(state),
            text(last_update_text(cl, c.lang)),
        ],
    }
}

pub async fn agency(
    State(site): State<Arc<Site>>,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    with_plan(site, raw, "", move |c| {
        let Some(a) = c.plan.agency_by_code(&code) else {
            return refusal(StatusCode::NOT_FOUND, &Msg::PageNotFound, c.lang);
        };
        let chosen = match crate::commands::select_agencies(&c.plan, std::slice::from_ref(&code)) {
            Ok(x) => x,
            Err(f) => return refusal(StatusCode::BAD_REQUEST, &f.msg, c.lang),
        };
        let year = c.as_of.year();
        let classified = classify_all(&c.plan, c.as_of);
        let mut page = c.page(c.lang, "");
        page.title = agency_label(&c.plan, a, c.lang);
        page.subtitle = format!("({} {})", labels(c.lang).figures_as_of, date(c.as_of));
        let l = labels(c.lang);
        let items = due_items(&c.plan, &classified, c.as_of, 30, Some(&chosen));
        let here = format!("/agency/{}", c.plan.agencies[a].code);
        if !items.is_empty() && crate::report::nothing_reported(&c.plan, c.as_of) {
            page.notices.push(l.nothing_reported.to_string());
        }
        if !items.is_empty() {
            let caption = format!(
                "{} / {} ({}): {}",
                l.overdue_heading,
                l.due_soon_heading,
                l.due_within.replace("{}", "30"),
                labels::due_counts(&crate::report::DueCounts::of(&items), c.lang)
            );
            page.tables.push(due_table(&c, &items, &here, caption));
        }
        for k in [
            Class::InProgress,
            Class::Ongoing,
            Class::Late,
            Class::OnTime,
            Class::Cancelled,
            Class::OnRequest,
        ] {
            let of_class: Vec<&Classified> = classified
                .iter()
                .filter(|cl| chosen.contains(&cl.agency()) && cl.eval.class == k)
                .filter(|cl| c.plan.occurrences[cl.occurrence()].year() == year)
                .collect();
            let (range, pager) = paged(&c.q, &here, of_class.len(), c.lang);
            let rows: Vec<Row> = of_class
                .get(range)
                .unwrap_or_default()
                .iter()
                .map(|cl| occurrence_row(&c, cl))
                .collect();
            if !rows.is_empty() {
                page.tables.push(Table {
                    caption: labels::class_name(k, c.lang).to_string(),
                    headers: occurrence_headers(c.lang),
                    rows,
                    empty: String::new(),
                    pager,
                });
            }
        }
        if page.tables.is_empty() {
            page.notices.push(labels(c.lang).no_match.to_string());
        }
        let w = serve_words(c.lang);
        let code = c.plan.agencies[a].code.clone();
        page.downloads = downloads(&c.q, "report", &REPORT_FORMATS, &[("agency", &code)], "");
        page.downloads.extend(downloads(
            &c.q,
            "tasks",
            &LIST_FORMATS,
            &[("agency", &code)],
            w.task_list,
        ));
        if !items.is_empty() {
            page.downloads.extend(downloads(
                &c.q,
                "due",
                &DUE_FORMATS,
                &[("agency", &code)],
                w.due_list,
            ));
        }
        html(StatusCode::OK, &page)
    })
    .await
}

pub async fn task(
    State(site): State<Arc<Site>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    with_plan(site, raw, "", move |c| {
        let (plan, lang) = (&c.plan, c.lang);
        let Some(t) = plan.task_by_id(&id) else {
            return refusal(StatusCode::NOT_FOUND, &Msg::PageNotFound, lang);
        };
        let l = labels(lang);
        let w = serve_words(lang);
        let task = &plan.tasks[t];
        let mut page = c.page(lang, "");
        page.title = format!("{} {}: {}", l.task, task.id, plan.task_title(t, lang));
        page.subtitle = format!(
            "{}: {} · {} {}",
            l.lead,
            agency_label(plan, task.lead, lang),
            l.figures_as_of,
            date(c.as_of)
        );
        if c.q.get("recorded").is_some() {
            page.notices.push(w.recorded.into());
        }
        let classified: Vec<Classified> = task
            .occurrences
            .clone()
            .map(|o| crate::status::classify(plan, o, c.as_of))
            .collect();
        page.tables.push(Table {
            caption: w.occurrences_of.into(),
            headers: occurrence_headers(lang),
            rows: classified.iter().map(|cl| occurrence_row(&c, cl)).collect(),
            empty: l.no_occurrences.into(),
            pager: None,
        });
        let mut history = Vec::new();
        for o in task.occurrences.clone() {
            let occ = &plan.occurrences[o];
            for &i in plan.history(o) {
                let u = plan.update(i);
                let t = plan.text(i);
                history.push(Row {
                    class: None,
                    cells: vec![
                        text(date(u.date)),
                        text(period(occ.label(), lang)),
                        text(agency_label(plan, occ.lead(), lang)),
                        text(status_name(u.status, lang)),
                        num(u.percent.map(|p| format!("{p}%")).unwrap_or_default()),
                        text(t.by().unwrap_or("")),
                        text(t.evidence().unwrap_or("")),
                        text(t.note().unwrap_or("")),
                        text(u.new_due.map(date).unwrap_or_default()),
                        text(t.decision().unwrap_or("")),
                    ],
                });
            }
        }
        page.tables.push(Table {
            caption: w.history.into(),
            headers: vec![
                w.date.into(),
                w.period.into(),
                l.lead.into(),
                w.status.into(),
                w.percent.into(),
                w.by.into(),
                w.evidence.into(),
                w.note.into(),
                w.new_due.into(),
                w.decision.into(),
            ],
            rows: history,
            empty: l.not_reported.into(),
            pager: None,
        });
        if c.site.allow_record {
            let this_year = c.as_of.year();
            let mut periods: Vec<(String, String, bool)> = Vec::new();
            for o in task.occurrences.clone() {
                let label = plan.occurrences[o].label();
                let key = label.to_string();
                if !periods.iter().any(|(k, _, _)| *k == key) {
                    periods.push((key, period(label, lang), false));
                }
            }
            if let Some(p) = periods
                .iter_mut()
                .find(|(k, _, _)| k.starts_with(&this_year.to_string()))
            {
                p.2 = true;
            }
            let lead = &plan.agencies[task.lead];
            let members = lead
                .members
                .iter()
                .map(|&m| (plan.agencies[m].code.clone(), agency_label(plan, m, lang)))
                .collect();
            let statuses = Status::ALL
                .map(|s| (s.as_str(), status_name(s, lang)))
                .to_vec();
            page.record = Some(RecordForm {
                action: c.q.link("/record"),
                csrf: c.site.csrf.clone(),
                task: task.id.clone(),
                periods,
                members,
                statuses,
                today: crate::labels::date(c.site.today()),
            });
        }
        html(StatusCode::OK, &page)
    })
    .await
}

pub async fn due(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    with_plan(site, raw, "/due", move |c| {
        let (plan, lang) = (&c.plan, c.lang);
        let l = labels(lang);
        let within: u32 = c.q.get("within").and_then(|w| w.parse().ok()).unwrap_or(30);
        let classified = classify_all(plan, c.as_of);
        let items = due_items(plan, &classified, c.as_of, within, None);
        let mut page = c.page(lang, "/due");
        page.title = format!("{} / {}", l.overdue_heading, l.due_soon_heading);
        page.subtitle = format!(
            "({} {}; {})",
            l.figures_as_of,
            date(c.as_of),
            l.due_within.replace("{}", &within.to_string())
        );
        // The counts first, as `kehoach due` gives them.
        let counts = crate::report::DueCounts::of(&items);
        if crate::render::due::total_with_nothing_reported(plan, c.as_of, counts) {
            page.notices.push(l.nothing_reported.to_string());
        }
        let caption = if counts.total() > 0 {
            labels::due_in_all(&counts, lang)
        } else {
            String::new()
        };
        page.tables.push(due_table(&c, &items, "/due", caption));
        // The list itself, for the reminder sent to the agencies.
        page.downloads = downloads(&c.q, "due", &DUE_FORMATS, &[], serve_words(lang).due_list);
        html(StatusCode::OK, &page)
    })
    .await
}

/// What `kehoach due` lists, a page of it at a time, as a table.
fn due_table(c: &Ctx, items: &[crate::report::DueItem], here: &str, caption: String) -> Table {
    let (plan, lang) = (&c.plan, c.lang);
    let l = labels(lang);
    // Who must act now, as the list's CSV and workbook head it.
    let mut headers = vec![l.due_agency.to_string()];
    headers.extend(occurrence_headers(lang).into_iter().take(3));
    headers.push(capitalised(l.assigned_to));
    headers.extend([l.deadline.to_string(), l.status.to_string()]);
    let (range, pager) = paged(&c.q, here, items.len(), lang);
    let rows = items[range]
        .iter()
        .map(|item| {
            let occ = &plan.occurrences[item.occurrence()];
            let state = labels::due_state(item.days(), item.unreported, lang);
            Row {
                class: class_css(item.class),
                cells: vec![
                    link(
                        agency_label(plan, item.now(), lang),
                        c.q.link(&format!("/agency/{}", plan.agencies[item.now()].code)),
                    ),
                    link(
                        plan.tasks[occ.task()].id.clone(),
                        c.q.link(&format!("/task/{}", plan.tasks[occ.task()].id)),
                    ),
                    text(period(occ.label(), lang)),
                    text(plan.task_title(occ.task(), lang)),
                    text(agency_label(plan, occ.lead(), lang)),
                    text(deadline_words(item.deadline(c.as_of), item.extended, lang)),
                    lines(state),
                ],
            }
        })
        .collect();
    Table {
        caption,
        headers,
        rows,
        empty: l.nothing_due.into(),
        pager,
    }
}

pub async fn indicators(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    with_plan(site, raw, "/indicators", move |c| {
        let (plan, lang) = (&c.plan, c.lang);
        let il = labels::indicator_labels(lang);
        let years = match years_of(&c) {
            Ok(y) if c.q.get("year").is_some() => y,
            Ok(_) => all_years(plan),
            Err(r) => return *r,
        };
        let rows = indicator_rows(plan, c.as_of, &years, None)
            .iter()
            .map(|r| {
                let ind = &plan.indicators[r.indicator];
                Row {
                    class: None,
                    cells: vec![
                        num(r.year.to_string()),
                        text(format!("{} {}", ind.id, ind.title)),
                        text(agency_label(plan, ind.lead, lang)),
                        text(ind.unit.clone()),
                        num(r.target.map_or_else(
                            || "—".into(),
                            |t| format!("{} {}", ind.kind.sign(), labels::number(t, lang)),
                        )),
                        num(r
                            .value
                            .map_or_else(|| "—".into(), |x| labels::number(x, lang))),
                        text(labels::state_name(r.state, lang)),
                    ],
                }
            })
            .collect();
        let mut page = c.page(lang, "/indicators");
        page.title = il.heading.into();
        page.subtitle = format!("({} {})", labels(lang).figures_as_of, date(c.as_of));
        page.tables.push(Table {
            caption: String::new(),
            headers: crate::render::indicators::headers(lang)
                .map(String::from)
                .to_vec(),
            rows,
            empty: labels(lang).no_match.into(),
            pager: None,
        });
        page.downloads = downloads(
            &c.q,
            "indicators",
            &[("csv", "CSV"), ("json", "JSON"), ("markdown", "Markdown")],
            &[],
            "",
        );
        html(StatusCode::OK, &page)
    })
    .await
}

pub async fn agencies(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    with_plan(site, raw, "/agencies", move |c| {
        let (plan, lang) = (&c.plan, c.lang);
        let l = labels(lang);
        let took_over = crate::render::took_over(plan);
        let split_away = crate::render::split_away(plan);
        let rows = plan
            .agencies
            .iter()
            .zip(&took_over)
            .map(|(a, took)| Row {
                class: None,
                cells: vec![
                    link(a.code.clone(), c.q.link(&format!("/agency/{}", a.code))),
                    text(plan.agency_name(plan.agency_by_code(&a.code).unwrap_or(0), lang)),
                    text(
                        a.members
                            .iter()
                            .map(|&m| plan.agencies[m].code.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    lines(
                        took.iter()
                            .map(|(day, codes)| match crate::render::from_day(*day, lang) {
                                from if from.is_empty() => codes.join(", "),
                                from => format!("{} ({from})", codes.join(", ")),
                            })
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ),
                    text(a.until.map(date).unwrap_or_default()),
                    lines({
                        let mut to = a
                            .successor
                            .map(|s| agency_label(plan, s, lang))
                            .unwrap_or_default();
                        let me = plan.agency_by_code(&a.code).unwrap_or(0);
                        for (s, ids) in split_away.get(me).into_iter().flatten() {
                            let code = &plan.agencies[*s].code;
                            to.push_str(&format!("\n{} {}: {code}", l.task, ids.join(", ")));
                        }
                        to
                    }),
                ],
            })
            .collect();
        let mut page = c.page(lang, "/agencies");
        page.title = serve_words(lang).agencies.into();
        page.tables.push(Table {
            caption: String::new(),
            headers: vec![
                l.code.to_string(),
                l.agency_col.to_string(),
                l.members.to_string(),
                capitalised(l.took_over),
                capitalised(l.until),
                capitalised(l.successor.trim_end_matches(':')),
            ],
            rows,
            empty: String::new(),
            pager: None,
        });
        html(StatusCode::OK, &page)
    })
    .await
}

/// Runs a command of the command line for the API into `out`: its JSON,
/// or the refusal, or 503 with the problems of a broken plan.
fn api(
    site: &Site,
    q: &Query,
    args: Vec<String>,
    out: &mut dyn std::io::Write,
) -> Result<(), Box<Response>> {
    let lang = q.lang();
    let dir = site
        .plan_dir(q.get("plan"))
        .map_err(|(status, msg)| Box::new(refusal(status, &msg, lang.unwrap_or_default())))?;
    let mut args = args;
    if q.get("as_of").is_none()
        && let Some(d) = site.as_of
    {
        args.push("--as-of".into());
        args.push(d.format("%Y-%m-%d").to_string());
    }
    site.cli_into(&dir, lang, &args, out)
        .map_err(|unanswered| match unanswered {
            Unanswered::Refused(status, text) => Box::new((status, text).into_response()),
            Unanswered::Broken(_) => {
                let checked = site.loaded(&dir);
                let lang = lang.unwrap_or_else(|| crate::load::plan_lang(&dir.path));
                let problems = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    )],
                    problems_json(&checked.problems, lang),
                )
                    .into_response();
                Box::new(problems)
            }
        })
}

/// `key=value` options passed on as `--flag value`.
fn flags(q: &Query, names: &[(&str, &str)]) -> Vec<String> {
    let mut out = Vec::new();
    for (key, flag) in names {
        for v in q.all(key) {
            out.push(flag.to_string());
            out.push(v);
        }
    }
    out
}

/// Query fields and the flags they stand for: those of `report` and
/// `indicators`, of `tasks` and of `due` (`limit` last: the API takes it,
/// a download is the whole list).
const YEAR_FIELDS: &[(&str, &str)] = &[
    ("year", "--year"),
    ("as_of", "--as-of"),
    ("agency", "--agency"),
];
const TASKS_FIELDS: &[(&str, &str)] = &[
    ("year", "--year"),
    ("as_of", "--as-of"),
    ("agency", "--agency"),
    ("group", "--group"),
    ("status", "--status"),
    ("search", "--search"),
    ("limit", "--limit"),
];

const DUE_FIELDS: &[(&str, &str)] = &[
    ("as_of", "--as-of"),
    ("agency", "--agency"),
    ("within", "--within"),
    ("limit", "--limit"),
];

pub async fn api_report(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    api_json(site, raw, "report", YEAR_FIELDS).await
}

pub async fn api_tasks(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    api_json(site, raw, "tasks", TASKS_FIELDS).await
}

pub async fn api_due(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    api_json(site, raw, "due", DUE_FIELDS).await
}

pub async fn api_indicators(State(site): State<Arc<Site>>, RawQuery(raw): RawQuery) -> Response {
    api_json(site, raw, "indicators", YEAR_FIELDS).await
}

/// `/api/COMMAND`: what `kehoach COMMAND --format json` prints, the query's
/// `fields` given as their flags; sent as it is written when it is long.
async fn api_json(
    site: Arc<Site>,
    raw: Option<String>,
    command: &'static str,
    fields: &'static [(&'static str, &'static str)],
) -> Response {
    let q = Query::from(raw);
    let mut args: Vec<String> = [command, "--format", "json"].map(String::from).to_vec();
    args.extend(flags(&q, fields));
    let answer = stream::answer(b"", move |out| api(&site, &q, args, out)).await;
    match answer {
        Ok(answer) => (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            answer.body(),
        )
            .into_response(),
        Err(refused) => *refused,
    }
}

/// The report as a file, in any format `report` writes.
pub async fn download(
    State(site): State<Arc<Site>>,
    Path(what): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let q = Query::from(raw);
    let lang = q.lang().unwrap_or_default();
    // What each command can write, its options from the query, and the
    // file's name.
    let (formats, options, stem): (&[&str], &[(&str, &str)], &str) = match what.as_str() {
        "report" => (
            &["xlsx", "docx", "html", "csv", "json", "markdown"],
            YEAR_FIELDS,
            "bao-cao",
        ),
        "tasks" => (
            &["csv", "json"],
            TASKS_FIELDS
                .split_last()
                .map_or(TASKS_FIELDS, |(_, rest)| rest),
            "nhiem-vu",
        ),
        "indicators" => (&["csv", "json", "markdown"], YEAR_FIELDS, "chi-tieu"),
        "due" => (
            &["xlsx", "csv", "json"],
            DUE_FIELDS.split_last().map_or(DUE_FIELDS, |(_, rest)| rest),
            "don-doc",
        ),
        _ => return refusal(StatusCode::NOT_FOUND, &Msg::PageNotFound, lang),
    };
    let format = q.get("format").unwrap_or(formats[0]).to_string();
    if !formats.contains(&format.as_str()) {
        return refusal(StatusCode::BAD_REQUEST, &Msg::PageNotFound, lang);
    }
    let (mime, ext) = match format.as_str() {
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        "html" => ("text/html; charset=utf-8", "html"),
        "csv" => ("text/csv; charset=utf-8", "csv"),
        "json" => ("application/json", "json"),
        _ => ("text/markdown; charset=utf-8", "md"),
    };
    let mut args: Vec<String> = vec![what.clone(), "--format".into(), format.clone()];
    args.extend(flags(&q, options));
    if q.get("as_of").is_none()
        && let Some(d) = site.as_of
    {
        args.push("--as-of".into());
        args.push(d.format("%Y-%m-%d").to_string());
    }
    // bao-cao-2024-SCT.xlsx: ASCII, so every browser keeps it.
    let mut name = stem.to_string();
    for key in ["year", "agency", "status"] {
        if let Some(v) = q.get(key) {
            name.push('-');
            name.extend(
                v.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_'),
            );
        }
    }
    let disposition = format!("attachment; filename=\"{name}.{ext}\"");
    // CSV as `--output` writes it: after a BOM, for Excel on Windows.
    let bom: &[u8] = if ext == "csv" { b"\xEF\xBB\xBF" } else { b"" };
    let answer = stream::answer(bom, move |out| {
        let dir = site
            .plan_dir(q.get("plan"))
            .map_err(|(status, msg)| Box::new(refusal(status, &msg, lang)))?;
        site.cli_into(&dir, q.lang(), &args, out)
            .map_err(|unanswered| {
                Box::new(match unanswered {
                    Unanswered::Refused(status, text) => (status, text).into_response(),
                    Unanswered::Broken(text) => {
                        (StatusCode::SERVICE_UNAVAILABLE, text).into_response()
                    }
                })
            })
    })
    .await;
    let mut r = match answer {
        Ok(answer) => (StatusCode::OK, answer.body()).into_response(),
        Err(refused) => return *refused,
    };
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// Download links to `/download/WHAT` in each format, with the page's
/// query and `extra` pairs.
fn downloads(
    q: &Query,
    what: &str,
    formats: &[(&str, &str)],
    extra: &[(&str, &str)],
    prefix: &str,
) -> Vec<Download> {
    formats
        .iter()
        .map(|(f, label)| {
            let mut q2 = q.clone();
            q2.pairs
                .retain(|(k, _)| k != "format" && k != "page" && k != "recorded");
            q2.pairs.push(("format".into(), (*f).into()));
            for (k, v) in extra {
                q2.pairs.retain(|(key, _)| key != k);
                q2.pairs.push(((*k).into(), (*v).into()));
            }
            Download {
                href: link_all(&q2, &format!("/download/{what}")),
                label: if prefix.is_empty() {
                    (*label).to_string()
                } else {
                    format!("{prefix} ({label})")
                },
            }
        })
        .collect()
}

const LIST_FORMATS: [(&str, &str); 2] = [("csv", "CSV"), ("json", "JSON")];

const DUE_FORMATS: [(&str, &str); 3] =
    [("xlsx", "Excel (.xlsx)"), ("csv", "CSV"), ("json", "JSON")];

const REPORT_FORMATS: [(&str, &str); 5] = [
    ("xlsx", "Excel (.xlsx)"),
    ("docx", "Word (.docx)"),
    ("html", "HTML"),
    ("csv", "CSV"),
    ("json", "JSON"),
];

/// `POST /record`: the form of a task page, through `kehoach record`.
pub async fn record(
    State(site): State<Arc<Site>>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    blocking(move || {
        let q = Query::from(raw);
        let lang = q.lang().or(site.lang).unwrap_or_default();
        if !site.allow_record {
            return refusal(StatusCode::FORBIDDEN, &Msg::RecordNotAllowed, lang);
        }
        let fields = form_pairs(&String::from_utf8_lossy(&body));
        let field = |k: &str| {
            fields
                .iter()
                .find(|(key, v)| key == k && !v.is_empty())
                .map(|(_, v)| v.clone())
        };
        if !field("csrf").is_some_and(|v| super::same(&v, &site.csrf)) {
            return refusal(StatusCode::FORBIDDEN, &Msg::CsrfRefused, lang);
        }
        let Some(task) = field("task") else {
            return refusal(
                StatusCode::BAD_REQUEST,
                &Msg::RecordField {
                    field: "task".into(),
                    value: String::new(),
                    detail: labels(lang).task.to_string(),
                },
                lang,
            );
        };
        let mut args: Vec<String> = vec!["record".into(), task.clone()];
        for (key, flag) in [
            ("period", "--period"),
            ("agency", "--agency"),
            ("status", "--status"),
            ("date", "--date"),
            ("percent", "--percent"),
            ("by", "--by"),
            ("evidence", "--evidence"),
            ("note", "--note"),
            ("new_due", "--new-due"),
            ("decision", "--decision"),
        ] {
            if let Some(v) = field(key) {
                args.push(flag.into());
                args.push(v);
            }
        }
        let dir = match site.plan_dir(q.get("plan")) {
            Ok(d) => d,
            Err((status, msg)) => return refusal(status, &msg, lang),
        };
        let ran = site.cli(&dir, q.lang(), &args);
        site.forget(&dir);
        match ran {
            Ok(_) => {
                let mut back = q.clone();
                back.pairs.push(("recorded".into(), "1".into()));
                let location = link_all(&back, &format!("/task/{}", urlencode(&task)));
                let mut r = StatusCode::SEE_OTHER.into_response();
                if let Ok(v) = HeaderValue::from_str(&location) {
                    r.headers_mut().insert(header::LOCATION, v);
                }
                r
            }
            Err(Unanswered::Refused(status, text)) => (status, text).into_response(),
            Err(Unanswered::Broken(text)) => {
                (StatusCode::SERVICE_UNAVAILABLE, text).into_response()
            }
        }
    })
    .await
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
