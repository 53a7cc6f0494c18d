//! Smoothed speed and ETA from byte counts sampled a few times a second.

use std::time::{Duration, Instant};

/// Time constant of the exponential smoothing.
const TAU: f64 = 3.0;

#[derive(Debug, Clone, Default)]
pub struct Meter {
    last: Option<(Instant, u64)>,
    speed: f64,
}

impl Meter {
    /// Forget the history (a new phase starts, or bytes went backwards).
    pub fn reset(&mut self) {
        *self = Meter::default();
    }

    /// Feed the byte count at `now`; returns the smoothed bytes per second.
    pub fn sample(&mut self, now: Instant, done: u64) -> f64 {
        match self.last {
            Some((t, d)) if done >= d => {
                let dt = now.saturating_duration_since(t).as_secs_f64();
                if dt >= 0.05 {
                    let rate = (done - d) as f64 / dt;
                    let k = if self.speed == 0.0 && d == 0 {
                        1.0
                    } else {
                        1.0 - (-dt / TAU).exp()
                    };
                    self.speed += (rate - self.speed) * k;
                    self.last = Some((now, done));
                }
            }
            _ => {
                self.speed = 0.0;
                self.last = Some((now, done));
            }
        }
        self.speed
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }
}

/// Time left at `speed` bytes/s; None when unknown or stalled.
pub fn eta(done: u64, total: Option<u64>, speed: f64) -> Option<Duration> {
    let total = total?;
    if speed < 1.0 {
        return None;
    }
    let secs = total.saturating_sub(done) as f64 / speed;
    (secs.is_finite() && secs < 1e7).then(|| Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converges_to_a_steady_rate() {
        let mut m = Meter::default();
        let t0 = Instant::now();
        let mut s = 0.0;
        for i in 0..=40u64 {
            s = m.sample(t0 + Duration::from_millis(250 * i), i * 250_000);
        }
        assert!((s - 1_000_000.0).abs() < 50_000.0, "{s}");
        assert_eq!(eta(0, Some(2_000_000), s).map(|d| d.as_secs()), Some(2));
        assert_eq!(eta(0, None, s), None);
        assert_eq!(eta(0, Some(5), 0.0), None);
        // Going backwards starts over.
        assert_eq!(m.sample(t0 + Duration::from_secs(20), 0), 0.0);
    }
}
