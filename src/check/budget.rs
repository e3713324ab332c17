//! How much work one check may do: a time limit, and a flag the caller raises when nobody is
//! waiting for the answer any more (the request ended). The check looks at both between its
//! stages and every few blocks, and stops with [`CheckError::Stopped`](super::CheckError).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The limits of one check.
#[derive(Debug, Clone, Default)]
pub struct Budget {
    deadline: Option<Instant>,
    cancelled: Option<Arc<AtomicBool>>,
}

/// Why a check stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// It used its time.
    OutOfTime,
    /// The caller stopped waiting for it.
    Cancelled,
}

impl Budget {
    /// No limit: the check runs to its end (the command line, tests).
    pub fn unlimited() -> Self {
        Budget::default()
    }

    /// At most `time` from now, and no longer than `cancelled` stays false.
    pub fn new(time: Duration, cancelled: Arc<AtomicBool>) -> Self {
        Budget {
            deadline: Some(Instant::now() + time),
            cancelled: Some(cancelled),
        }
    }

    /// Whether the check may go on.
    pub fn check(&self) -> Result<(), Stop> {
        if self
            .cancelled
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
        {
            return Err(Stop::Cancelled);
        }
        if self.deadline.is_some_and(|end| Instant::now() >= end) {
            return Err(Stop::OutOfTime);
        }
        Ok(())
    }

    /// [`Budget::check`] every 64th step of a loop, so the clock is not read for every block.
    pub fn every(&self, step: usize) -> Result<(), Stop> {
        if step.is_multiple_of(64) {
            self.check()
        } else {
            Ok(())
        }
    }
}

/// Raises a flag when dropped: held by the request that waits for a check, so the check stops
/// when the request ends, however it ends (answered, timed out, client gone).
#[derive(Debug)]
pub struct CancelOnDrop(pub Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_stops_on_time_and_on_cancel() {
        assert_eq!(Budget::unlimited().check(), Ok(()));
        let flag = Arc::new(AtomicBool::new(false));
        let budget = Budget::new(Duration::from_secs(60), flag.clone());
        assert_eq!(budget.check(), Ok(()));
        drop(CancelOnDrop(flag));
        assert_eq!(budget.check(), Err(Stop::Cancelled));
        let spent = Budget::new(Duration::ZERO, Arc::new(AtomicBool::new(false)));
        assert_eq!(spent.check(), Err(Stop::OutOfTime));
        assert_eq!(spent.every(1), Ok(()), "only every 64th step looks");
    }
}
