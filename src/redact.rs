//! Removing a child's identifiers from text. The scrubber itself is pure and lives in the
//! domain (`domain::scrub`); this module keeps the names the screens already call.

use crate::domain::referral::Case;
pub use crate::domain::scrub::{Replace, Scrubber, for_privacy};

/// Every way a child (and the adults around them) is identified in the case's text, with its
/// replacement. The one scrubber export, privacy mode and scrutiny all use.
pub fn identifiers(case: &Case, with: &Replace) -> Scrubber {
    Scrubber::for_case(case, with)
}

/// Replaces each identifier in `text`.
pub fn apply(text: &str, scrubber: &Scrubber) -> String {
    scrubber.apply(text)
}

/// The case's free text as it may be shown with privacy mode on; see [`for_privacy`].
pub fn for_projector(text: &str, case: &Case) -> String {
    for_privacy(text, case)
}
