//! libFuzzer target `route_pattern` (nightly: `cargo +nightly fuzz run route_pattern`); the check is in `canopy_fuzz::route_pattern`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| canopy_fuzz::route_pattern(data));
