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
    /// Process CPU seconds at the last lap, where known.
    cpu: Option<f64>,
    what: &'static str,
}

impl Laps {
    /// Starts timing `what` (e.g. `extract`).
    pub fn new(what: &'static str) -> Self {
        let now = Instant::now();
        Laps { start: now, last: now, cpu: enabled().then(cpu_seconds).flatten(), what }
    }

    /// Prints the time since the previous lap, labelled `phase`.
    pub fn lap(&mut self, phase: &str) {
        let now = Instant::now();
        if enabled() {
            let cpu = cpu_seconds();
            // The whole process's CPU over the lap: every thread, including laps that
            // overlap this one (strands run side by side).
            let used = match (self.cpu, cpu) {
                (Some(a), Some(b)) => format!(", CPU {:.2} s", b - a),
                _ => String::new(),
            };
            eprintln!(
                "[timing] {} {phase}: {:.3} s (at {:.3} s){used}{}",
                self.what,
                (now - self.last).as_secs_f64(),
                (now - self.start).as_secs_f64(),
                memory()
            );
            self.cpu = cpu;
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

/// User + system CPU seconds of the whole process so far, from `/proc/self/stat` (Linux; in
/// clock ticks, which are 1/100 s on every Linux this runs on).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after it are plain numbers.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ').skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}
