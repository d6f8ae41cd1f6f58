//! The metric target parser: a goal's baseline, target, actual and unit (the input split
//! on newlines) parsed together and judged. No input may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use specsite::model::metric;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(4, '\n');
    let target = parts.next().unwrap_or("");
    let baseline = parts.next();
    let actual = parts.next();
    let unit = parts.next();
    let _ = metric::Quantity::parse(target);
    let _ = metric::Target::parse(target, None, unit);
    if let Ok((_, t, a)) = metric::parse_goal_values(baseline, target, actual, unit) {
        let today = jiff::civil::date(2026, 11, 22);
        let _ = metric::judge(&t, a.as_ref(), Some(today), today);
    }
});
