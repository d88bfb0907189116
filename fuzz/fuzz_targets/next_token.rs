//! libFuzzer target `next_token` (nightly: `cargo +nightly fuzz run next_token`); the check is in `canopy_fuzz::next_token`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| canopy_fuzz::next_token(data));
