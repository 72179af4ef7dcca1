//! plan.toml: the plan's identity, period, language, legal bases, task
//! groups and the values documents print (§2).

use super::{Ctx, FastMap, Head};
use crate::load::RawPlan;
use crate::messages::{Msg, Place, Thing};
use crate::model::{Basis, FileId, Group, Lang, ReportInfo};
use toml::Spanned;

#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Header {
    /// Date of issue and period, when all three are valid.
    pub head: Option<Head>,
    pub lang: Lang,
    pub groups: Groups,
    pub basis: Vec<Basis>,
    pub report_info: ReportInfo,
}

/// The task groups and their ids.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Groups {
    pub list: Vec<Group>,
    pub index: FastMap<String, usize>,
}

impl Groups {
    /// The group a task or an indicator names, as `group = "…"` at its
    /// place in `file`; an error when plan.toml has no such group. A name
    /// with spaces around a group's id gets the line to write, and is read
    /// on as that group.
    pub fn find(&self, ctx: &mut Ctx, file: FileId, named: &Spanned<String>) -> Option<usize> {
        let id = named.get_ref();
        if let Some(&i) = self.index.get(id) {
            return Some(i);
        }
        let meant = self.index.get_key_value(id.trim());
        let known: Vec<String> = self.list.iter().map(|g| format!("\"{}\"", g.id)).collect();
        ctx.err(
            file,
            named.span().start,
            Msg::UnknownGroup {
                id: id.clone(),
                known: known.join(", "),
                fix: meant.map(|(m, _)| m.clone()),
            },
        );
        meant.map(|(_, &i)| i)
    }
}

pub(crate) fn check(ctx: &mut Ctx, file: FileId, p: &RawPlan) -> Header {
    ctx.text(file, "id", &p.id);
    ctx.text(file, "title", &p.title);
    let issued = p.issued.as_ref().and_then(|d| ctx.date(file, "issued", d));
    let first = p
        .first_year
        .as_ref()
        .and_then(|y| year(ctx, file, "first_year", y));
    let last = p
        .last_year
        .as_ref()
        .and_then(|y| year(ctx, file, "last_year", y));
    let mut head = None;
    if let (Some(f), Some(l)) = (first, last) {
        if f > l {
            if let Some(y) = &p.first_year {
                ctx.err(
                    file,
                    y.span().start,
                    Msg::PeriodBackwards { first: f, last: l },
                );
            }
        } else if let Some(issued) = issued {
            head = Some(Head {
                issued,
                first_year: f,
                last_year: l,
            });
        }
    }
    let lang = match &p.lang {
        None => Lang::Vi,
        Some(l) => match l.get_ref().as_str() {
            "vi" => Lang::Vi,
            "en" => Lang::En,
            other => {
                ctx.err(
                    file,
                    l.span().start,
                    Msg::UnknownLang {
                        found: other.to_string(),
                    },
                );
                Lang::Vi
            }
        },
    };
    if p.group.is_empty() {
        ctx.err(file, 0, Msg::NoGroups);
    }
    let mut groups = Groups::default();
    let mut first_at: FastMap<String, usize> = FastMap::default();
    for g in &p.group {
        let (Some(id), Some(title)) = (
            ctx.text(file, "id", &g.id),
            ctx.text(file, "title", &g.title),
        ) else {
            continue;
        };
        let at = g.id.as_ref().map_or(0, |s| s.span().start);
        // Spaces around an id are a slip: said once, and the group known
        // by the id meant, so that its tasks are not refused too.
        let id = match id.trim() {
            meant if meant != id && !meant.is_empty() => {
                ctx.err(
                    file,
                    at,
                    Msg::SpacesAroundId {
                        thing: Thing::Group,
                        id: id.clone(),
                        fix: meant.to_string(),
                    },
                );
                meant.to_string()
            }
            _ => id,
        };
        if let Some(&first) = first_at.get(&id) {
            ctx.err(
                file,
                at,
                Msg::DuplicateId {
                    thing: Thing::Group,
                    id,
                    first: Place::Offset { file, at: first },
                },
            );
            continue;
        }
        first_at.insert(id.clone(), at);
        groups.index.insert(id.clone(), groups.list.len());
        groups.list.push(Group {
            id,
            title,
            title_en: g.title_en.clone(),
        });
    }
    let basis = p
        .basis
        .iter()
        .filter_map(|b| {
            let reference = ctx.text(file, "ref", &b.reference)?;
            Some(Basis {
                reference,
                date: b.date.as_ref().and_then(|d| ctx.date(file, "date", d)),
                title: b.title.clone(),
            })
        })
        .collect();
    let report_info = p
        .report
        .as_ref()
        .map(|r| ReportInfo {
            recipients: r.recipients.clone(),
            signer_title: r.signer_title.clone(),
            signer: r.signer.clone(),
        })
        .unwrap_or_default();
    Header {
        head,
        lang,
        groups,
        basis,
        report_info,
    }
}

/// A plan year: four digits.
fn year(ctx: &mut Ctx, file: FileId, key: &str, v: &Spanned<i64>) -> Option<i32> {
    let y = *v.get_ref();
    if (1000..=9999).contains(&y) {
        Some(y as i32)
    } else {
        ctx.err(
            file,
            v.span().start,
            Msg::NotAYear {
                key: key.to_string(),
                found: y,
            },
        );
        None
    }
}
