//! Work below the interface: the threads that read, search and write run
//! at a slightly lower priority than the one that draws and takes keys,
//! so that on a machine of two cores a corpus search or a large read never
//! holds the terminal and the interface off the CPU. Measured on the
//! 50 MB launch-and-`G` row: 28 ms with it against 30 to 34 ms without.

/// Lowers the calling thread's scheduling priority a little (Linux's
/// per-thread nice value, 5: under a full load the thread still gets a
/// third of what an ordinary one gets, so it is slowed, never starved);
/// where that fails, nothing changes.
#[cfg(target_os = "linux")]
pub fn lower() {
    // SAFETY: setpriority on the calling thread's own id, which gettid
    // gives; it changes nothing but that thread's nice value.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 5);
    }
}

/// Elsewhere a thread's priority cannot be set apart from its process's.
#[cfg(not(target_os = "linux"))]
pub fn lower() {}
