//! A list field edited as chips: the chips, then a one-line input. Enter adds the typed item
//! (refused with a message when empty, a duplicate or the list is full), Left and Right move
//! between chips, Backspace or Delete removes the chip under the cursor, completion offers
//! values used elsewhere in the account.

use super::complete::Vocab;
use super::field::Field;
use crate::metadata::{ListField, check_new_item};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to the chip list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChipKey {
    Handled,
    /// Enter with nothing typed: the editor saves.
    Save,
    /// Refused (the message says why); what was typed stays.
    Refused(String),
    /// Not a chip key: the editor may use it (field moves).
    NotHandled,
}

#[derive(Debug, Clone)]
pub struct ChipList {
    pub field: ListField,
    pub items: Vec<String>,
    pub input: Field,
    /// The chip under the cursor; None: the cursor is in the input.
    pub chip: Option<usize>,
    /// The completion candidate picked with Up / Down.
    pub pick: Option<usize>,
    undo: Vec<Vec<String>>,
}

impl ChipList {
    pub fn new(field: ListField, items: &[String]) -> ChipList {
        ChipList {
            field,
            items: items.to_vec(),
            input: Field::default(),
            chip: None,
            pick: None,
            undo: Vec::new(),
        }
    }

    pub fn candidates(&self, vocab: &Vocab) -> Vec<String> {
        vocab.candidates(self.field, self.input.value(), &self.items)
    }

    fn change(&mut self, f: impl FnOnce(&mut Vec<String>)) {
        self.undo.push(self.items.clone());
        f(&mut self.items);
    }

    /// Add the typed text as a chip; Err with the reason, the text kept.
    pub fn commit_input(&mut self) -> Result<(), String> {
        let item = check_new_item(self.field, &self.items, self.input.value())?;
        self.change(|v| v.push(item));
        self.input.clear();
        self.pick = None;
        Ok(())
    }

    pub fn remove_chip(&mut self, i: usize) {
        if i >= self.items.len() {
            return;
        }
        self.change(|v| {
            v.remove(i);
        });
        self.chip = if self.items.is_empty() {
            None
        } else {
            Some(i.min(self.items.len() - 1))
        };
    }

    /// Undo: the input's last change, else the last chip added or removed.
    pub fn undo(&mut self) -> bool {
        if self.input.undo() {
            return true;
        }
        match self.undo.pop() {
            Some(items) => {
                self.items = items;
                self.chip = None;
                true
            }
            None => false,
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.chip = None;
        self.pick = None;
        self.input.paste(text);
    }

    pub fn key(&mut self, key: &KeyEvent, vocab: &Vocab) -> ChipKey {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if let Some(i) = self.chip {
            let last = self.items.len().saturating_sub(1);
            match key.code {
                KeyCode::Left if plain => self.chip = Some(i.saturating_sub(1)),
                KeyCode::Right if plain => self.chip = (i < last).then_some(i + 1),
                KeyCode::Home if plain => self.chip = Some(0),
                KeyCode::End if plain => self.chip = None,
                KeyCode::Backspace | KeyCode::Delete if plain => self.remove_chip(i),
                KeyCode::Enter if plain => return ChipKey::Save,
                KeyCode::Char(_) if plain || key.modifiers == KeyModifiers::SHIFT => {
                    self.chip = None;
                    return self.key(key, vocab);
                }
                _ => return ChipKey::NotHandled,
            }
            return ChipKey::Handled;
        }
        let cands = self.candidates(vocab);
        match key.code {
            KeyCode::Enter if plain => {
                if self.input.is_empty() {
                    return ChipKey::Save;
                }
                return match self.commit_input() {
                    Ok(()) => ChipKey::Handled,
                    Err(e) => ChipKey::Refused(e),
                };
            }
            KeyCode::Left if plain && self.input.cursor() == 0 && !self.items.is_empty() => {
                self.chip = Some(self.items.len() - 1);
            }
            KeyCode::Backspace if plain && self.input.is_empty() && !self.items.is_empty() => {
                self.chip = Some(self.items.len() - 1);
            }
            KeyCode::Down if plain && !cands.is_empty() => {
                self.pick = Some(self.pick.map_or(0, |p| (p + 1).min(cands.len() - 1)));
            }
            KeyCode::Up if plain && self.pick.is_some() => {
                self.pick = self.pick.and_then(|p| p.checked_sub(1));
            }
            KeyCode::Tab if !cands.is_empty() => {
                let c = &cands[self.pick.unwrap_or(0).min(cands.len() - 1)];
                self.input.set(c);
                self.pick = None;
            }
            _ => {
                let before = self.input.value().to_string();
                if !self.input.key(key) {
                    return ChipKey::NotHandled;
                }
                if self.input.value() != before {
                    self.pick = None;
                }
            }
        }
        ChipKey::Handled
    }
}
