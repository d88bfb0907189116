//! The stable stand-in for libFuzzer (`cargo xtask fuzz`): drives the same target functions with
//! random inputs for a bounded time each. Inputs are seeds of valid client text, mutated (bytes
//! flipped, inserted, deleted, spliced from a dictionary of the parsers' special characters) or
//! made from scratch, so that both the edges of valid input and plain garbage are reached.
//!
//! Usage: `random [--seconds N] [--seed N] [target...]` (no target: all of them). A panic in a
//! target prints the input that caused it (as hex and lossy text) and exits with failure.

use std::time::{Duration, Instant};

/// Valid or nearly valid inputs to start from, shared by all targets (each ignores what is not its own).
const SEEDS: &[&str] = &[
    "admin@example.com",
    "john.doe@netaxis.be",
    "a@b.c",
    "sip.server.address",
    "trunk_1-name",
    "^\\+32[0-9]{8}$",
    "(a|b)*c{1,3}",
    "acme\u{ff}name\u{ff}asc\u{ff}1\u{ff}10",
    "\"3\"",
    "W/\"12\"",
    "*",
    "eyJzIjoiZGVmYXVsdC8vZ3JvdXBzIn0.AAAAAAAAAAAAAAAAAAAAAA",
    "{\"s\":\"default//groups\",\"q\":{\"search\":null,\"sort\":\"name\",\"dir\":\"asc\",\"page_size\":10},\"p\":2,\"t\":30,\"a\":{\"k\":\"x\",\"i\":\"00000000-0000-0000-0000-000000000001\"}}",
    "{\"s\":\"default/00000000-0000-0000-0000-000000000001/voice_routing/pstn_usages\",\"q\":{\"search\":null,\"sort\":\"id\",\"dir\":\"desc\",\"page_size\":0},\"p\":0,\"t\":18446744073709551615,\"a\":{\"k\":\"\",\"i\":-1}}",
];

/// Fragments that matter to the parsers: separators, regex metacharacters, JSON, odd Unicode.
const DICTIONARY: &[&str] = &[
    "@",
    ".",
    "-",
    "_",
    "\u{ff}",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "*",
    "+",
    "?",
    "|",
    "\\",
    "^",
    "$",
    "{999999}",
    "(?:",
    "\\p{L}",
    "\"",
    ":",
    ",",
    "null",
    "0",
    "-1",
    "18446744073709551615",
    "\u{0}",
    "\n",
    " ",
    "é",
    "\u{200b}",
    "\u{1F600}",
    "İ",
    "ß",
    "%",
    "=",
    "/",
    "asc",
    "desc",
    "W/",
    "name",
    "uuid",
    "tenantId",
    "draasDomain",
    "id",
];

/// xorshift64*: deterministic from its seed, so a failure can be replayed with `--seed`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn input(rng: &mut Rng) -> Vec<u8> {
    let mut data: Vec<u8> = match rng.below(4) {
        0 => (0..rng.below(300)).map(|_| rng.next() as u8).collect(),
        _ => SEEDS[rng.below(SEEDS.len())].as_bytes().to_vec(),
    };
    for _ in 0..rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(5) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 if at < data.len() => {
                data.remove(at);
            }
            2 => {
                let word = DICTIONARY[rng.below(DICTIONARY.len())].as_bytes();
                data.splice(at..at, word.iter().copied());
            }
            3 => {
                // Long inputs test the length limits; repeat a slice.
                let piece: Vec<u8> = data[at..].iter().copied().take(16).collect();
                for _ in 0..rng.below(200) {
                    data.extend_from_slice(&piece);
                }
            }
            _ => data.insert(at, rng.next() as u8),
        }
    }
    data
}

fn main() {
    let mut seconds = 30u64;
    let mut seed = 0x5EED_CA90_0F1A_u64;
    let mut chosen: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => seconds = args.next().and_then(|v| v.parse().ok()).expect("--seconds N"),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect("--seed N"),
            name => chosen.push(name.to_owned()),
        }
    }
    let targets: Vec<_> =
        canopy_fuzz::TARGETS.iter().filter(|(name, _)| chosen.is_empty() || chosen.iter().any(|c| c == name)).collect();
    if targets.is_empty() {
        let names: Vec<_> = canopy_fuzz::TARGETS.iter().map(|(name, _)| *name).collect();
        eprintln!("no such target; targets: {}", names.join(", "));
        std::process::exit(2);
    }
    // Panics are the failures we look for: report the input, not only the default message.
    let mut failed = false;
    for (name, target) in targets {
        let mut rng = Rng(seed | 1);
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut runs = 0u64;
        while Instant::now() < deadline {
            let data = input(&mut rng);
            let outcome = std::panic::catch_unwind(|| target(&data));
            runs += 1;
            if outcome.is_err() {
                let hex: String = data.iter().map(|b| format!("{b:02x}")).collect();
                eprintln!("fuzz {name}: FAILED after {runs} inputs (seed {seed})");
                eprintln!("  input (hex): {hex}");
                eprintln!("  input (text): {:?}", String::from_utf8_lossy(&data));
                failed = true;
                break;
            }
        }
        if !failed {
            eprintln!("fuzz {name}: {runs} inputs in {seconds} s, no failure");
        }
    }
    if failed {
        std::process::exit(1);
    }
}
