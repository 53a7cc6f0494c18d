//! How many connections a download opens, and when.
//!
//! The first opens at once. While the download runs slower than
//! `EngineOptions::one_stream_enough`, more are opened step by step (the count doubles, up to the
//! ceiling), each step measured over the next interval: as long as the total grows by a fair
//! share, the next step follows; once it stops growing the count stays. A capped link (a limit per
//! connection) so fills like a well-tuned `aria2c -x16`; on a link that one stream fills (loopback,
//! a fast LAN) extra connections would only cost CPU, and none are opened.
//!
//! When the host refuses a new connection (429, 503, a reset before the first byte), the ceiling
//! drops to the connections that work and no more are opened.

use std::time::{Duration, Instant};

/// When a download's first connection is measured, to decide on the others.
pub(crate) const RAMP_PROBE: Duration = Duration::from_millis(250);
/// A step that raised the total by less than this (relative to the step's share) ends the ramp.
const MIN_GAIN: f64 = 0.25;

/// The decision of how many connections run, updated from measurements of the total speed.
pub(crate) struct Ramp {
    /// Connections opened (or asked for) so far.
    open: usize,
    /// The most that may run.
    ceiling: usize,
    enough: Option<u64>,
    last: (Instant, u64),
    /// The speed measured before the last step, and the count it was measured with.
    before: Option<(f64, usize)>,
    /// The total stopped growing, or the host refused more: no more steps.
    settled: bool,
}

impl Ramp {
    pub fn new(connections: usize, enough: Option<u64>, done: u64) -> Ramp {
        Ramp {
            open: 0,
            ceiling: connections.max(1),
            enough,
            last: (Instant::now(), done),
            before: None,
            settled: false,
        }
    }

    /// Connections to open at the start.
    pub fn first(&mut self) -> usize {
        self.open = if self.enough.is_none() { self.ceiling } else { 1 };
        self.last.0 = Instant::now();
        self.open
    }

    /// True while more connections may still be opened.
    pub fn waiting(&self) -> bool {
        !self.settled && self.open < self.ceiling
    }

    /// Connections currently meant to run.
    pub fn open(&self) -> usize {
        self.open
    }

    /// Connections to open now, given the bytes done so far.
    pub fn check(&mut self, done: u64) -> usize {
        let (t0, d0) = std::mem::replace(&mut self.last, (Instant::now(), done));
        let secs = t0.elapsed().as_secs_f64().max(1e-3);
        let rate = done.saturating_sub(d0) as f64 / secs;
        if !self.waiting() {
            return 0;
        }
        if self.enough.is_some_and(|e| rate >= e as f64) {
            tracing::debug!(
                "download at {rate:.0} B/s: {} connection(s) are enough",
                self.open
            );
            self.before = None;
            return 0;
        }
        if let Some((prev, n)) = self.before {
            // The last step added `self.open - n` connections to `n`: their fair share of gain.
            let share = (self.open - n) as f64 / n as f64;
            if rate < prev * (1.0 + share * MIN_GAIN) {
                tracing::debug!(
                    "download at {rate:.0} B/s with {} connections (was {prev:.0}): staying",
                    self.open
                );
                self.settled = true;
                return 0;
            }
        }
        let more = self.open.min(self.ceiling - self.open);
        tracing::debug!("download at {rate:.0} B/s: opening {more} more connection(s)");
        self.before = Some((rate, self.open));
        self.open += more;
        more
    }

    /// A new connection was refused while `working` others run: the ceiling becomes `working`
    /// and the ramp stops.
    pub fn refused(&mut self, working: usize) {
        let working = working.max(1);
        if working < self.ceiling || !self.settled {
            tracing::debug!("download host refused a connection: staying at {working}");
        }
        self.ceiling = self.ceiling.min(working);
        self.open = self.open.min(working);
        self.settled = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(r: &mut Ramp, secs: f64, done: u64) -> usize {
        r.last.0 = Instant::now() - Duration::from_secs_f64(secs);
        r.check(done)
    }

    const MB: u64 = 1 << 20;

    #[test]
    fn one_fast_stream_stays_alone() {
        let mut fast = Ramp::new(16, Some(64 * MB), 0);
        assert_eq!(fast.first(), 1);
        assert_eq!(
            measured(&mut fast, 0.5, 100 * MB),
            0,
            "200 MiB/s: one stream is enough"
        );
        assert!(fast.waiting());
        // It slows down later: more open.
        assert_eq!(measured(&mut fast, 1.0, 110 * MB), 1);
        let mut all = Ramp::new(4, None, 0);
        assert_eq!((all.first(), all.waiting()), (4, false));
        let mut single = Ramp::new(1, Some(64 * MB), 0);
        assert_eq!((single.first(), single.waiting()), (1, false));
    }

    #[test]
    fn a_per_connection_cap_ramps_to_the_ceiling() {
        let mut r = Ramp::new(16, Some(64 * MB), 0);
        assert_eq!(r.first(), 1);
        let mut done = 0;
        let mut opened = 1;
        // 4 MiB/s per connection: every step multiplies the total.
        for _ in 0..6 {
            done += 4 * MB * r.open() as u64;
            opened += measured(&mut r, 1.0, done);
        }
        assert_eq!((opened, r.open(), r.waiting()), (16, 16, false));
        // A `--connections 6` ceiling is kept.
        let mut r = Ramp::new(6, Some(64 * MB), 0);
        r.first();
        let mut done = 0;
        for _ in 0..6 {
            done += 4 * MB * r.open() as u64;
            measured(&mut r, 1.0, done);
        }
        assert_eq!(r.open(), 6);
    }

    #[test]
    fn a_total_that_stops_growing_ends_the_ramp() {
        // A 10 MiB/s link shared by every connection.
        let mut r = Ramp::new(16, Some(64 * MB), 0);
        r.first();
        let mut done = 0;
        for _ in 0..6 {
            done += 10 * MB;
            measured(&mut r, 1.0, done);
        }
        assert_eq!((r.open(), r.waiting()), (2, false));
    }

    #[test]
    fn a_refusal_lowers_the_ceiling() {
        let mut r = Ramp::new(16, Some(64 * MB), 0);
        r.first();
        assert_eq!(measured(&mut r, 1.0, 4 * MB), 1);
        assert_eq!(measured(&mut r, 1.0, 12 * MB), 2);
        r.refused(3);
        assert_eq!((r.open(), r.waiting()), (3, false));
        assert_eq!(measured(&mut r, 1.0, 24 * MB), 0);
    }
}
