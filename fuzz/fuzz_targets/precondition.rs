//! libFuzzer target `precondition` (nightly: `cargo +nightly fuzz run precondition`); the check is in `canopy_fuzz::precondition`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| canopy_fuzz::precondition(data));
