//! agencies.toml: codes, names, reorganisation (`until`, `successor`, §9)
//! and groups (`members`, §11); and how every other file refers to an
//! agency (`Agencies::resolve`).

use super::{Ctx, FastMap, Known, valid_code};
use crate::load::{RawAgencies, S};
use crate::messages::{Msg, Place, Role};
use crate::model::{Agency, AgencyId, FileId};

#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Agencies {
    pub list: Vec<Agency>,
    pub index: FastMap<String, Known<AgencyId>>,
    /// Lower-case codes, to tell a case slip from an unknown code.
    lower: FastMap<String, AgencyId>,
    pub(crate) successor_of: Vec<Option<AgencyId>>,
    /// agencies.toml could not be read: references are not reported.
    unreadable: bool,
}

impl Agencies {
    pub fn unreadable() -> Agencies {
        Agencies {
            list: Vec::new(),
            index: FastMap::default(),
            lower: FastMap::default(),
            successor_of: Vec::new(),
            unreadable: true,
        }
    }

    /// The agency a code in a file names, or `None` after reporting why.
    pub fn resolve(
        &self,
        ctx: &mut Ctx,
        file: FileId,
        role: Role,
        code: &S<String>,
    ) -> Option<AgencyId> {
        let c = code.get_ref();
        match self.index.get(c) {
            Some(Known::Valid(id)) => return Some(*id),
            Some(Known::Broken) => return None,
            None if self.unreadable => return None,
            None => {}
        }
        let at = code.span().start;
        match self.lower.get(&c.to_ascii_lowercase()) {
            Some(&id) => ctx.err(
                file,
                at,
                Msg::AgencyCaseMismatch {
                    code: c.clone(),
                    role,
                    meant: self.list[id].code.clone(),
                },
            ),
            None => ctx.err(file, at, {
                let named = self.named(c);
                let suggestion = match &named[..] {
                    [one] => Some(one.clone()),
                    [] => crate::messages::nearest(c, self.list.iter().map(|a| a.code.as_str())),
                    _ => None,
                };
                Msg::UnknownAgency {
                    code: c.clone(),
                    role,
                    suggestion,
                    // Several agencies of that name (one before a
                    // reorganisation, one after): each is named.
                    named: if named.len() > 1 { named } else { Vec::new() },
                }
            }),
        }
        None
    }

    /// The codes of the agencies whose name `written` is (or else whose
    /// names begin with it: "Sở Công Thương" for "Sở Công Thương tỉnh Bình
    /// Dương"), in any case and with or without diacritics — a name
    /// written where a code is meant. At most four.
    fn named(&self, written: &str) -> Vec<String> {
        let w = crate::text::fold(written);
        if w.chars().count() < 4 {
            return Vec::new();
        }
        let names = |a: &Agency| {
            [Some(&a.name), a.name_en.as_ref()]
                .into_iter()
                .flatten()
                .map(|n| crate::text::fold(n))
                .collect::<Vec<_>>()
        };
        let codes = |keep: &dyn Fn(&str) -> bool| -> Vec<String> {
            self.list
                .iter()
                .filter(|a| names(a).iter().any(|n| keep(n)))
                .map(|a| a.code.clone())
                .collect()
        };
        let mut found = codes(&|n| n == w);
        if found.is_empty() {
            found = codes(&|n| n.strip_prefix(&w).is_some_and(|r| r.starts_with(' ')));
        }
        if found.len() > 4 {
            found.clear();
        }
        found
    }

    /// Puts the checked successor links into the agencies.
    pub fn finish(&mut self) {
        for (agency, successor) in self.list.iter_mut().zip(&self.successor_of) {
            agency.successor = *successor;
        }
    }
}

pub(crate) fn check(ctx: &mut Ctx, file: FileId, raw: &RawAgencies, unreadable: bool) -> Agencies {
    let mut a = Agencies {
        list: Vec::new(),
        index: FastMap::default(),
        lower: FastMap::default(),
        successor_of: Vec::new(),
        unreadable,
    };
    let mut first_at: FastMap<String, usize> = FastMap::default();
    // Raw tables that made an agency, with its id.
    let mut made = Vec::new();
    for r in &raw.agency {
        let Some(code) = &r.code else { continue };
        let at = code.span().start;
        let written = code.get_ref();
        let name = ctx.text(file, "name", &r.name);
        // A code with spaces around it (`"SCT "`) is an error, and read on
        // as the code it was meant to be, so that every task naming SCT
        // is not refused too.
        let meant = written.trim();
        let c = if valid_code(written) {
            written
        } else {
            let fix = (valid_code(meant) && meant != written).then(|| meant.to_string());
            ctx.err(
                file,
                at,
                Msg::BadAgencyCode {
                    code: written.clone(),
                    fix: fix.clone(),
                },
            );
            &fix.unwrap_or_else(|| written.clone())
        };
        if let Some(&first) = first_at.get(c) {
            ctx.err(
                file,
                at,
                Msg::DuplicateAgency {
                    code: c.clone(),
                    first: Place::Offset { file, at: first },
                },
            );
        } else if let Some(&other) = a.lower.get(&c.to_ascii_lowercase()) {
            ctx.err(
                file,
                at,
                Msg::CodeDiffersInCase {
                    code: c.clone(),
                    other: a.list[other].code.clone(),
                },
            );
        }
        let until = r.until.as_ref().and_then(|d| ctx.date(file, "until", d));
        match (&r.until, &r.successor) {
            (Some(u), None) => ctx.err(
                file,
                u.span().start,
                Msg::UntilWithoutSuccessor { code: c.clone() },
            ),
            (None, Some(_)) => ctx.err(file, at, Msg::SuccessorWithoutUntil { code: c.clone() }),
            _ => {}
        }
        if let Some(m) = &r.members {
            if m.get_ref().is_empty() {
                ctx.err(
                    file,
                    m.span().start,
                    Msg::GroupWithoutMembers { code: c.clone() },
                );
            } else if r.until.is_some() || r.successor.is_some() {
                ctx.err(
                    file,
                    m.span().start,
                    Msg::GroupReorganised { code: c.clone() },
                );
            }
        }
        let id = a.list.len();
        first_at.entry(c.clone()).or_insert(at);
        a.index.entry(c.clone()).or_insert(if name.is_some() {
            Known::Valid(id)
        } else {
            Known::Broken
        });
        a.lower.entry(c.to_ascii_lowercase()).or_insert(id);
        a.list.push(Agency {
            code: c.clone(),
            name: name.unwrap_or_default(),
            name_en: r.name_en.clone(),
            kind: r.kind.clone(),
            until,
            successor: None,
            members: Vec::new(),
            parent: r.parent.clone(),
            place: r.place.clone(),
        });
        made.push((r, id));
    }
    a.successor_of = vec![None; a.list.len()];
    for &(r, id) in &made {
        if let Some(s) = &r.successor {
            if s.get_ref() == &a.list[id].code {
                ctx.err(
                    file,
                    s.span().start,
                    Msg::OwnSuccessor {
                        code: a.list[id].code.clone(),
                    },
                );
            } else if let Some(succ) = a.resolve(ctx, file, Role::Successor, s) {
                a.successor_of[id] = Some(succ);
            }
        }
        if let Some(m) = &r.members {
            let members = check_members(ctx, file, &a, id, m.get_ref());
            a.list[id].members = members;
        }
    }
    report_loops(ctx, file, &a, &made);
    a
}

/// A group's members: known agencies, not groups themselves, no repeats.
fn check_members(
    ctx: &mut Ctx,
    file: FileId,
    a: &Agencies,
    group: AgencyId,
    raw: &[S<String>],
) -> Vec<AgencyId> {
    let mut members: Vec<AgencyId> = Vec::new();
    for (i, m) in raw.iter().enumerate() {
        if raw[..i].iter().any(|o| o.get_ref() == m.get_ref()) {
            ctx.err(
                file,
                m.span().start,
                Msg::MemberTwice {
                    member: m.get_ref().clone(),
                },
            );
            continue;
        }
        let Some(id) = a.resolve(ctx, file, Role::Member, m) else {
            continue;
        };
        if id == group {
            ctx.err(
                file,
                m.span().start,
                Msg::MemberIsGroup {
                    member: m.get_ref().clone(),
                    group: a.list[group].code.clone(),
                },
            );
            continue;
        }
        members.push(id);
    }
    members
}

/// Members that are groups, and successor chains that do not end. Each
/// loop is reported once, at its first agency in file order.
fn report_loops(
    ctx: &mut Ctx,
    file: FileId,
    a: &Agencies,
    made: &[(&crate::load::RawAgency, AgencyId)],
) {
    for &(r, id) in made {
        if let Some(m) = &r.members {
            for code in m.get_ref() {
                if let Some(Known::Valid(member)) = a.index.get(code.get_ref())
                    && *member != id
                    && a.list[*member].is_group()
                {
                    ctx.err(
                        file,
                        code.span().start,
                        Msg::MemberIsGroup {
                            member: code.get_ref().clone(),
                            group: a.list[id].code.clone(),
                        },
                    );
                }
            }
        }
    }
    let n = a.successor_of.len();
    for &(r, start) in made {
        let mut chain = vec![start];
        let mut current = start;
        let mut in_loop = false;
        for _ in 0..n {
            match a.successor_of[current] {
                Some(next) if next == start => {
                    in_loop = true;
                    break;
                }
                Some(next) => {
                    current = next;
                    chain.push(next);
                }
                None => break,
            }
        }
        if in_loop && chain.iter().all(|&m| m >= start) {
            let at = r
                .successor
                .as_ref()
                .or(r.code.as_ref())
                .map_or(0, |s| s.span().start);
            chain.push(start);
            let codes: Vec<&str> = chain.iter().map(|&i| a.list[i].code.as_str()).collect();
            ctx.err(
                file,
                at,
                Msg::SuccessorLoop {
                    chain: codes.join(" → "),
                },
            );
        }
    }
}
