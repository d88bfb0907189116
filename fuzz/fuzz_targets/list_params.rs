//! libFuzzer target `list_params` (nightly: `cargo +nightly fuzz run list_params`); the check is in `canopy_fuzz::list_params`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| canopy_fuzz::list_params(data));
