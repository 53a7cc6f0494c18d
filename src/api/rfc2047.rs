//! RFC 2047 encoded words in names (`=?utf-8?B?...?=`, `=?utf-8?Q?...?=`), as getFilesInfo can
//! send them (field notes 18).

use rfc2047_decoder::{Decoder, RecoverStrategy};

/// Decode the encoded words of `s`; text without them, or that does not decode, is returned
/// unchanged.
pub fn decode(s: &str) -> String {
    if !s.contains("=?") || !s.contains("?=") {
        return s.to_string();
    }
    match Decoder::new()
        .too_long_encoded_word_strategy(RecoverStrategy::Decode)
        .decode(s.as_bytes())
    {
        Ok(d) => d,
        Err(e) => {
            tracing::debug!("name is not valid RFC 2047, kept as sent: {e}");
            s.to_string()
        }
    }
}
