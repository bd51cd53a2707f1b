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

/// The options for a command, set before any work: transparent huge pages off (zeroing
/// 2 MiB per fault for small heaps cost seconds of kernel time), and freed memory kept
/// rather than handed back after 10 ms, except for `extract`, whose large buffers are
/// better returned.
pub fn tune(command: &str) {
    set(MI_OPTION_ALLOW_THP, 0, "MIMALLOC_ALLOW_THP");
    if command != "extract" {
        set(MI_OPTION_PURGE_DELAY, -1, "MIMALLOC_PURGE_DELAY");
    }
}

/// From now on, memory freed is handed back to the system at once. Extract calls it when
/// it turns the parsed rows into columns, freeing the rows as it goes: with the pages they
/// held returned at once, the peak is the larger of the two, not nearly their sum (1.82
/// against 1.57 GB at 100k digests). While parsing, the 10 ms delay is the faster choice.
pub fn return_freed_memory_at_once() {
    set(MI_OPTION_PURGE_DELAY, 0, "MIMALLOC_PURGE_DELAY");
}
