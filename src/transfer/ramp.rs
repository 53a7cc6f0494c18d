//! How many connections a download opens, and when.
//!
//! The first opens at once. When that one alone is slower than
//! `EngineOptions::one_stream_enough`, more are opened step by step (four times as many at each
//! step, up to the ceiling), each step measured once its new connections have sent their first
//! bytes: as long as the total grows with them, the next step follows; once it stops growing the
//! count stays. A capped link (a limit per connection) so fills about as fast as
//! `aria2c -x16 -s16`; on a link that one stream fills (loopback, a fast LAN) extra connections
//! would only cost CPU, and none are opened: the first measurement that shows one stream is
//! enough settles it, however slow a later one is.
//!
//! When the host refuses a new connection (429, 503, a reset before the first byte), the ceiling
//! drops to the connections that work and no more are opened.

use std::time::{Duration, Instant};

/// How often the download is looked at while the ramp may still open connections.
pub(crate) const RAMP_TICK: Duration = Duration::from_millis(25);
/// A measurement lasts at least this long,
const WINDOW: Duration = Duration::from_millis(100);
/// and covers at least this many bytes (many of the host's chunks, so that it is smooth),
const WINDOW_BYTES: u64 = 2 << 20;
/// unless it has lasted this long.
const WINDOW_MAX: Duration = Duration::from_secs(1);
/// New connections that have sent nothing after this long are measured anyway.
const SETTLE: Duration = Duration::from_secs(1);
/// Each step multiplies the connections by this.
const STEP: usize = 4;
/// A step that raised the total by less than this share of what it could (the new connections
/// at the speed of the old ones) ends the ramp.
const MIN_GAIN: f64 = 0.25;

/// The decision of how many connections run, updated from measurements of the total speed.
pub(crate) struct Ramp {
    /// Connections opened (or asked for) so far.
    open: usize,
    /// The most that may run.
    ceiling: usize,
    enough: Option<u64>,
    /// The measurement under way: since when, from how many bytes received. None while the
    /// last step's connections have not all started.
    window: Option<(Instant, u64)>,
    /// When the last step was taken.
    step_at: Instant,
    /// The speed measured before the last step, and the count it was measured with.
    before: Option<(f64, usize)>,
    /// The total stopped growing, or the host refused more: no more steps.
    settled: bool,
}

impl Ramp {
    pub fn new(connections: usize, enough: Option<u64>) -> Ramp {
        Ramp {
            open: 0,
            ceiling: connections.max(1),
            enough,
            window: None,
            step_at: Instant::now(),
            before: None,
            settled: false,
        }
    }

    /// Connections to open at the start.
    pub fn first(&mut self) -> usize {
        self.open = if self.enough.is_none() { self.ceiling } else { 1 };
        self.step_at = Instant::now();
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

    /// Connections to open now, given the bytes received so far and how many connections have
    /// received some.
    pub fn tick(&mut self, now: Instant, received: u64, started: usize) -> usize {
        if !self.waiting() {
            return 0;
        }
        let Some((t0, r0)) = self.window else {
            if started >= self.open || now.saturating_duration_since(self.step_at) >= SETTLE {
                self.window = Some((now, received));
            }
            return 0;
        };
        let dt = now.saturating_duration_since(t0);
        let got = received.saturating_sub(r0);
        if dt < WINDOW || (got < WINDOW_BYTES && dt < WINDOW_MAX) {
            return 0;
        }
        self.window = Some((now, received));
        let rate = got as f64 / dt.as_secs_f64().max(1e-3);
        self.decide(now, rate)
    }

    fn decide(&mut self, now: Instant, rate: f64) -> usize {
        if self.open == 1 && self.enough.is_some_and(|e| rate >= e as f64) {
            // Once is enough to know: a later slow window is the CPU (the md5, the disk, other
            // processes) or the host pausing, which more connections would not help, and they
            // would cost CPU and put the chunks out of the md5's order.
            tracing::debug!("download at {rate:.0} B/s: one connection is enough");
            self.settled = true;
            return 0;
        }
        if let Some((prev, n)) = self.before {
            let could = prev * self.open as f64 / n as f64;
            if rate < prev + (could - prev) * MIN_GAIN {
                tracing::debug!(
                    "download at {rate:.0} B/s with {} connections (was {prev:.0} with {n}): staying",
                    self.open
                );
                self.settled = true;
                return 0;
            }
        }
        let more = (self.open * (STEP - 1)).min(self.ceiling - self.open);
        tracing::debug!("download at {rate:.0} B/s: opening {more} more connection(s)");
        self.before = Some((rate, self.open));
        self.open += more;
        self.window = None;
        self.step_at = now;
        more
    }

    /// A new connection was refused while `working` others run: the ceiling becomes `working`
    /// and the ramp stops.
    pub fn refused(&mut self, working: usize) {
        let working = working.max(1);
        if !self.settled {
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

    const MB: u64 = 1 << 20;

    /// Feeds `per` bytes per second per open connection for `secs`, in ticks; connections
    /// start at once. Returns the connections opened in that time.
    fn run(r: &mut Ramp, t: &mut Instant, got: &mut u64, secs: f64, per: impl Fn(usize) -> u64) -> usize {
        let mut opened = 0;
        let ticks = (secs / RAMP_TICK.as_secs_f64()).round() as usize;
        for _ in 0..ticks {
            *t += RAMP_TICK;
            *got += (per(r.open()) as f64 * RAMP_TICK.as_secs_f64()) as u64;
            opened += r.tick(*t, *got, r.open());
        }
        opened
    }

    #[test]
    fn one_fast_stream_stays_alone() {
        let (mut t, mut got) = (Instant::now(), 0);
        let mut fast = Ramp::new(16, Some(64 * MB));
        assert_eq!(fast.first(), 1);
        assert_eq!(
            run(&mut fast, &mut t, &mut got, 3.0, |_| 200 * MB),
            0,
            "one stream is enough"
        );
        assert!(!fast.waiting(), "settled by the first fast window");
        let mut all = Ramp::new(4, None);
        assert_eq!((all.first(), all.waiting()), (4, false));
        let mut single = Ramp::new(1, Some(64 * MB));
        assert_eq!((single.first(), single.waiting()), (1, false));
    }

    #[test]
    fn a_slow_window_after_a_fast_one_opens_nothing() {
        // Loopback: one stream at 200 MiB/s, then a second where the CPU is busy elsewhere
        // (the md5, other processes) and it gets 30 MiB/s; then fast again.
        let (mut t, mut got) = (Instant::now(), 0);
        let mut r = Ramp::new(16, Some(64 * MB));
        r.first();
        let mut opened = run(&mut r, &mut t, &mut got, 0.5, |_| 200 * MB);
        opened += run(&mut r, &mut t, &mut got, 1.0, |_| 30 * MB);
        opened += run(&mut r, &mut t, &mut got, 0.5, |_| 200 * MB);
        assert_eq!((opened, r.open(), r.waiting()), (0, 1, false));
    }

    #[test]
    fn a_per_connection_cap_ramps_to_the_ceiling_fast() {
        let (mut t, mut got) = (Instant::now(), 0);
        let mut r = Ramp::new(16, Some(64 * MB));
        let opened = r.first() + run(&mut r, &mut t, &mut got, 1.0, |n| 16 * MB * n as u64);
        assert_eq!(
            (opened, r.open(), r.waiting()),
            (16, 16, false),
            "16 within a second"
        );
        // A `--connections 6` ceiling is kept.
        let mut r = Ramp::new(6, Some(64 * MB));
        r.first();
        run(&mut r, &mut t, &mut got, 2.0, |n| 2 * MB * n as u64);
        assert_eq!(r.open(), 6);
    }

    #[test]
    fn a_total_that_stops_growing_ends_the_ramp() {
        // A 10 MiB/s link shared by every connection.
        let (mut t, mut got) = (Instant::now(), 0);
        let mut r = Ramp::new(16, Some(64 * MB));
        r.first();
        run(&mut r, &mut t, &mut got, 5.0, |_| 10 * MB);
        assert_eq!((r.open(), r.waiting()), (4, false));
    }

    #[test]
    fn new_connections_are_measured_once_they_send() {
        let (mut t, mut got) = (Instant::now(), 0);
        let mut r = Ramp::new(16, Some(64 * MB));
        r.first();
        // Nothing started yet: no measurement, however slow.
        for _ in 0..10 {
            t += RAMP_TICK;
            assert_eq!(r.tick(t, 0, 0), 0);
        }
        while r.open() == 1 {
            t += RAMP_TICK;
            got += MB / 4;
            r.tick(t, got, 1);
        }
        assert_eq!(r.open(), 4);
        // The three new ones take long to send their first bytes: the ramp waits for them.
        for _ in 0..20 {
            t += RAMP_TICK;
            got += MB / 4;
            assert_eq!(r.tick(t, got, 1), 0);
        }
        run(&mut r, &mut t, &mut got, 0.5, |n| 8 * MB * n as u64);
        assert_eq!(r.open(), 16);
    }

    #[test]
    fn a_refusal_lowers_the_ceiling() {
        let (mut t, mut got) = (Instant::now(), 0);
        let mut r = Ramp::new(16, Some(64 * MB));
        r.first();
        run(&mut r, &mut t, &mut got, 0.4, |n| 8 * MB * n as u64);
        assert_eq!(r.open(), 4);
        r.refused(3);
        assert_eq!((r.open(), r.waiting()), (3, false));
        assert_eq!(run(&mut r, &mut t, &mut got, 1.0, |n| 8 * MB * n as u64), 0);
    }
}
