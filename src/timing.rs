//! Phase timings on stderr, for profiling a run: set `BIASLENS_TIMINGS=1`. Off by default,
//! and never part of any output file.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("BIASLENS_TIMINGS").is_some_and(|v| v != "0"))
}

/// A stopwatch that prints each lap when timings are on.
pub struct Laps {
    start: Instant,
    last: Instant,
    what: &'static str,
}

impl Laps {
    /// Starts timing `what` (e.g. `extract`).
    pub fn new(what: &'static str) -> Self {
        let now = Instant::now();
        Laps { start: now, last: now, what }
    }

    /// Prints the time since the previous lap, labelled `phase`.
    pub fn lap(&mut self, phase: &str) {
        let now = Instant::now();
        if enabled() {
            eprintln!(
                "[timing] {} {phase}: {:.3} s (at {:.3} s){}",
                self.what,
                (now - self.last).as_secs_f64(),
                (now - self.start).as_secs_f64(),
                memory()
            );
        }
        self.last = now;
    }
}

/// `, RSS 1.2 GB (peak 2.0 GB)` from `/proc/self/status`, where there is one (Linux).
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return String::new() };
    let kb = |key: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        line[key.len()..].trim().trim_end_matches("kB").trim().parse().ok()
    };
    match (kb("VmRSS:"), kb("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", RSS {:.2} GB (peak {:.2} GB)", now / 1e6, peak / 1e6),
        _ => String::new(),
    }
}
