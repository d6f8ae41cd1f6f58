//! Metric goals: parsing targets and quantities, and judging each goal met, missed, pending or overdue.
//!
//! A feature's front matter lists its goals; every value arrives as a string
//! the author wrote:
//!
//! ```yaml
//! metrics:
//!   - name: Checkout conversion
//!     baseline: 2.1%
//!     target: ">= 2.6%"
//!     actual: 2.8%
//!     measured: 2026-08-10
//! ```
//!
//! # Quantities
//!
//! `[sign] [currency] number [unit]`, for example `2.6%`, `1200`, `1,200 users`,
//! `1_200ms`, `.5`, `-3`, `300 ms`, `40 tickets/week`, `$4.50`, `-$4.50`, `3€`.
//!
//! - The sign is `+`, `-` or `−`; it may also follow the currency (`$-4.50`).
//! - The number is digits with an optional `.` fraction. Commas group the
//!   integer part in threes (`1,200`, never `1,5`, which is refused rather than
//!   guessed at) and underscores may sit between digits (`1_200`). Exponents
//!   (`1e3`) are not accepted.
//! - The unit is whatever follows the number, trimmed (`%`, `ms`, `x`, `pp`,
//!   `users`, `tickets/week`, ...). It holds no digits, so a stray `1e3` or
//!   `1 200` is an error rather than a strange unit. `$`, `€` and `£` may also
//!   stand before the number, so `€3` and `3€` are the same quantity.
//!
//! Units are labels: they are compared, case-sensitively, and never converted,
//! so `300ms` and `0.3s` are a unit mismatch, not the same time, and `1.2k` is
//! 1.2 of the unit `k`. All values of one metric share one unit: the `unit:`
//! field if given, else the first unit any value states. A value written
//! without a unit takes that shared unit; a value stating another one is a
//! [`MetricError::UnitMismatch`].
//!
//! # Targets
//!
//! | written                  | means                                   |
//! |--------------------------|-----------------------------------------|
//! | `>= 2.6%`, `≥ 2.6%`      | at least 2.6%                           |
//! | `> 2.6%`                 | more than 2.6%                          |
//! | `<= 300ms`, `≤ 300ms`    | at most 300ms                           |
//! | `< 300ms`                | less than 300ms                         |
//! | `== 5`, `= 5`            | equal to 5                              |
//! | `2.5%..3%`               | between 2.5% and 3%, both included      |
//! | `+20%`                   | at least the baseline raised by 20%     |
//! | `-15%`                   | at most the baseline lowered by 15%     |
//! | `2.6%`                   | reach 2.6%, moving away from the baseline |
//!
//! - A relative target moves the baseline by a share of its size
//!   (`baseline ± |baseline| × N/100`), so `+` always raises the bar even for a
//!   negative baseline. Its `%` is not the metric's unit. It needs a baseline, and one
//!   other than 0 (a share of 0 is 0, so the goal would be met by no change).
//! - A bare target is read in the direction from the baseline: below the
//!   baseline it is "at most", otherwise "at least". With no baseline, or one
//!   equal to the target, it is "at least", because most goals are growth goals.
//! - Any other signed bare target (`+5 users`, `-5ms`) is refused: it reads like
//!   a change from the baseline, and guessing wrong would judge the goal
//!   silently wrong. An absolute negative goal is written with an operator,
//!   `>= -5`.
//! - Percentage-point changes (`+0.5pp`) are not supported; write the absolute
//!   target instead.
//!
//! Comparisons count values within one part in a billion as equal, so that a
//! target computed from a baseline (`+10%` of 1.1 is 1.2100000000000002 in
//! floating point) is met by the 1.21 an author writes. Strict bounds (`>`,
//! `<`) need more than that.

use std::fmt;

use jiff::civil::Date;

/// The standing of one goal, or of a feature's goals rolled up.
///
/// The variant order is the roll-up precedence (see [`roll_up`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Met,
    Missed,
    Pending,
    Overdue,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Missed => "missed",
            Verdict::Pending => "pending",
            Verdict::Overdue => "overdue",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A number with an optional unit label; see the module docs for the syntax.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub unit: Option<String>,
}

const CURRENCIES: [char; 3] = ['$', '€', '£'];

impl Quantity {
    pub fn parse(raw: &str) -> Result<Quantity, MetricError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(MetricError::Empty);
        }
        let bad = || MetricError::BadNumber {
            raw: text.to_string(),
        };

        let (negative, rest) = strip_sign(text);
        let (currency, rest) = match rest.strip_prefix(CURRENCIES) {
            Some(after) => (rest.chars().next(), after.trim_start()),
            None => (None, rest),
        };
        let (negative, rest) = match (negative, currency) {
            (None, Some(_)) => strip_sign(rest),
            _ => (negative, rest),
        };

        let end = rest
            .find(|c: char| !is_number_char(c))
            .unwrap_or(rest.len());
        let (number, unit) = rest.split_at_checked(end).ok_or_else(bad)?;
        let magnitude = parse_number(number).ok_or_else(bad)?;
        let unit = unit.trim();
        let unit = match (currency, unit.is_empty()) {
            (Some(symbol), true) => Some(symbol.to_string()),
            (None, true) => None,
            (None, false) if is_valid_unit(unit) => Some(unit.to_string()),
            _ => return Err(bad()),
        };
        let value = if negative == Some(true) {
            -magnitude
        } else {
            magnitude
        };
        // Adding zero turns -0.0 into 0.0, so "-0" neither prints nor compares oddly.
        Ok(Quantity {
            value: value + 0.0,
            unit,
        })
    }

    fn with_unit(mut self, unit: Option<&str>) -> Quantity {
        if self.unit.is_none() {
            self.unit = unit.map(str::to_string);
        }
        self
    }
}

/// Prints the number to nine significant digits without trailing zeros, which
/// hides floating-point noise yet keeps every digit an author writes. No
/// thousands separators are added. Currencies go first and keep cents
/// (`$4.50`); units of up to three characters attach (`2.6%`, `300ms`,
/// `5min`) and longer ones follow a space (`1200 users`).
impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = self.unit.as_deref().unwrap_or("");
        let mut number = format_number(self.value.abs());
        let sign = if self.value < 0.0 && number != "0" {
            "-"
        } else {
            ""
        };
        let is_currency = {
            let mut chars = unit.chars();
            matches!((chars.next(), chars.next()), (Some(c), None) if CURRENCIES.contains(&c))
        };
        if is_currency {
            if let Some((_, fraction)) = number.split_once('.')
                && fraction.len() == 1
            {
                number.push('0');
            }
            write!(f, "{sign}{unit}{number}")
        } else if unit.chars().count() <= 3 {
            write!(f, "{sign}{number}{unit}")
        } else {
            write!(f, "{sign}{number} {unit}")
        }
    }
}

fn format_number(value: f64) -> String {
    let magnitude = if value == 0.0 || !value.is_finite() {
        0
    } else {
        // Saturating float-to-int cast: cannot panic.
        value.abs().log10().floor() as i32
    };
    let decimals = usize::try_from(8i32.saturating_sub(magnitude).clamp(0, 30)).unwrap_or(0);
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

fn strip_sign(text: &str) -> (Option<bool>, &str) {
    if let Some(rest) = text.strip_prefix(['-', '−']) {
        (Some(true), rest)
    } else if let Some(rest) = text.strip_prefix('+') {
        (Some(false), rest)
    } else {
        (None, text)
    }
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | ',' | '_')
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Reads the separator-laden number grammar from the module docs; `None` for
/// anything else, including numbers too large for an `f64`.
fn parse_number(number: &str) -> Option<f64> {
    let (integer, fraction) = match number.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (number, None),
    };
    let mut plain = integer_digits(integer)?;
    if plain.is_empty() {
        // ".5" has no integer digits but is still a number; "" is not.
        fraction?;
        plain.push('0');
    }
    if let Some(fraction) = fraction {
        if !all_digits(fraction) {
            return None;
        }
        plain.push('.');
        plain.push_str(fraction);
    }
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn integer_digits(integer: &str) -> Option<String> {
    if integer.is_empty() {
        return Some(String::new());
    }
    if integer.contains(',') {
        if integer.contains('_') {
            return None;
        }
        let mut groups = integer.split(',');
        let first = groups.next()?;
        if first.len() > 3 || !all_digits(first) {
            return None;
        }
        let mut digits = first.to_string();
        for group in groups {
            if group.len() != 3 || !all_digits(group) {
                return None;
            }
            digits.push_str(group);
        }
        Some(digits)
    } else {
        let mut digits = String::new();
        for piece in integer.split('_') {
            if !all_digits(piece) {
                return None;
            }
            digits.push_str(piece);
        }
        Some(digits)
    }
}

/// Refuses suffixes that are more likely a typo or an unsupported form
/// (`1e3`, `5 < 6`, `1 200`, `2.5% - 3%`) than a unit, so they do not become
/// labels.
fn is_valid_unit(unit: &str) -> bool {
    !unit.starts_with(['+', '-', '−', '.', ',', '_'])
        && !unit.contains(|c: char| c.is_ascii_digit() || OPERATOR_CHARS.contains(&c))
        && !unit.contains("..")
}

/// What a goal has to reach. Relative and bare targets are resolved against
/// the baseline when parsed, so only absolute bounds remain.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    AtLeast(Quantity),
    MoreThan(Quantity),
    AtMost(Quantity),
    LessThan(Quantity),
    Equal(Quantity),
    /// Both ends included; the first is never above the second.
    Between(Quantity, Quantity),
}

impl Target {
    /// `unit` is the metric's `unit:` field.
    pub fn parse(
        raw: &str,
        baseline: Option<&Quantity>,
        unit: Option<&str>,
    ) -> Result<Target, MetricError> {
        let form = Form::parse(raw)?;
        let unit = shared_unit(
            [unit_field(unit), baseline.and_then(|b| b.unit.as_deref())]
                .into_iter()
                .chain(form.units()),
        )?;
        let baseline = baseline.cloned().map(|b| b.with_unit(unit.as_deref()));
        form.with_unit(unit.as_deref())
            .resolve(raw.trim(), baseline.as_ref())
    }

    /// Values only: units are checked when parsing, so a quantity in another
    /// unit that slips through is never counted as meeting the target.
    pub fn is_met_by(&self, actual: &Quantity) -> bool {
        let bound = match self {
            Target::AtLeast(q)
            | Target::MoreThan(q)
            | Target::AtMost(q)
            | Target::LessThan(q)
            | Target::Equal(q)
            | Target::Between(q, _) => q,
        };
        if let (Some(expected), Some(found)) = (&bound.unit, &actual.unit)
            && expected != found
        {
            return false;
        }
        let a = actual.value;
        match self {
            Target::AtLeast(q) => a >= q.value || nearly_equal(a, q.value),
            Target::MoreThan(q) => a > q.value && !nearly_equal(a, q.value),
            Target::AtMost(q) => a <= q.value || nearly_equal(a, q.value),
            Target::LessThan(q) => a < q.value && !nearly_equal(a, q.value),
            Target::Equal(q) => nearly_equal(a, q.value),
            Target::Between(low, high) => {
                (a >= low.value || nearly_equal(a, low.value))
                    && (a <= high.value || nearly_equal(a, high.value))
            }
        }
    }
}

fn nearly_equal(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::AtLeast(q) => write!(f, "≥ {q}"),
            Target::MoreThan(q) => write!(f, "> {q}"),
            Target::AtMost(q) => write!(f, "≤ {q}"),
            Target::LessThan(q) => write!(f, "< {q}"),
            Target::Equal(q) => write!(f, "= {q}"),
            Target::Between(low, high) => write!(f, "{low}–{high}"),
        }
    }
}

/// Builds a target from its one bound.
type MakeTarget = fn(Quantity) -> Target;

/// A target as written, before the shared unit and the baseline are known.
enum Form {
    Bound(MakeTarget, Quantity),
    Range(Quantity, Quantity),
    Relative { raise: bool, percent: f64 },
    Bare(Quantity),
}

const OPERATORS: [(&str, MakeTarget); 8] = [
    // Two-character operators first, so ">=" is not read as ">" then "=".
    (">=", Target::AtLeast),
    ("<=", Target::AtMost),
    ("==", Target::Equal),
    ("≥", Target::AtLeast),
    ("≤", Target::AtMost),
    (">", Target::MoreThan),
    ("<", Target::LessThan),
    ("=", Target::Equal),
];

const OPERATOR_CHARS: [char; 5] = ['<', '>', '=', '≤', '≥'];

impl Form {
    fn parse(raw: &str) -> Result<Form, MetricError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(MetricError::Empty);
        }
        let bad = || MetricError::BadTarget {
            raw: text.to_string(),
        };

        for (operator, make) in OPERATORS {
            if let Some(rest) = text.strip_prefix(operator) {
                let rest = rest.trim();
                if rest.is_empty() || rest.starts_with(OPERATOR_CHARS) || rest.contains("..") {
                    return Err(bad());
                }
                return Ok(Form::Bound(make, Quantity::parse(rest)?));
            }
        }

        if let Some((low, high)) = text.split_once("..") {
            let (low, high) = (low.trim(), high.trim());
            // "1...2" would otherwise split into 1 and .2 and report a misleading empty range.
            if low.is_empty() || high.is_empty() || high.starts_with('.') {
                return Err(bad());
            }
            return Ok(Form::Range(Quantity::parse(low)?, Quantity::parse(high)?));
        }

        if let (Some(negative), rest) = strip_sign(text) {
            let rest = rest.trim_start();
            if rest.starts_with(['+', '-', '−']) {
                return Err(bad());
            }
            return match Quantity::parse(rest) {
                Ok(Quantity {
                    value,
                    unit: Some(unit),
                }) if unit == "%" => Ok(Form::Relative {
                    raise: !negative,
                    percent: value,
                }),
                _ => Err(bad()),
            };
        }

        Quantity::parse(text).map(Form::Bare).map_err(|error| {
            // Text that does not even start like a number is a malformed
            // target; one that does is a malformed number.
            let number_like = text
                .chars()
                .next()
                .is_some_and(|c| is_number_char(c) || CURRENCIES.contains(&c));
            if number_like { error } else { bad() }
        })
    }

    /// The units the target states itself; a relative target's `%` is not one.
    fn units(&self) -> Vec<Option<&str>> {
        match self {
            Form::Bound(_, q) | Form::Bare(q) => vec![q.unit.as_deref()],
            Form::Range(low, high) => vec![low.unit.as_deref(), high.unit.as_deref()],
            Form::Relative { .. } => Vec::new(),
        }
    }

    fn with_unit(self, unit: Option<&str>) -> Form {
        match self {
            Form::Bound(make, q) => Form::Bound(make, q.with_unit(unit)),
            Form::Bare(q) => Form::Bare(q.with_unit(unit)),
            Form::Range(low, high) => Form::Range(low.with_unit(unit), high.with_unit(unit)),
            relative @ Form::Relative { .. } => relative,
        }
    }

    fn resolve(self, raw: &str, baseline: Option<&Quantity>) -> Result<Target, MetricError> {
        match self {
            Form::Bound(make, q) => Ok(make(q)),
            Form::Range(low, high) => {
                if low.value > high.value {
                    Err(MetricError::EmptyRange {
                        raw: raw.to_string(),
                    })
                } else {
                    Ok(Target::Between(low, high))
                }
            }
            Form::Relative { raise, percent } => {
                let baseline = baseline.ok_or_else(|| MetricError::RelativeWithoutBaseline {
                    raw: raw.to_string(),
                })?;
                // A share of nothing is nothing: `+20%` of 0 would be met by 0 itself.
                if baseline.value == 0.0 {
                    return Err(MetricError::RelativeToZero {
                        raw: raw.to_string(),
                    });
                }
                let change = baseline.value.abs() * percent / 100.0;
                let value = if raise {
                    baseline.value + change
                } else {
                    baseline.value - change
                };
                if !value.is_finite() {
                    return Err(MetricError::BadTarget {
                        raw: raw.to_string(),
                    });
                }
                let q = Quantity {
                    value,
                    unit: baseline.unit.clone(),
                };
                Ok(if raise {
                    Target::AtLeast(q)
                } else {
                    Target::AtMost(q)
                })
            }
            Form::Bare(q) => Ok(match baseline {
                Some(b) if b.value > q.value => Target::AtMost(q),
                _ => Target::AtLeast(q),
            }),
        }
    }
}

fn unit_field(unit: Option<&str>) -> Option<&str> {
    unit.map(str::trim).filter(|u| !u.is_empty())
}

/// The one unit all stated units agree on, listed in order of authority.
fn shared_unit<'a>(
    stated: impl IntoIterator<Item = Option<&'a str>>,
) -> Result<Option<String>, MetricError> {
    let mut expected: Option<&str> = None;
    for found in stated.into_iter().flatten() {
        match expected {
            None => expected = Some(found),
            Some(expected) if expected != found => {
                return Err(MetricError::UnitMismatch {
                    expected: expected.to_string(),
                    found: found.to_string(),
                });
            }
            Some(_) => {}
        }
    }
    Ok(expected.map(str::to_string))
}

/// Why a metric value could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricError {
    Empty,
    BadNumber {
        raw: String,
    },
    BadTarget {
        raw: String,
    },
    UnitMismatch {
        expected: String,
        found: String,
    },
    RelativeWithoutBaseline {
        raw: String,
    },
    /// A relative target on a baseline of 0, which no share of moves.
    RelativeToZero {
        raw: String,
    },
    /// The range's low end is above its high end.
    EmptyRange {
        raw: String,
    },
}

impl fmt::Display for MetricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricError::Empty => write!(f, "the value is empty"),
            MetricError::BadNumber { raw } => {
                write!(f, "\"{raw}\" is not a number with an optional unit")
            }
            MetricError::BadTarget { raw } => write!(f, "\"{raw}\" is not a target"),
            MetricError::UnitMismatch { expected, found } => write!(
                f,
                "the unit \"{found}\" does not match \"{expected}\" used elsewhere in this metric"
            ),
            MetricError::RelativeWithoutBaseline { raw } => write!(
                f,
                "the target \"{raw}\" is relative to the baseline, but the metric has no baseline"
            ),
            MetricError::RelativeToZero { raw } => write!(
                f,
                "the target \"{raw}\" is relative to the baseline, and a share of a baseline of 0 is 0"
            ),
            MetricError::EmptyRange { raw } => write!(
                f,
                "the range \"{raw}\" is empty because its first value is above its second"
            ),
        }
    }
}

impl std::error::Error for MetricError {}

impl MetricError {
    /// How to fix it, as advice to show next to the message.
    pub fn help(&self) -> String {
        match self {
            MetricError::Empty => {
                "write a value such as \"2.6%\", \"1,200 users\" or \"$4.50\"".to_string()
            }
            MetricError::BadNumber { .. } => "write a number with an optional unit, such as \
                 \"2.6%\", \"300ms\", \"1,200 users\" or \"$4.50\"; use a dot for decimals \
                 and commas only between groups of three digits"
                .to_string(),
            MetricError::BadTarget { .. } => "write the target as \">= 2.6%\", \"2.5%..3%\" or \
                 \"+20%\"; for an absolute negative goal use an operator, as in \">= -5\""
                .to_string(),
            MetricError::UnitMismatch { expected, .. } => format!(
                "write every value of this metric in \"{expected}\" (units are labels and \
                 are not converted), or leave the unit off the values and set `unit:` once"
            ),
            MetricError::RelativeWithoutBaseline { .. } => "add a `baseline:` to the metric, \
                 or write the target as an absolute value such as \">= 2.6%\""
                .to_string(),
            MetricError::RelativeToZero { .. } => "write the target as an absolute value, \
                 such as \">= 100\"; a relative target needs a baseline other than 0"
                .to_string(),
            MetricError::EmptyRange { raw } => match raw.split_once("..") {
                Some((low, high)) => format!(
                    "put the smaller value first: \"{}..{}\"",
                    high.trim(),
                    low.trim()
                ),
                None => "put the smaller value first, as in \"2.5%..3%\"".to_string(),
            },
        }
    }
}

/// A metric goal as written, after parsing.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub name: String,
    pub baseline: Option<Quantity>,
    pub target: Target,
    pub actual: Option<Quantity>,
    pub measured: Option<Date>,
}

impl Goal {
    /// This goal's verdict; see [`judge`].
    pub fn verdict(&self, review: Option<Date>, today: Date) -> Verdict {
        judge(&self.target, self.actual.as_ref(), review, today)
    }
}

/// Judges one goal. `review` is the feature's review date (shipped + review
/// period, or explicit); None when the feature has not shipped.
///
/// A measurement always decides, even before the review date. Without one the
/// goal is overdue only once the review date has passed, so on the review day
/// itself there is still time to measure.
pub fn judge(
    target: &Target,
    actual: Option<&Quantity>,
    review: Option<Date>,
    today: Date,
) -> Verdict {
    match (actual, review) {
        (Some(actual), _) if target.is_met_by(actual) => Verdict::Met,
        (Some(_), _) => Verdict::Missed,
        (None, Some(review)) if review < today => Verdict::Overdue,
        (None, _) => Verdict::Pending,
    }
}

/// Parses a goal's three values together so their units are checked against
/// each other and the `unit:` field. An empty baseline or actual counts as
/// absent, so a template's `actual: ""` means "not measured yet".
pub fn parse_goal_values(
    baseline: Option<&str>,
    target: &str,
    actual: Option<&str>,
    unit: Option<&str>,
) -> Result<(Option<Quantity>, Target, Option<Quantity>), MetricError> {
    let optional = |raw: Option<&str>| {
        raw.map(str::trim)
            .filter(|raw| !raw.is_empty())
            .map(Quantity::parse)
            .transpose()
    };
    let baseline = optional(baseline)?;
    let form = Form::parse(target)?;
    let actual = optional(actual)?;

    let unit = shared_unit(
        [
            unit_field(unit),
            baseline.as_ref().and_then(|b| b.unit.as_deref()),
        ]
        .into_iter()
        .chain(form.units())
        .chain([actual.as_ref().and_then(|a| a.unit.as_deref())]),
    )?;
    let unit = unit.as_deref();
    let baseline = baseline.map(|b| b.with_unit(unit));
    let actual = actual.map(|a| a.with_unit(unit));
    let target = form
        .with_unit(unit)
        .resolve(target.trim(), baseline.as_ref())?;
    Ok((baseline, target, actual))
}

/// Rolls a feature's verdicts up into its outcome: None when it has no goals;
/// Overdue if any is overdue; else Pending if any pending; else Missed if any
/// missed; else Met.
pub fn roll_up(verdicts: impl IntoIterator<Item = Verdict>) -> Option<Verdict> {
    // Verdict's declaration order is exactly this precedence.
    verdicts.into_iter().max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn q(value: f64, unit: Option<&str>) -> Quantity {
        Quantity {
            value,
            unit: unit.map(str::to_string),
        }
    }

    fn bad_number(raw: &str) -> MetricError {
        MetricError::BadNumber {
            raw: raw.to_string(),
        }
    }

    fn bad_target(raw: &str) -> MetricError {
        MetricError::BadTarget {
            raw: raw.to_string(),
        }
    }

    fn mismatch(expected: &str, found: &str) -> MetricError {
        MetricError::UnitMismatch {
            expected: expected.to_string(),
            found: found.to_string(),
        }
    }

    fn close(a: &Quantity, b: &Quantity) -> bool {
        a.unit == b.unit && (a.value - b.value).abs() <= 1e-9 * a.value.abs().max(b.value.abs())
    }

    /// Same variant, same units, values equal up to float noise.
    fn same_target(a: &Target, b: &Target) -> bool {
        match (a, b) {
            (Target::AtLeast(x), Target::AtLeast(y))
            | (Target::MoreThan(x), Target::MoreThan(y))
            | (Target::AtMost(x), Target::AtMost(y))
            | (Target::LessThan(x), Target::LessThan(y))
            | (Target::Equal(x), Target::Equal(y)) => close(x, y),
            (Target::Between(x1, x2), Target::Between(y1, y2)) => close(x1, y1) && close(x2, y2),
            _ => false,
        }
    }

    fn check_target(
        case: &str,
        got: Result<Target, MetricError>,
        want: &Result<Target, MetricError>,
    ) {
        match (&got, want) {
            (Ok(g), Ok(w)) => assert!(same_target(g, w), "{case}: got {g:?}, want {w:?}"),
            _ => assert_eq!(&got, want, "{case}"),
        }
    }

    #[test]
    fn quantities_parse() {
        let cases: &[(&str, Result<Quantity, MetricError>)] = &[
            ("2.6%", Ok(q(2.6, Some("%")))),
            ("1200", Ok(q(1200.0, None))),
            ("1,200", Ok(q(1200.0, None))),
            ("1,234,567.5 users", Ok(q(1_234_567.5, Some("users")))),
            ("12,345", Ok(q(12345.0, None))),
            ("1_200ms", Ok(q(1200.0, Some("ms")))),
            (".5", Ok(q(0.5, None))),
            ("0.25", Ok(q(0.25, None))),
            ("300 ms", Ok(q(300.0, Some("ms")))),
            ("2.6 %", Ok(q(2.6, Some("%")))),
            ("  7x  ", Ok(q(7.0, Some("x")))),
            ("2.5pp", Ok(q(2.5, Some("pp")))),
            ("4h", Ok(q(4.0, Some("h")))),
            ("5 min", Ok(q(5.0, Some("min")))),
            ("1.2k", Ok(q(1.2, Some("k")))),
            ("40 tickets/week", Ok(q(40.0, Some("tickets/week")))),
            ("3 e", Ok(q(3.0, Some("e")))),
            ("$4.50", Ok(q(4.5, Some("$")))),
            ("$ 4.50", Ok(q(4.5, Some("$")))),
            ("€3", Ok(q(3.0, Some("€")))),
            ("3€", Ok(q(3.0, Some("€")))),
            ("£2", Ok(q(2.0, Some("£")))),
            ("-$4.50", Ok(q(-4.5, Some("$")))),
            ("$-4.50", Ok(q(-4.5, Some("$")))),
            ("-12", Ok(q(-12.0, None))),
            ("−3", Ok(q(-3.0, None))),
            ("+7x", Ok(q(7.0, Some("x")))),
            ("-0", Ok(q(0.0, None))),
            ("", Err(MetricError::Empty)),
            ("   ", Err(MetricError::Empty)),
            ("abc", Err(bad_number("abc"))),
            ("1,5", Err(bad_number("1,5"))),
            ("1,2345", Err(bad_number("1,2345"))),
            ("1234,567", Err(bad_number("1234,567"))),
            (",100", Err(bad_number(",100"))),
            ("1,,000", Err(bad_number("1,,000"))),
            ("1,200,", Err(bad_number("1,200,"))),
            ("1,200_000", Err(bad_number("1,200_000"))),
            ("1__0", Err(bad_number("1__0"))),
            ("_1", Err(bad_number("_1"))),
            ("1_", Err(bad_number("1_"))),
            ("1.5_0", Err(bad_number("1.5_0"))),
            ("1.2.3", Err(bad_number("1.2.3"))),
            ("1.", Err(bad_number("1."))),
            (".", Err(bad_number("."))),
            ("1e3", Err(bad_number("1e3"))),
            ("1E-3", Err(bad_number("1E-3"))),
            ("$4 USD", Err(bad_number("$4 USD"))),
            ("$4%", Err(bad_number("$4%"))),
            ("$", Err(bad_number("$"))),
            ("%", Err(bad_number("%"))),
            ("--5", Err(bad_number("--5"))),
            ("-$-5", Err(bad_number("-$-5"))),
            ("- 5", Err(bad_number("- 5"))),
            ("1 200", Err(bad_number("1 200"))),
            ("5 < 6", Err(bad_number("5 < 6"))),
            ("5ms..6ms", Err(bad_number("5ms..6ms"))),
            ("5 ms 6", Err(bad_number("5 ms 6"))),
            ("5 -ms", Err(bad_number("5 -ms"))),
            (">= 5", Err(bad_number(">= 5"))),
            ("NaN", Err(bad_number("NaN"))),
            ("inf", Err(bad_number("inf"))),
            ("∞", Err(bad_number("∞"))),
        ];
        for (raw, want) in cases {
            assert_eq!(&Quantity::parse(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn too_large_a_number_is_refused() {
        let huge = "9".repeat(400);
        assert_eq!(Quantity::parse(&huge), Err(bad_number(&huge)));
    }

    #[test]
    fn quantities_display() {
        let cases: &[(Quantity, &str)] = &[
            (q(2.6, Some("%")), "2.6%"),
            (q(1.1 + 0.11, Some("%")), "1.21%"),
            (q(0.1 + 0.2, None), "0.3"),
            (q(4.5, Some("$")), "$4.50"),
            (q(4.567, Some("$")), "$4.567"),
            (q(3.0, Some("€")), "€3"),
            (q(-4.5, Some("$")), "-$4.50"),
            (q(300.0, Some("ms")), "300ms"),
            (q(5.0, Some("min")), "5min"),
            (q(1200.0, Some("users")), "1200 users"),
            (q(40.0, Some("tickets/week")), "40 tickets/week"),
            (q(1_234_567.5, None), "1234567.5"),
            (q(-12.0, None), "-12"),
            (q(-0.0, None), "0"),
            (q(0.000_001, None), "0.000001"),
            (q(9.999_999_999_9, None), "10"),
        ];
        for (quantity, want) in cases {
            assert_eq!(quantity.to_string(), *want, "{quantity:?}");
        }
    }

    #[test]
    fn targets_parse() {
        let pct = Some("%");
        let ms = Some("ms");
        type Case<'a> = (
            &'a str,
            Option<Quantity>,
            Option<&'a str>,
            Result<Target, MetricError>,
        );
        let cases: Vec<Case> = vec![
            (">= 2.6%", None, None, Ok(Target::AtLeast(q(2.6, pct)))),
            (">=2.6%", None, None, Ok(Target::AtLeast(q(2.6, pct)))),
            ("≥ 2.6%", None, None, Ok(Target::AtLeast(q(2.6, pct)))),
            ("> 2.6%", None, None, Ok(Target::MoreThan(q(2.6, pct)))),
            ("<= 300ms", None, None, Ok(Target::AtMost(q(300.0, ms)))),
            ("≤300ms", None, None, Ok(Target::AtMost(q(300.0, ms)))),
            ("< 300ms", None, None, Ok(Target::LessThan(q(300.0, ms)))),
            ("== 5", None, None, Ok(Target::Equal(q(5.0, None)))),
            ("= 5", None, None, Ok(Target::Equal(q(5.0, None)))),
            (">= -5", None, None, Ok(Target::AtLeast(q(-5.0, None)))),
            (
                ">= $4.50",
                None,
                None,
                Ok(Target::AtLeast(q(4.5, Some("$")))),
            ),
            (
                "2.5%..3%",
                None,
                None,
                Ok(Target::Between(q(2.5, pct), q(3.0, pct))),
            ),
            (
                "2.5 .. 3%",
                None,
                None,
                Ok(Target::Between(q(2.5, pct), q(3.0, pct))),
            ),
            (
                "3%..3%",
                None,
                None,
                Ok(Target::Between(q(3.0, pct), q(3.0, pct))),
            ),
            (
                "-5..5",
                None,
                None,
                Ok(Target::Between(q(-5.0, None), q(5.0, None))),
            ),
            (
                "3%..2.5%",
                None,
                None,
                Err(MetricError::EmptyRange {
                    raw: "3%..2.5%".to_string(),
                }),
            ),
            // Bare targets follow the direction from the baseline.
            (
                "2.6%",
                Some(q(2.1, pct)),
                None,
                Ok(Target::AtLeast(q(2.6, pct))),
            ),
            (
                "200ms",
                Some(q(300.0, ms)),
                None,
                Ok(Target::AtMost(q(200.0, ms))),
            ),
            ("5", None, None, Ok(Target::AtLeast(q(5.0, None)))),
            (
                "5",
                Some(q(5.0, None)),
                None,
                Ok(Target::AtLeast(q(5.0, None))),
            ),
            // Relative targets move the baseline by a share of itself.
            (
                "+20%",
                Some(q(2.1, pct)),
                None,
                Ok(Target::AtLeast(q(2.52, pct))),
            ),
            (
                "+ 20 %",
                Some(q(2.1, pct)),
                None,
                Ok(Target::AtLeast(q(2.52, pct))),
            ),
            (
                "-15%",
                Some(q(400.0, ms)),
                None,
                Ok(Target::AtMost(q(340.0, ms))),
            ),
            (
                "−15%",
                Some(q(400.0, ms)),
                None,
                Ok(Target::AtMost(q(340.0, ms))),
            ),
            (
                "+20%",
                Some(q(-10.0, None)),
                None,
                Ok(Target::AtLeast(q(-8.0, None))),
            ),
            // A share of a baseline of 0 is 0: the goal would be met by no change.
            (
                "+20%",
                Some(q(0.0, pct)),
                None,
                Err(MetricError::RelativeToZero {
                    raw: "+20%".to_string(),
                }),
            ),
            (
                "-50%",
                Some(q(-0.0, None)),
                None,
                Err(MetricError::RelativeToZero {
                    raw: "-50%".to_string(),
                }),
            ),
            (
                "+0%",
                Some(q(10.0, None)),
                None,
                Ok(Target::AtLeast(q(10.0, None))),
            ),
            (
                "+20%",
                Some(q(300.0, None)),
                Some("ms"),
                Ok(Target::AtLeast(q(360.0, ms))),
            ),
            (
                "+20%",
                None,
                None,
                Err(MetricError::RelativeWithoutBaseline {
                    raw: "+20%".to_string(),
                }),
            ),
            (
                "-15%",
                None,
                Some("ms"),
                Err(MetricError::RelativeWithoutBaseline {
                    raw: "-15%".to_string(),
                }),
            ),
            ("+20", Some(q(10.0, None)), None, Err(bad_target("+20"))),
            (
                "+5 users",
                Some(q(10.0, None)),
                None,
                Err(bad_target("+5 users")),
            ),
            ("-5ms", Some(q(10.0, ms)), None, Err(bad_target("-5ms"))),
            ("+-5%", Some(q(10.0, None)), None, Err(bad_target("+-5%"))),
            ("+$5", Some(q(10.0, None)), None, Err(bad_target("+$5"))),
            // Malformed targets.
            ("", None, None, Err(MetricError::Empty)),
            ("  ", None, None, Err(MetricError::Empty)),
            ("at least 5", None, None, Err(bad_target("at least 5"))),
            (">=", None, None, Err(bad_target(">="))),
            ("=> 5", None, None, Err(bad_target("=> 5"))),
            (">== 5", None, None, Err(bad_target(">== 5"))),
            (">= 1..2", None, None, Err(bad_target(">= 1..2"))),
            ("1...2", None, None, Err(bad_target("1...2"))),
            ("..3", None, None, Err(bad_target("..3"))),
            ("1..", None, None, Err(bad_target("1.."))),
            ("2.5% - 3%", None, None, Err(bad_number("2.5% - 3%"))),
            (">= abc", None, None, Err(bad_number("abc"))),
            ("2,5%", None, None, Err(bad_number("2,5%"))),
            ("1..x", None, None, Err(bad_number("x"))),
            // Units are shared across the target, the baseline and `unit:`.
            (">= 2.6", None, Some("%"), Ok(Target::AtLeast(q(2.6, pct)))),
            (
                ">= 2.6",
                None,
                Some(" % "),
                Ok(Target::AtLeast(q(2.6, pct))),
            ),
            (">= 2.6", None, Some(""), Ok(Target::AtLeast(q(2.6, None)))),
            (
                ">= 2.6",
                Some(q(2.1, pct)),
                None,
                Ok(Target::AtLeast(q(2.6, pct))),
            ),
            (
                ">= 2.6ms",
                Some(q(2.1, pct)),
                None,
                Err(mismatch("%", "ms")),
            ),
            (">= 2.6%", None, Some("ms"), Err(mismatch("ms", "%"))),
            (
                ">= 2.6",
                Some(q(2.1, pct)),
                Some("ms"),
                Err(mismatch("ms", "%")),
            ),
            ("2%..3ms", None, None, Err(mismatch("%", "ms"))),
            (
                ">= 2.6MS",
                Some(q(2.1, ms)),
                None,
                Err(mismatch("ms", "MS")),
            ),
        ];
        for (raw, baseline, unit, want) in &cases {
            let got = Target::parse(raw, baseline.as_ref(), *unit);
            check_target(&format!("{raw:?} from {baseline:?} in {unit:?}"), got, want);
        }
    }

    #[test]
    fn targets_display() {
        let cases: &[(&str, &str)] = &[
            (">= 2.6%", "≥ 2.6%"),
            ("> 2.6%", "> 2.6%"),
            ("<= 300ms", "≤ 300ms"),
            ("< 300ms", "< 300ms"),
            ("== 5", "= 5"),
            ("2.5%..3%", "2.5%–3%"),
            ("$1..$2.5", "$1–$2.50"),
        ];
        for (raw, want) in cases {
            let target = Target::parse(raw, None, None);
            assert_eq!(
                target.map(|t| t.to_string()).as_deref(),
                Ok(*want),
                "{raw:?}"
            );
        }
        let relative = Target::parse("+20%", Some(&q(2.1, Some("%"))), None);
        assert_eq!(relative.map(|t| t.to_string()).as_deref(), Ok("≥ 2.52%"));
    }

    #[test]
    fn goal_values_parse_together() {
        type Want = Result<(Option<Quantity>, Target, Option<Quantity>), MetricError>;
        let pct = Some("%");
        let ms = Some("ms");
        type Case<'a> = (
            Option<&'a str>,
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            Want,
        );
        let cases: Vec<Case> = vec![
            (
                Some("2.1%"),
                ">= 2.6%",
                Some("2.8%"),
                None,
                Ok((
                    Some(q(2.1, pct)),
                    Target::AtLeast(q(2.6, pct)),
                    Some(q(2.8, pct)),
                )),
            ),
            (
                Some("2.1"),
                ">= 2.6",
                Some("2.8"),
                Some("%"),
                Ok((
                    Some(q(2.1, pct)),
                    Target::AtLeast(q(2.6, pct)),
                    Some(q(2.8, pct)),
                )),
            ),
            (
                Some("2.1"),
                ">= 2.6",
                Some("2.8%"),
                None,
                Ok((
                    Some(q(2.1, pct)),
                    Target::AtLeast(q(2.6, pct)),
                    Some(q(2.8, pct)),
                )),
            ),
            (
                Some("300"),
                "-10%",
                None,
                Some(" ms "),
                Ok((Some(q(300.0, ms)), Target::AtMost(q(270.0, ms)), None)),
            ),
            (
                Some(""),
                ">= 2",
                Some("  "),
                None,
                Ok((None, Target::AtLeast(q(2.0, None)), None)),
            ),
            (
                Some("1,200 users"),
                "1,500",
                None,
                None,
                Ok((
                    Some(q(1200.0, Some("users"))),
                    Target::AtLeast(q(1500.0, Some("users"))),
                    None,
                )),
            ),
            (
                Some("2.1%"),
                ">= 2.6%",
                Some("300ms"),
                None,
                Err(mismatch("%", "ms")),
            ),
            (
                Some("2.1%"),
                ">= 2.6ms",
                None,
                None,
                Err(mismatch("%", "ms")),
            ),
            (
                None,
                "< 400",
                Some("350ms"),
                Some("s"),
                Err(mismatch("s", "ms")),
            ),
            (
                Some("2.1ms"),
                ">= 2.6",
                None,
                Some("%"),
                Err(mismatch("%", "ms")),
            ),
            (Some("abc"), ">= 2", None, None, Err(bad_number("abc"))),
            (None, ">= 2", Some("2..3"), None, Err(bad_number("2..3"))),
            (None, "", None, None, Err(MetricError::Empty)),
            (
                None,
                "+10%",
                Some("5"),
                None,
                Err(MetricError::RelativeWithoutBaseline {
                    raw: "+10%".to_string(),
                }),
            ),
        ];
        for (baseline, target, actual, unit, want) in &cases {
            let case = format!("{baseline:?} {target:?} {actual:?} {unit:?}");
            let got = parse_goal_values(*baseline, target, *actual, *unit);
            match (&got, want) {
                (Ok((gb, gt, ga)), Ok((wb, wt, wa))) => {
                    assert_eq!(gb, wb, "{case}: baseline");
                    assert!(same_target(gt, wt), "{case}: got {gt:?}, want {wt:?}");
                    assert_eq!(ga, wa, "{case}: actual");
                }
                _ => assert_eq!(&got, want, "{case}"),
            }
        }
    }

    #[test]
    fn targets_judge_actuals() {
        let n = |value: f64| q(value, None);
        let cases: &[(Target, f64, bool)] = &[
            (Target::AtLeast(n(2.6)), 2.5, false),
            (Target::AtLeast(n(2.6)), 2.6, true),
            (Target::AtLeast(n(2.6)), 2.7, true),
            (Target::MoreThan(n(2.6)), 2.6, false),
            (Target::MoreThan(n(2.6)), 2.600_000_000_000_1, false),
            (Target::MoreThan(n(2.6)), 2.7, true),
            (Target::MoreThan(n(2.6)), 2.5, false),
            (Target::AtMost(n(300.0)), 299.0, true),
            (Target::AtMost(n(300.0)), 300.0, true),
            (Target::AtMost(n(300.0)), 301.0, false),
            (Target::LessThan(n(300.0)), 299.0, true),
            (Target::LessThan(n(300.0)), 300.0, false),
            (Target::LessThan(n(300.0)), 301.0, false),
            (Target::Equal(n(5.0)), 5.0, true),
            (Target::Equal(n(5.0)), 5.000_000_000_1, true),
            (Target::Equal(n(5.0)), 5.1, false),
            (Target::Equal(n(5.0)), 4.9, false),
            (Target::Equal(n(0.0)), 0.0, true),
            (Target::Equal(n(0.0)), 1e-12, false),
            (Target::Between(n(2.5), n(3.0)), 2.4, false),
            (Target::Between(n(2.5), n(3.0)), 2.5, true),
            (Target::Between(n(2.5), n(3.0)), 2.75, true),
            (Target::Between(n(2.5), n(3.0)), 3.0, true),
            (Target::Between(n(2.5), n(3.0)), 3.1, false),
            // Bounds carrying float noise are met by the value a person writes.
            (Target::AtLeast(n(1.1 + 0.11)), 1.21, true),
            (Target::AtMost(n(0.7 + 0.1)), 0.8, true),
            (Target::Between(n(0.1 * 3.0), n(0.7 + 0.1)), 0.3, true),
            (Target::Between(n(0.1 * 3.0), n(0.7 + 0.1)), 0.8, true),
            (Target::AtLeast(n(-5.0)), -4.0, true),
            (Target::AtLeast(n(-5.0)), -6.0, false),
        ];
        for (target, actual, want) in cases {
            assert_eq!(
                target.is_met_by(&n(*actual)),
                *want,
                "{target:?} by {actual}"
            );
        }
    }

    #[test]
    fn a_computed_target_is_met_by_the_value_written() {
        let (_, target, actual) =
            parse_goal_values(Some("1.1%"), "+10%", Some("1.21%"), None).expect("valid goal");
        let actual = actual.expect("actual given");
        assert!(target.is_met_by(&actual), "{target:?} by {actual:?}");
        let (_, target, actual) =
            parse_goal_values(Some("400ms"), "-15%", Some("340ms"), None).expect("valid goal");
        assert!(target.is_met_by(&actual.expect("actual given")));
    }

    #[test]
    fn another_unit_never_meets_a_target() {
        let target = Target::AtLeast(q(2.6, Some("%")));
        assert!(!target.is_met_by(&q(2.8, Some("ms"))));
        assert!(target.is_met_by(&q(2.8, Some("%"))));
        assert!(target.is_met_by(&q(2.8, None)));
    }

    #[test]
    fn judge_verdicts() {
        let target = Target::AtLeast(q(2.6, Some("%")));
        let today = date(2026, 8, 10);
        let met = q(2.8, Some("%"));
        let missed = q(2.0, Some("%"));
        let cases: &[(Option<&Quantity>, Option<Date>, Verdict)] = &[
            (Some(&met), None, Verdict::Met),
            (Some(&met), Some(date(2026, 9, 1)), Verdict::Met),
            (Some(&met), Some(date(2026, 7, 1)), Verdict::Met),
            (Some(&missed), None, Verdict::Missed),
            (Some(&missed), Some(date(2026, 9, 1)), Verdict::Missed),
            (Some(&missed), Some(date(2026, 7, 1)), Verdict::Missed),
            (None, None, Verdict::Pending),
            (None, Some(date(2026, 8, 11)), Verdict::Pending),
            (None, Some(today), Verdict::Pending),
            (None, Some(date(2026, 8, 9)), Verdict::Overdue),
            (None, Some(date(2025, 1, 1)), Verdict::Overdue),
        ];
        for (actual, review, want) in cases {
            assert_eq!(
                judge(&target, *actual, *review, today),
                *want,
                "{actual:?} review {review:?}"
            );
        }
        let goal = Goal {
            name: "Checkout conversion".to_string(),
            baseline: Some(q(2.1, Some("%"))),
            target,
            actual: None,
            measured: None,
        };
        assert_eq!(
            goal.verdict(Some(date(2026, 8, 9)), today),
            Verdict::Overdue
        );
    }

    #[test]
    fn roll_up_precedence() {
        use Verdict::*;
        let cases: &[(&[Verdict], Option<Verdict>)] = &[
            (&[], None),
            (&[Met], Some(Met)),
            (&[Met, Met], Some(Met)),
            (&[Met, Missed], Some(Missed)),
            (&[Missed, Met], Some(Missed)),
            (&[Missed, Pending, Met], Some(Pending)),
            (&[Pending, Overdue, Missed], Some(Overdue)),
            (&[Overdue, Met], Some(Overdue)),
            (&[Pending], Some(Pending)),
        ];
        for (verdicts, want) in cases {
            assert_eq!(roll_up(verdicts.iter().copied()), *want, "{verdicts:?}");
        }
    }

    #[test]
    fn verdict_names() {
        let cases = [
            (Verdict::Met, "met"),
            (Verdict::Missed, "missed"),
            (Verdict::Pending, "pending"),
            (Verdict::Overdue, "overdue"),
        ];
        for (verdict, want) in cases {
            assert_eq!(verdict.as_str(), want);
            assert_eq!(verdict.to_string(), want);
        }
    }

    #[test]
    fn errors_explain_and_advise() {
        let cases: &[(MetricError, &str, &str)] = &[
            (MetricError::Empty, "empty", "2.6%"),
            (bad_number("2,5%"), "\"2,5%\"", "dot for decimals"),
            (
                bad_target("about 5"),
                "\"about 5\"",
                "\">= 2.6%\", \"2.5%..3%\" or \"+20%\"",
            ),
            (
                mismatch("%", "ms"),
                "\"ms\" does not match \"%\"",
                "in \"%\"",
            ),
            (
                MetricError::RelativeToZero {
                    raw: "+20%".to_string(),
                },
                "baseline of 0",
                "absolute value",
            ),
            (
                MetricError::RelativeWithoutBaseline {
                    raw: "+20%".to_string(),
                },
                "\"+20%\"",
                "baseline:",
            ),
            (
                MetricError::EmptyRange {
                    raw: "3% .. 2.5%".to_string(),
                },
                "\"3% .. 2.5%\"",
                "\"2.5%..3%\"",
            ),
        ];
        for (error, in_message, in_help) in cases {
            let message = error.to_string();
            let help = error.help();
            assert!(message.contains(in_message), "{message:?}");
            assert!(help.contains(in_help), "{help:?}");
        }
    }

    /// Any printed quantity reads back as itself, and no input, however odd,
    /// panics or yields a non-finite value or an inverted range.
    #[test]
    fn odd_inputs_never_panic_and_printing_round_trips() {
        let pieces = [
            "",
            " ",
            "-",
            "+",
            "−",
            "$",
            "€",
            "£",
            "0",
            "7",
            "12",
            "1,200",
            "1_0",
            ".",
            "..",
            ",",
            "_",
            "5.25",
            "%",
            "ms",
            "users",
            "e",
            "e5",
            "x/y",
            "<",
            ">=",
            "≥",
            "=",
            "é",
            "🙂",
            "\u{0301}",
            "9999999999999999999",
        ];
        let baseline = q(3.0, None);
        let mut parsed = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let raw = format!("{a}{b}{c}");
                    if let Ok(quantity) = Quantity::parse(&raw) {
                        parsed += 1;
                        assert!(quantity.value.is_finite(), "{raw:?}");
                        let printed = quantity.to_string();
                        let again = Quantity::parse(&printed);
                        assert!(
                            again.as_ref().is_ok_and(|again| close(again, &quantity)),
                            "{raw:?} printed as {printed:?} read back as {again:?}"
                        );
                    }
                    for base in [None, Some(&baseline)] {
                        match Target::parse(&raw, base, None) {
                            Ok(Target::Between(low, high)) => {
                                assert!(low.value <= high.value, "{raw:?}");
                            }
                            Ok(target) => assert!(!target.to_string().is_empty()),
                            Err(error) => {
                                assert!(!error.to_string().is_empty());
                                assert!(!error.help().is_empty());
                            }
                        }
                    }
                    let _ = parse_goal_values(Some(&raw), &raw, Some(&raw), Some(&raw));
                }
            }
        }
        assert!(parsed > 100, "only {parsed} inputs parsed");
    }
}
