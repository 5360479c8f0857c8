//! Fuzz target: every value check on any text. None may panic, and each must agree with
//! itself: a value read as a date both ways reads the same again; an email the check accepts
//! has a host the website check accepts.
#![no_main]

use crm_ready::audit::checks::{
    boolean, consistency, country, date, email, freshness, number, phone, url,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let value = text.trim();
    if let Ok(info) = email::check(value) {
        let _ = info;
        let domain = email::domain_of(value).expect("a valid email has a domain");
        assert!(email::valid_host(&domain), "{value:?}");
    }
    let _ = phone::check(value);
    let _ = url::check(value);
    let _ = country::check(value);
    let _ = number::check(value);
    let _ = boolean::check(value);
    assert_eq!(date::read(value), date::read(value));
    let rule = freshness::DateRule {
        as_of: 20_785,
        history: true,
        windows: vec![30, 365],
    };
    let mut counter = freshness::DateCounter::default();
    counter.count(&rule, value, true);
    let _ = counter.result();
    let _ = consistency::normalize(value);
    let _ = consistency::normalize_region(value);
    let _ = consistency::is_mojibake(text);
});
