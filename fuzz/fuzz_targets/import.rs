//! Arbitrary bytes as a returned agency form: reading it must give a form
//! or problems, never panic, and never take more memory than the fuzzer's
//! limit. Three inputs in four are a real form with bytes changed — as
//! written (.xlsx), or saved back by LibreOffice as .ods or .xls
//! (`fuzz/seeds/`, which import refuses by their first bytes) — so the
//! fuzzer reaches past the zip layer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn seed() -> &'static [u8] {
    static FORM: OnceLock<Vec<u8>> = OnceLock::new();
    FORM.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/demo");
        let checked = kehoach::validate::load_plan(&dir, "demo", &kehoach::cache::Cache::Off);
        let Some(plan) = checked.plan else { return Vec::new() };
        let as_of = kehoach::NaiveDate::from_ymd_opt(2024, 6, 10).expect("date");
        let classified = kehoach::status::classify_all(&plan, as_of);
        let agency = plan.agency_by_code("HOI").expect("HOI");
        let rows: Vec<_> = classified
            .iter()
            .filter(|c| c.agency() == agency && plan.occurrences[c.occurrence()].year() == 2024)
            .collect();
        let view = kehoach::render::form::FormView { plan: &plan, agency, year: 2024, as_of, lang: plan.lang, rows: &rows };
        kehoach::render::form::workbook(&view).unwrap_or_default()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let bytes = if mode % 4 == 0 {
        rest.to_vec()
    } else {
        // Overwrite some bytes of a real form.
        let mut form = match mode % 4 {
            1 => seed().to_vec(),
            2 => include_bytes!("../seeds/phieu.ods").to_vec(),
            _ => include_bytes!("../seeds/phieu.xls").to_vec(),
        };
        for chunk in rest.chunks(3) {
            if let [a, b, v] = chunk
                && !form.is_empty()
            {
                let at = (usize::from(*a) << 8 | usize::from(*b)) % form.len();
                form[at] = *v;
            }
        }
        form
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("phieu.xlsx");
    std::fs::write(&path, &bytes).expect("write");
    let _ = kehoach::load::form::read(&path, &["Phiếu báo cáo", "Report form"]);
});
