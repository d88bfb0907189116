//! libFuzzer target `property_key` (nightly: `cargo +nightly fuzz run property_key`); the check is in `canopy_fuzz::property_key`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| canopy_fuzz::property_key(data));
