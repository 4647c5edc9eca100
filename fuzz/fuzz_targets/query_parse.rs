//! Arbitrary text typed into `fazhi search`: the parser answers with clauses or a one-line
//! error, never a panic.
#![no_main]

use fazhi::Query;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    match Query::parse(raw) {
        Ok(parsed) => {
            assert_eq!(parsed.raw, raw);
            assert!(parsed.clauses.iter().all(|c| !c.text().is_empty()));
        }
        Err(err) => assert!(!err.to_string().contains('\n')),
    }
});
