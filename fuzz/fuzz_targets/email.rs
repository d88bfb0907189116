//! libFuzzer target `email` (nightly: `cargo +nightly fuzz run email`); the check is in `canopy_fuzz::email`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| canopy_fuzz::email(data));
