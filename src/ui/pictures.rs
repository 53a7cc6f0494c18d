//! Images encoded for the terminal (half blocks, sixel, kitty, iTerm2), kept here in the
//! drawing layer: the app's state holds a `Picture` (an id and a size in cells) and the drawing
//! looks the encoded image up by id. The runtime encodes, off the event loop.

use crate::app::transfers::Picture;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::{FilterType, Resize};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Encoded images kept at most (captchas come one at a time).
const KEEP: usize = 8;

#[derive(Clone, Default)]
pub struct Pictures(Arc<Mutex<Store>>);

#[derive(Default)]
struct Store {
    next: u64,
    map: BTreeMap<u64, Protocol>,
}

impl Pictures {
    /// PNG or JPEG bytes as a picture of at most `cols` x `rows` cells.
    pub fn encode(&self, picker: &Picker, bytes: &[u8], cols: u16, rows: u16) -> Result<Picture, String> {
        let img = image::load_from_memory(bytes).map_err(|e| e.to_string())?;
        // Half blocks are coarse: scale up to use the room; real graphics keep their size.
        let resize = if picker.protocol_type() == ProtocolType::Halfblocks {
            Resize::Scale(Some(FilterType::Triangle))
        } else {
            Resize::Fit(Some(FilterType::Triangle))
        };
        let protocol = picker
            .new_protocol(img, ratatui::layout::Size::new(cols, rows), resize)
            .map_err(|e| e.to_string())?;
        let size = protocol.size();
        let mut store = self.0.lock().map_err(|_| "picture store poisoned".to_string())?;
        store.next += 1;
        let id = store.next;
        store.map.insert(id, protocol);
        while store.map.len() > KEEP {
            store.map.pop_first();
        }
        Ok(Picture {
            id,
            cols: size.width,
            rows: size.height,
        })
    }

    /// Run `f` on the encoded image of `p`, if it is still kept.
    pub fn with<R>(&self, p: &Picture, f: impl FnOnce(&Protocol) -> R) -> Option<R> {
        let store = self.0.lock().ok()?;
        store.map.get(&p.id).map(f)
    }
}
