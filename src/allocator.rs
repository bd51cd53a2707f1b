//! Options of the allocator (mimalloc, set as the global allocator in `main.rs`), as
//! measured on 100k digests (BENCHMARKS.md). A variable set in the environment
//! (`MIMALLOC_ALLOW_THP`, `MIMALLOC_PURGE_DELAY`) always wins.

/// Indices of `mi_option_e` in mimalloc v3's `mimalloc.h`, as vendored by libmimalloc-sys
/// 0.1.49 (pinned in Cargo.toml).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const MI_OPTION_ALLOW_THP: libmimalloc_sys::mi_option_t = 43;

fn set(option: libmimalloc_sys::mi_option_t, value: std::ffi::c_long, variable: &str) {
    if std::env::var_os(variable).is_none() {
        // SAFETY: sets a plain integer option. Called between phases, when no other work
        // runs; mimalloc reads its options as aligned words, so a thread freeing memory at
        // that moment would see the old value or the new, both valid.
        unsafe { libmimalloc_sys::mi_option_set(option, value) };
    }
}

/// Whether [`return_freed_memory_at_once`] hands memory back: yes unless [`tune`] was told
/// the command analyses afterwards (`run`).
static HAND_BACK: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// The options for a command, set before any work: transparent huge pages off for the
/// process ([`no_huge_pages`]), and freed memory kept rather than handed back after
/// mimalloc's purge delay, except for `extract`, whose large buffers are better returned
/// (BENCHMARKS.md, "Figures behind the code"). `run` keeps them even while its extract
/// turns rows into columns ([`return_freed_memory_at_once`]).
pub fn tune(command: &str) {
    set(MI_OPTION_ALLOW_THP, 0, "MIMALLOC_ALLOW_THP");
    no_huge_pages();
    if command != "extract" {
        set(MI_OPTION_PURGE_DELAY, -1, "MIMALLOC_PURGE_DELAY");
    }
    HAND_BACK.store(command != "run", std::sync::atomic::Ordering::Relaxed);
}

/// Turns transparent huge pages off for the whole process, as `MIMALLOC_ALLOW_THP=0` in the
/// environment does when mimalloc starts (it calls `prctl(PR_SET_THP_DISABLE)` then). The
/// option set afterwards ([`tune`]) only stops mimalloc asking for huge pages for what it
/// maps from then on; memory it had reserved at start-up still took them, and with the
/// kernel's `defrag=madvise` a fault there may compact memory first and always zeroes
/// 2 MiB: kernel time moved by seconds from run to run (BENCHMARKS.md, "Issue 30: extract at
/// its bar, huge pages off"). A variable set in the environment still wins.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        extern "C" {
            fn prctl(option: std::ffi::c_int, ...) -> std::ffi::c_int;
        }
        const PR_SET_THP_DISABLE: std::ffi::c_int = 41;
        // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and only sets a flag of
        // this process's memory map; an old kernel refuses it (-1), which changes nothing.
        unsafe {
            prctl(
                PR_SET_THP_DISABLE,
                1 as std::ffi::c_ulong,
                0 as std::ffi::c_ulong,
                0 as std::ffi::c_ulong,
                0 as std::ffi::c_ulong,
            )
        };
    }
}

/// Until the guard returned is dropped, memory freed is handed back to the system at once.
/// Extract holds one while it turns the parsed rows into columns, freeing the rows as it
/// goes: with the pages they held returned at once, the peak is the larger of the two, not
/// nearly their sum (BENCHMARKS.md, "Figures behind the code"). While parsing, the default
/// delay is the faster choice. In `run` the guard changes nothing: the analysis that follows
/// peaks higher than the extract and reuses the pages kept, where pages handed back cost
/// it seconds of kernel time zeroing fresh ones (a full run at 100k 16.6 – 19.2 s against
/// 14.8 – 15.0 s, for a peak 0.1 – 0.2 GB higher; BENCHMARKS.md).
#[must_use = "the option holds only while the guard lives"]
pub fn return_freed_memory_at_once() -> PurgeAtOnce {
    // SAFETY: reads a plain integer option.
    let before = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
    if HAND_BACK.load(std::sync::atomic::Ordering::Relaxed) {
        set(MI_OPTION_PURGE_DELAY, 0, "MIMALLOC_PURGE_DELAY");
    }
    PurgeAtOnce { before }
}

/// See [`return_freed_memory_at_once`]: restores the purge delay when dropped.
pub struct PurgeAtOnce {
    before: std::ffi::c_long,
}

impl Drop for PurgeAtOnce {
    fn drop(&mut self) {
        set(MI_OPTION_PURGE_DELAY, self.before, "MIMALLOC_PURGE_DELAY");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purge_delay() -> std::ffi::c_long {
        // SAFETY: reads a plain integer option.
        unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }
    }

    #[test]
    fn the_purge_delay_is_zero_while_the_guard_lives_and_as_before_after() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return; // The environment wins, and this test would only read it back.
        }
        set(MI_OPTION_PURGE_DELAY, -1, "MIMALLOC_PURGE_DELAY");
        {
            let _guard = return_freed_memory_at_once();
            assert_eq!(purge_delay(), 0);
        }
        assert_eq!(purge_delay(), -1);
        // `run` keeps freed memory for its analysis, even under the guard.
        HAND_BACK.store(false, std::sync::atomic::Ordering::Relaxed);
        {
            let _guard = return_freed_memory_at_once();
            assert_eq!(purge_delay(), -1);
        }
        HAND_BACK.store(true, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(purge_delay(), -1);
    }
}
