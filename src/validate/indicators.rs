//! indicators.toml (§8): ids, reporting agency (not a group), kind and
//! targets per plan year.

use super::agencies::Agencies;
use super::header::Groups;
use super::{Ctx, FastMap, Head, Known};
use crate::load::RawIndicators;
use crate::messages::{Msg, Place, Role, Thing};
use crate::model::{FileId, Indicator, IndicatorKind, Measure};

#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Indicators {
    pub list: Vec<Indicator>,
    pub index: FastMap<String, Known<usize>>,
    #[serde(skip)]
    first_at: FastMap<String, (FileId, usize)>,
}

impl Indicators {
    pub fn check_file(
        &mut self,
        ctx: &mut Ctx,
        file: FileId,
        raw: &RawIndicators,
        groups: Option<&Groups>,
        agencies: &mut Agencies,
        head: Option<Head>,
    ) {
        for r in &raw.indicator {
            let Some(id_s) = &r.id else { continue };
            let at = id_s.span().start;
            let written = id_s.get_ref();
            let fixed = super::checked_id(ctx, file, at, Thing::Indicator, written);
            let id = fixed.as_ref().unwrap_or(written);
            let title = ctx.text(file, "title", &r.title);
            let unit = ctx.text(file, "unit", &r.unit);
            let duplicate = match self.first_at.get(id) {
                Some(&(f, first)) => {
                    ctx.err(
                        file,
                        at,
                        Msg::DuplicateId {
                            thing: Thing::Indicator,
                            id: id.clone(),
                            first: Place::Offset { file: f, at: first },
                        },
                    );
                    true
                }
                None => {
                    self.first_at.insert(id.clone(), (file, at));
                    false
                }
            };
            let lead = r.lead.as_ref().and_then(|l| {
                let a = agencies.resolve(ctx, file, Role::Lead, l)?;
                if agencies.list[a].is_group() {
                    ctx.err(
                        file,
                        l.span().start,
                        Msg::IndicatorLedByGroup {
                            code: l.get_ref().clone(),
                        },
                    );
                    return None;
                }
                Some(a)
            });
            let group = group_of(ctx, file, r, groups);
            let kind = match r.kind.as_ref() {
                None => Some(IndicatorKind::AtLeast),
                Some(k) => match k.get_ref().as_str() {
                    "at_least" => Some(IndicatorKind::AtLeast),
                    "at_most" => Some(IndicatorKind::AtMost),
                    other => {
                        ctx.err(
                            file,
                            k.span().start,
                            Msg::UnknownIndicatorKind {
                                found: other.to_string(),
                            },
                        );
                        None
                    }
                },
            };
            let targets = targets(ctx, file, at, id, r, head);
            match (lead, group, kind, targets, title, unit, duplicate) {
                (
                    Some(lead),
                    Some(group),
                    Some(kind),
                    Some(targets),
                    Some(title),
                    Some(unit),
                    false,
                ) => {
                    self.index.insert(id.clone(), Known::Valid(self.list.len()));
                    self.list.push(Indicator {
                        id: id.clone(),
                        title,
                        unit,
                        lead,
                        group,
                        kind,
                        targets,
                        measures: Vec::new(),
                    });
                }
                (.., false) => {
                    self.index.insert(id.clone(), Known::Broken);
                }
                _ => {}
            }
        }
    }

    /// Lists each indicator's measurements, by date then load order.
    pub fn attach(&mut self, measures: &mut [Measure]) {
        for (i, m) in measures.iter().enumerate() {
            self.list[m.indicator].measures.push(i);
        }
        for ind in &mut self.list {
            ind.measures.sort_by_key(|&i| measures[i].date);
        }
    }
}

/// The group an indicator belongs to: `Some(None)` for none, `None` when
/// it names an unknown one (reported).
fn group_of(
    ctx: &mut Ctx,
    file: FileId,
    r: &crate::load::RawIndicator,
    groups: Option<&Groups>,
) -> Option<Option<usize>> {
    match (&r.group, groups) {
        (None, _) => Some(None),
        (Some(g), Some(groups)) => groups.find(ctx, file, g).map(Some),
        (Some(_), None) => None,
    }
}

/// `target` for every plan year, or `targets` per year.
fn targets(
    ctx: &mut Ctx,
    file: FileId,
    at: usize,
    id: &str,
    r: &crate::load::RawIndicator,
    head: Option<Head>,
) -> Option<Vec<Option<f64>>> {
    let years = head.map(|h| (h.last_year - h.first_year + 1) as usize);
    match (&r.target, &r.targets) {
        (Some(_), Some(t)) => {
            ctx.err(
                file,
                t.span().start,
                Msg::TargetAndTargets { id: id.to_string() },
            );
            None
        }
        (None, None) => {
            ctx.err(file, at, Msg::NoTarget { id: id.to_string() });
            None
        }
        (Some(t), None) => {
            if !t.get_ref().is_finite() {
                ctx.err(
                    file,
                    t.span().start,
                    Msg::NotFinite {
                        key: "target".into(),
                    },
                );
                return None;
            }
            Some(vec![Some(*t.get_ref()); years?])
        }
        (None, Some(map)) => {
            let mut per_year = years.map(|n| vec![None; n]);
            let mut ok = true;
            for (year, value) in map.get_ref() {
                let parsed = year
                    .get_ref()
                    .parse::<i32>()
                    .ok()
                    .filter(|_| year.get_ref().len() == 4);
                match (parsed, head) {
                    (None, _) => {
                        ctx.err(
                            file,
                            year.span().start,
                            Msg::TargetKeyNotYear {
                                found: year.get_ref().clone(),
                            },
                        );
                        ok = false;
                    }
                    (Some(y), Some(h)) if y < h.first_year || y > h.last_year => {
                        ctx.err(
                            file,
                            year.span().start,
                            Msg::YearOutsidePeriod {
                                year: i64::from(y),
                                first: h.first_year,
                                last: h.last_year,
                            },
                        );
                        ok = false;
                    }
                    (Some(y), Some(h)) => {
                        if !value.get_ref().is_finite() {
                            ctx.err(
                                file,
                                value.span().start,
                                Msg::NotFinite {
                                    key: "targets".into(),
                                },
                            );
                            ok = false;
                        } else if let Some(v) = per_year.as_mut() {
                            v[(y - h.first_year) as usize] = Some(*value.get_ref());
                        }
                    }
                    (Some(_), None) => {}
                }
            }
            per_year.filter(|_| ok)
        }
    }
}
