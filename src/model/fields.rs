//! Reading front matter fields into typed values, loosely where real repos are loose
//! (a number where a list is expected, a comma-separated list) and with a precise
//! diagnostic where a value cannot mean anything.

use super::metric::{self, Verdict};
use super::{MetricGoal, Rice, Written};
use crate::config::Kind;
use crate::diagnostic::{Diagnostic, Rule};
use crate::parse::meta::{Entry, Map, Node, Origin, Value};
use jiff::civil::Date;

/// A reader over one document's front matter that remembers which fields were used.
pub struct Fields<'a> {
    map: &'a Map,
    file: &'a str,
    used: Vec<bool>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map, file: &'a str) -> Self {
        Fields {
            map,
            file,
            used: vec![false; map.entries.len()],
            diagnostics: Vec::new(),
        }
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// The entry for `key` (case-insensitive), marked as used.
    pub fn entry(&mut self, key: &str) -> Option<&'a Entry> {
        let i = self
            .map
            .entries
            .iter()
            .position(|e| e.key.eq_ignore_ascii_case(key))?;
        self.used[i] = true;
        let entry = &self.map.entries[i];
        (!entry.value.is_null()).then_some(entry)
    }

    /// Which source gave `key`, if any did.
    pub fn origin(&self, key: &str) -> Option<Origin> {
        self.map
            .entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
            .map(|e| e.origin)
    }

    /// The rule for a value that cannot be read: `data_rule` for front matter and
    /// sidecar files, `invalid-metadata` (a warning) for metadata read from prose or a
    /// file name, which the author did not write as data.
    fn rule_for(&self, key: &str, data_rule: Rule) -> Rule {
        match self.origin(key) {
            Some(o) if !o.is_data() => Rule::InvalidMetadata,
            _ => data_rule,
        }
    }

    fn wrong_type(&mut self, entry: &Entry, expected: &str, example: &str) {
        let d = Diagnostic::new(
            self.rule_for(&entry.key, Rule::InvalidField),
            self.file,
            format!(
                "`{}` should be {expected}, but it is {}",
                entry.key,
                entry.value.shape()
            ),
        )
        .at(entry.value.pos)
        .help(format!("write it like `{}: {example}`", entry.key));
        self.report(d);
    }

    /// A single text value. A list of one item is accepted.
    pub fn text(&mut self, key: &str) -> Option<Written> {
        let entry = self.entry(key)?;
        match &entry.value.value {
            Value::Scalar(s) => Some(Written {
                text: s.trim().to_string(),
                pos: entry.value.pos,
            }),
            Value::List(items) if items.len() == 1 && items[0].scalar().is_some() => {
                Some(Written {
                    text: items[0].scalar().unwrap_or_default().trim().to_string(),
                    pos: items[0].pos,
                })
            }
            _ => {
                self.wrong_type(entry, "a single value", "some text");
                None
            }
        }
        .filter(|w| !w.text.is_empty())
    }

    /// A list of text values (a list, one value, or comma-separated values).
    pub fn list(&mut self, key: &str) -> Vec<Written> {
        let Some(entry) = self.entry(key) else {
            return Vec::new();
        };
        match entry.value.text_list() {
            Ok(items) => items
                .into_iter()
                .map(|(text, pos)| Written { text, pos })
                .collect(),
            Err(_) => {
                self.wrong_type(entry, "a list", "[a, b]");
                Vec::new()
            }
        }
    }

    /// Relation targets: the local links written in the value when it has some
    /// (metadata read from markdown), else its items as text.
    pub fn targets(&mut self, key: &str) -> Vec<Written> {
        let links = self
            .map
            .entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
            .map(|e| &e.value.links)
            .filter(|l| !l.is_empty());
        match links {
            Some(links) => {
                let _ = self.entry(key);
                links
                    .iter()
                    .map(|(text, pos)| Written {
                        text: text.clone(),
                        pos: *pos,
                    })
                    .collect()
            }
            None => self.list(key),
        }
        .into_iter()
        .filter(|w| !says_none(&w.text))
        .collect()
    }

    /// People: a list, or one text of several people separated by commas, `;` or
    /// ` and `, ending perhaps in `et al.` (see [`super::people::split_people`]).
    pub fn people(&mut self, key: &str) -> Vec<Written> {
        let Some(entry) = self.entry(key) else {
            return Vec::new();
        };
        let items: Vec<&Node> = match &entry.value.value {
            Value::Scalar(_) => vec![&entry.value],
            Value::List(items) => items.iter().collect(),
            _ => {
                self.wrong_type(entry, "a list of people", "[Ann Lee, \"@bob\"]");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            match &item.value {
                Value::Scalar(s) => out.extend(super::people::split_people(s).into_iter().map(
                    |text| Written {
                        text,
                        pos: item.pos,
                    },
                )),
                Value::Null => {}
                _ => {
                    self.wrong_type(entry, "a list of people", "[Ann Lee, \"@bob\"]");
                    return Vec::new();
                }
            }
        }
        out
    }

    /// A date, `YYYY-MM-DD` (a time after it is ignored; see [`parse_date`]).
    pub fn date(&mut self, key: &str) -> Option<Date> {
        let w = self.text(key)?;
        let prose = self.origin(key).is_some_and(|o| !o.is_data());
        // Prose metadata writes dates for people (`March 6, 2019`); data, for machines.
        let d =
            parse_date(&w.text).or_else(|| prose.then(|| parse_date_in_words(&w.text)).flatten());
        if d.is_none() {
            let d = Diagnostic::new(
                self.rule_for(key, Rule::InvalidDate),
                self.file,
                format!("`{key}` is not a date: '{}'", w.text),
            )
            .at(w.pos)
            .span(w.text.chars().count())
            .help("write dates as YYYY-MM-DD, for example 2026-03-31");
            self.report(d);
        }
        d
    }

    /// `rice: {reach, impact, confidence, effort}`.
    pub fn rice(&mut self, key: &str) -> Option<Rice> {
        let entry = self.entry(key)?;
        let Value::Map(map) = &entry.value.value else {
            self.wrong_type(
                entry,
                "a map",
                "{ reach: 1000, impact: 2, confidence: 0.8, effort: 3 }",
            );
            return None;
        };
        let mut part = |name: &str| -> Option<f64> {
            let Some(e) = map.get_any(&[name]) else {
                let d = Diagnostic::new(
                    Rule::InvalidField,
                    self.file,
                    format!("`{key}` has no `{name}`"),
                )
                .at(entry.value.pos)
                .help("RICE needs reach, impact, confidence and effort");
                self.report(d);
                return None;
            };
            let raw = e.value.scalar().unwrap_or("").trim();
            let (num, percent) = match raw.strip_suffix('%') {
                Some(n) => (n.trim(), true),
                None => (raw, false),
            };
            match num.replace(',', "").parse::<f64>() {
                // `+ 0.0` turns `-0` into 0, so equal scores sort as equal.
                Ok(v) if v.is_finite() && v >= 0.0 => {
                    Some(if percent { v / 100.0 } else { v } + 0.0)
                }
                _ => {
                    let d = Diagnostic::new(
                        Rule::InvalidField,
                        self.file,
                        format!("`{key}.{name}` is not a non-negative number: '{raw}'"),
                    )
                    .at(e.value.pos)
                    .help(format!("write `{name}: 2` (confidence may be 0.8 or 80%)"));
                    self.report(d);
                    None
                }
            }
        };
        let (reach, impact, confidence, effort) = (
            part("reach"),
            part("impact"),
            part("confidence"),
            part("effort"),
        );
        let (reach, impact, confidence, effort) = (reach?, impact?, confidence?, effort?);
        let Some(score) = rice_score(reach, impact, confidence, effort) else {
            let d = Diagnostic::new(
                Rule::InvalidField,
                self.file,
                format!(
                    "`{key}` cannot be scored: reach × impact × confidence ÷ effort is too large for a number"
                ),
            )
            .at(entry.value.pos)
            .help("write reach, impact, confidence and effort in everyday units (reach in users, effort in person-months); the feature is listed as unscored until then");
            self.report(d);
            return None;
        };
        Some(Rice {
            reach,
            impact,
            confidence,
            effort,
            score,
        })
    }

    /// `metrics:`, each goal parsed and judged.
    pub fn metrics(&mut self, key: &str, review: Option<Date>, today: Date) -> Vec<MetricGoal> {
        let Some(entry) = self.entry(key) else {
            return Vec::new();
        };
        let Value::List(items) = &entry.value.value else {
            self.wrong_type(
                entry,
                "a list of goals",
                "\n  - name: Conversion\n    target: \">= 2%\"",
            );
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|n| self.goal(n, review, today))
            .collect()
    }

    fn goal(&mut self, node: &Node, review: Option<Date>, today: Date) -> Option<MetricGoal> {
        let Value::Map(map) = &node.value else {
            let d = Diagnostic::new(
                Rule::InvalidField,
                self.file,
                format!("a metric goal should be a map, but it is {}", node.shape()),
            )
            .at(node.pos)
            .help("write each goal as `- name: …` with `target:` and, once measured, `actual:` and `measured:` below it");
            self.report(d);
            return None;
        };
        let scalar = |k: &str| {
            map.get_any(&[k])
                .filter(|e| !e.value.is_null())
                .and_then(|e| Some((e.value.scalar()?.trim().to_string(), e.value.pos)))
        };
        // A goal is placed at its name (a map's own position is its first `:`).
        let (name, pos) =
            scalar("name").unwrap_or_else(|| ("Unnamed metric".to_string(), node.pos));
        let Some((target_raw, target_pos)) = scalar("target") else {
            let d = Diagnostic::new(
                Rule::MetricTarget,
                self.file,
                format!("the metric '{name}' has no target"),
            )
            .at(pos)
            .help("add `target:`, for example `target: \">= 2.6%\"`");
            self.report(d);
            return None;
        };
        let baseline = scalar("baseline");
        let actual = scalar("actual");
        let actual_written = actual.as_ref().map(|(text, pos)| Written {
            text: text.clone(),
            pos: *pos,
        });
        let unit = scalar("unit");
        let measured = scalar("measured").and_then(|(raw, pos)| {
            let d = parse_date(&raw);
            if d.is_none() {
                let diag = Diagnostic::new(
                    Rule::InvalidDate,
                    self.file,
                    format!("`measured` is not a date: '{raw}'"),
                )
                .at(pos)
                .help("write dates as YYYY-MM-DD, for example 2026-08-10");
                self.report(diag);
            }
            d
        });
        let source = scalar("source").map(|(text, pos)| self.metric_source(text, pos));
        let parsed = metric::parse_goal_values(
            baseline.as_ref().map(|b| b.0.as_str()),
            &target_raw,
            actual.as_ref().map(|a| a.0.as_str()),
            unit.as_ref().map(|u| u.0.as_str()),
        );
        let (baseline, target, actual, verdict) = match parsed {
            Ok((b, t, a)) => {
                let v: Verdict = metric::judge(&t, a.as_ref(), review, today);
                (b, Some(t), a, Some(v))
            }
            Err(e) => {
                let rule = if matches!(e, metric::MetricError::UnitMismatch { .. }) {
                    Rule::MetricUnit
                } else {
                    Rule::MetricTarget
                };
                let d = Diagnostic::new(
                    rule,
                    self.file,
                    format!("the metric '{name}' cannot be judged: {e}"),
                )
                .at(target_pos)
                .span(target_raw.chars().count())
                .help(e.help());
                self.report(d);
                (None, None, None, None)
            }
        };
        Some(MetricGoal {
            name,
            baseline,
            target,
            target_raw,
            actual,
            measured,
            source,
            verdict,
            pos,
            actual_written,
        })
    }

    /// A metric's `source:`, kept as written (pages show it as text; only the view
    /// makes it a link), reported when it is not a safe URL.
    fn metric_source(&mut self, text: String, pos: crate::diagnostic::Pos) -> String {
        if crate::url::href(&text).is_none() {
            self.report(crate::url::unsafe_url(self.file, pos, "source", &text));
        }
        text
    }

    /// Reports fields not in `known` and returns the unused scalar fields for templates.
    pub fn finish(&mut self, known: &[&str], kind: Kind) -> Vec<(String, String)> {
        let mut extra = Vec::new();
        for (i, entry) in self.map.entries.iter().enumerate() {
            if self.used[i] {
                continue;
            }
            if let Some(s) = entry.value.scalar() {
                extra.push((entry.key.clone(), s.to_string()));
            }
            if known.iter().any(|k| k.eq_ignore_ascii_case(&entry.key)) || !entry.origin.is_data() {
                continue;
            }
            let mut d = Diagnostic::new(
                Rule::UnknownField,
                self.file,
                format!("unknown field `{}` for a {}", entry.key, kind.as_str()),
            )
            .at(entry.key_pos)
            .span(entry.key.chars().count());
            d = match super::closest(&entry.key, known.iter().copied()) {
                Some(c) => d.help(format!("did you mean `{c}`?")),
                None => d.help("it is kept for templates as `page.extra`; turn this warning off with `unknown-field = \"off\"` under [rules]"),
            };
            self.diagnostics.push(d);
        }
        extra
    }
}

/// Whether a value says there is nothing (`n/a`, `none`, `-`): an empty relation, not
/// a link to a document of that name.
pub fn says_none(text: &str) -> bool {
    let t = text.trim().trim_end_matches('.').to_ascii_lowercase();
    matches!(
        t.as_str(),
        "" | "n/a" | "na" | "none" | "nil" | "null" | "-" | "--" | "—" | "–" | "tbd" | "no"
    )
}

/// reach × impact × confidence ÷ effort (0 without effort), or `None` when a step
/// overflows: infinity, or NaN from infinity × 0, would be a score no order can sort.
fn rice_score(reach: f64, impact: f64, confidence: f64, effort: f64) -> Option<f64> {
    let product = reach * impact;
    let product = product.is_finite().then_some(product * confidence)?;
    let score = if effort > 0.0 { product / effort } else { 0.0 };
    (product.is_finite() && score.is_finite()).then_some(score)
}

/// Parses a year-first date, allowing a time after it (`2026-01-10T09:00:00Z`,
/// `2026-01-10 09:00`, `2026-01-10 09:00:00 +0200`), and the loose spellings real repos
/// have: `2023-10-3`, `2020/05/18`, `2020.05.18`, `(2016-06-17)`. Day-first dates
/// (`23-07-2014`) are ambiguous and rejected, and so is anything after the date that is
/// not a time (`2026-01-01 oops`): the value would not be the date the author meant.
pub fn parse_date(raw: &str) -> Option<Date> {
    let raw = raw
        .trim()
        .trim_matches(['"', '\'', '(', ')', '[', ']'])
        .trim();
    let end = raw.find(['T', 't', ' ']).unwrap_or(raw.len());
    let (head, rest) = raw.split_at(end);
    if !(rest.is_empty() || is_time(rest[1..].trim_start())) {
        return None;
    }
    let parts: Vec<&str> = head.split(['-', '/', '.']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let ok = y.len() == 4
        && (1..=2).contains(&m.len())
        && (1..=2).contains(&d.len())
        && [y, m, d]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// Whether `text` is a time of day with an optional zone: `09:00`, `09:00:00.5Z`,
/// `21:59:43 -05:00`, `10:00 UTC`.
fn is_time(text: &str) -> bool {
    let two_digits = |t: &str| t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit());
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(text.len());
    let (clock, zone) = text.split_at(end);
    let mut parts = clock.split(':');
    let (Some(h), Some(m)) = (parts.next(), parts.next()) else {
        return false;
    };
    let seconds_ok = match parts.next() {
        None => true,
        Some(s) => {
            let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
            two_digits(whole)
                && !fraction.is_empty()
                && fraction.bytes().all(|b| b.is_ascii_digit())
        }
    };
    // YAML allows a one-digit hour (`2001-12-14 1:59:43`).
    let hour_ok = (1..=2).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_digit());
    if !(hour_ok && two_digits(m) && seconds_ok && parts.next().is_none()) {
        return false;
    }
    let zone = zone.trim_start();
    let offset = |z: &str| {
        let digits: String = z.chars().filter(|&c| c != ':').collect();
        (1..=4).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    };
    match zone {
        "" | "Z" | "z" | "UTC" | "GMT" => true,
        z => z.strip_prefix(['+', '-']).is_some_and(offset),
    }
}

/// Parses a date written in words, as prose metadata has them: `March 6, 2019`,
/// `Mar 6 2019`, `8 February 2021`, `6th March 2019`. Text after the year is not allowed.
pub fn parse_date_in_words(raw: &str) -> Option<Date> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let month_of = |w: &str| -> Option<i8> {
        let w = w.trim_end_matches('.').to_lowercase();
        if w.len() < 3 {
            return None;
        }
        let i = MONTHS
            .iter()
            .position(|m| *m == w || (w.len() <= 4 && m.starts_with(&w)))?;
        i8::try_from(i + 1).ok()
    };
    let day_of = |w: &str| -> Option<i8> {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        let ok = matches!(
            suffix.to_ascii_lowercase().as_str(),
            "" | "st" | "nd" | "rd" | "th"
        );
        (ok && (1..=2).contains(&digits.len()))
            .then(|| digits.parse().ok())
            .flatten()
    };
    let words: Vec<&str> = raw
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let [a, b, year] = words.as_slice() else {
        return None;
    };
    let (month, day) = match (month_of(a), month_of(b)) {
        (Some(m), None) => (m, day_of(b)?),
        (None, Some(m)) => (m, day_of(a)?),
        _ => return None,
    };
    if year.len() != 4 {
        return None;
    }
    Date::new(year.parse().ok()?, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_words() {
        let cases = [
            ("March 6, 2019", Some("2019-03-06")),
            ("8 February 2021", Some("2021-02-08")),
            ("Mar 6 2019", Some("2019-03-06")),
            ("6th March 2019", Some("2019-03-06")),
            ("Sept. 21, 2020", Some("2020-09-21")),
            ("February 30, 2021", None),
            ("March 2019", None),
            ("soon, maybe 2019", None),
            ("May 5, 19", None),
        ];
        for (raw, want) in cases {
            assert_eq!(
                parse_date_in_words(raw).map(|d| d.to_string()).as_deref(),
                want,
                "{raw}"
            );
        }
    }
}
