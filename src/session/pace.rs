//! The interface goes first: a large read gives way for a moment after
//! each key and each frame, so that on a machine of two cores the screen
//! answers a key (and the terminal shows the frame) while the rest of a
//! 50 MB article is still being read, as `less` answers at once because it
//! reads only what it shows.
//!
//! Faulting in fresh memory is most of the cost of reading a large file
//! (measured: 25 ms of CPU for 50 MB, against 8 ms to copy it), and on two
//! cores that read, the drawing thread and the terminal contend: a `G`
//! typed during it reached the screen 5 to 8 ms later than with nothing
//! being read. The wait is bounded, so a read never starves under a held
//! key or a stream of mouse moves.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long after a key or a frame a read waits before going on.
pub const QUIET: Duration = Duration::from_millis(5);
/// The most one read waits in all: past it, it reads straight on.
pub const BUDGET: Duration = Duration::from_millis(150);

/// When the interface last did something, shared by the thread that takes
/// keys, the one that draws, and the readers that give way to them.
#[derive(Debug)]
pub struct Pace {
    epoch: Instant,
    /// One more than the microseconds from `epoch` to the last key or
    /// frame; 0 for none.
    last: AtomicU64,
}

impl Default for Pace {
    fn default() -> Self {
        Pace {
            epoch: Instant::now(),
            last: AtomicU64::new(0),
        }
    }
}

impl Pace {
    /// The interface has just taken a key or written a frame.
    pub fn touch(&self) {
        let us = self.epoch.elapsed().as_micros() as u64 + 1;
        self.last.store(us, Ordering::Relaxed);
    }

    /// How long until the interface has been quiet for `QUIET`; zero if it
    /// already has.
    pub fn due(&self) -> Duration {
        let last = self.last.load(Ordering::Relaxed);
        if last == 0 {
            return Duration::ZERO;
        }
        let quiet_at = Duration::from_micros(last - 1) + QUIET;
        quiet_at.saturating_sub(self.epoch.elapsed())
    }

    /// A pause for one read: waits while the interface is busy, `BUDGET`
    /// at most over all the calls of the function it returns.
    pub fn pauser(&self) -> impl Fn() + Sync + '_ {
        let spent = AtomicU64::new(0);
        move || {
            let budget = BUDGET.as_micros() as u64;
            loop {
                let wait = self.due();
                let used = spent.load(Ordering::Relaxed);
                if wait.is_zero() || used >= budget {
                    return;
                }
                let wait = wait.min(Duration::from_micros(budget - used));
                std::thread::sleep(wait);
                spent.fetch_add(wait.as_micros() as u64, Ordering::Relaxed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untouched_pace_never_waits() {
        let p = Pace::default();
        assert_eq!(p.due(), Duration::ZERO);
        let t = Instant::now();
        (p.pauser())();
        assert!(t.elapsed() < QUIET);
    }

    #[test]
    fn a_read_waits_for_quiet_after_a_key() {
        let p = Pace::default();
        let t = Instant::now();
        p.touch();
        assert!(p.due() <= QUIET);
        (p.pauser())();
        // It went on only once the interface had been quiet for QUIET
        // (give or take the microsecond the time is kept in).
        assert!(t.elapsed() >= QUIET - Duration::from_micros(10));
        assert_eq!(p.due(), Duration::ZERO);
    }

    #[test]
    fn a_read_under_endless_keys_waits_no_longer_than_its_budget() {
        let p = std::sync::Arc::new(Pace::default());
        p.touch();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let keys = {
            let (p, stop) = (p.clone(), stop.clone());
            std::thread::spawn(move || {
                // Two seconds at most: a read that never stopped waiting
                // then shows as a failure, not a hang.
                let until = Instant::now() + Duration::from_secs(2);
                while !stop.load(Ordering::Relaxed) && Instant::now() < until {
                    p.touch();
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
        };
        let pause = p.pauser();
        let t = Instant::now();
        for _ in 0..100 {
            pause();
        }
        let took = t.elapsed();
        stop.store(true, Ordering::Relaxed);
        keys.join().unwrap();
        // Keys every millisecond never leave it QUIET: it waits its whole
        // budget, then reads on.
        assert!(
            took >= BUDGET - Duration::from_millis(1),
            "it did not give way to the keys: {took:?}"
        );
        assert!(took < BUDGET * 3, "it waited past its budget: {took:?}");
    }
}
