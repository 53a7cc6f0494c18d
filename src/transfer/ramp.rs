//! How many connections a download opens, and when. The first opens at once; the others only
//! when the first alone is slower than `EngineOptions::one_stream_enough`, measured after a quarter
//! of a second and then every second. On a link that one stream fills (loopback, a fast LAN) extra
//! connections add only CPU; against a per-connection cap they multiply the speed.

use std::time::{Duration, Instant};

/// When a download's first connection is measured, to decide on the others.
pub(crate) const RAMP_PROBE: Duration = Duration::from_millis(250);

/// How many connections a download opens, and when: the first at once, the others only when
/// the first alone is slower than `enough` bytes per second.
pub(crate) struct Ramp {
    rest: usize,
    enough: Option<u64>,
    last: (Instant, u64),
}

impl Ramp {
    pub fn new(connections: usize, enough: Option<u64>, done: u64) -> Ramp {
        Ramp {
            rest: connections.max(1) - 1,
            enough,
            last: (Instant::now(), done),
        }
    }
    /// Connections to open at the start.
    pub fn first(&mut self) -> usize {
        if self.enough.is_none() {
            let all = 1 + self.rest;
            self.rest = 0;
            return all;
        }
        1
    }
    pub fn waiting(&self) -> bool {
        self.rest > 0
    }
    /// Connections to open now, given the bytes done so far.
    pub fn check(&mut self, done: u64) -> usize {
        let (t0, d0) = std::mem::replace(&mut self.last, (Instant::now(), done));
        let secs = t0.elapsed().as_secs_f64().max(1e-3);
        let rate = done.saturating_sub(d0) as f64 / secs;
        match self.enough {
            Some(enough) if rate >= enough as f64 => {
                tracing::debug!("download at {rate:.0} B/s: one connection is enough");
                0
            }
            _ => {
                tracing::debug!(
                    "download at {rate:.0} B/s: opening {} more connections",
                    self.rest
                );
                std::mem::take(&mut self.rest)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(r: &mut Ramp, secs: f64, done: u64) -> usize {
        r.last.0 = Instant::now() - Duration::from_secs_f64(secs);
        r.check(done)
    }

    #[test]
    fn opens_the_rest_only_when_one_stream_is_slow() {
        let mb = 1u64 << 20;
        let mut fast = Ramp::new(4, Some(64 * mb), 0);
        assert_eq!(fast.first(), 1);
        assert_eq!(
            measured(&mut fast, 0.5, 100 * mb),
            0,
            "200 MiB/s: one stream is enough"
        );
        assert!(fast.waiting());
        // It slows down later: the rest open, once.
        assert_eq!(measured(&mut fast, 1.0, 110 * mb), 3);
        assert!(!fast.waiting());
        assert_eq!(measured(&mut fast, 1.0, 111 * mb), 0);

        let mut capped = Ramp::new(4, Some(64 * mb), 5 * mb);
        assert_eq!(capped.first(), 1);
        assert_eq!(
            measured(&mut capped, 0.5, 5 * mb + 12 * mb),
            3,
            "24 MiB/s: open the rest"
        );

        let mut all = Ramp::new(4, None, 0);
        assert_eq!((all.first(), all.waiting()), (4, false));
        let mut single = Ramp::new(1, Some(64 * mb), 0);
        assert_eq!((single.first(), single.waiting()), (1, false));
    }
}
