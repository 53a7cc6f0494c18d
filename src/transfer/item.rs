//! One transfer as the engine keeps it.

use super::meter::{self, Meter};
use super::model::{Outcome, Spec, State, TransferId, TransferView};

pub(crate) struct Item {
    pub id: TransferId,
    pub parent: Option<TransferId>,
    pub spec: Spec,
    pub state: State,
    pub detail: Option<String>,
    pub outcome: Option<Outcome>,
    /// Restored but not to be started until resumed.
    pub held: bool,
    pub done: u64,
    pub total: Option<u64>,
    pub meter: Meter,
    /// Progress last sent (done, total, speed).
    pub sent: (u64, Option<u64>, u64),
    /// Runs started and retries made.
    pub attempts: u32,
}

impl Item {
    pub fn new(id: TransferId, parent: Option<TransferId>, spec: Spec, state: State) -> Item {
        let total = match &spec {
            Spec::Download(d) => d.size,
            Spec::Upload(u) => u.hash.as_ref().map(|h| h.size),
            _ => None,
        };
        Item {
            id,
            parent,
            spec,
            state,
            detail: None,
            outcome: None,
            held: false,
            done: 0,
            total,
            meter: Meter::default(),
            sent: (0, None, 0),
            attempts: 0,
        }
    }

    pub fn view(&self) -> TransferView {
        let speed = if self.state.is_active() && self.state != State::Storing {
            self.meter.speed()
        } else {
            0.0
        };
        TransferView {
            id: self.id,
            direction: self.spec.direction(),
            name: crate::text::sanitize(&self.spec.display_name()),
            state: self.state.clone(),
            detail: self.detail.as_deref().map(crate::text::sanitize),
            done: self.done,
            total: self.total,
            speed,
            eta: meter::eta(self.done, self.total, speed),
            outcome: self.outcome.clone(),
            parent: self.parent,
            spec: self.spec.clone(),
            attempts: self.attempts,
        }
    }
}
