//! libFuzzer target `signed_token` (nightly: `cargo +nightly fuzz run signed_token`); the check is in `canopy_fuzz::signed_token`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| canopy_fuzz::signed_token(data));
