//! A writer for everything the command line prints: text passes through
//! `domain::text::escape_for_terminal`, so no control sequence or bidirectional override held in
//! the data can reach the terminal (or a pane title, or a pager) as anything but visible text.

use std::io::{self, Write};

use crate::domain::text::escape_for_terminal;

pub struct TerminalSafe<W: Write> {
    inner: W,
    /// The start of a character split across two writes.
    pending: Vec<u8>,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W) -> Self {
        Self { inner, pending: Vec::new() }
    }

    fn emit(&mut self, final_: bool) -> io::Result<()> {
        let take = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            Err(e) if e.error_len().is_none() && !final_ => e.valid_up_to(),
            Err(_) => self.pending.len(),
        };
        if take == 0 {
            return Ok(());
        }
        let chunk: Vec<u8> = self.pending.drain(..take).collect();
        let text = String::from_utf8_lossy(&chunk);
        self.inner.write_all(escape_for_terminal(&text).as_bytes())
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.emit(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.emit(true)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_across_split_writes() {
        let mut out = Vec::new();
        {
            let mut w = TerminalSafe::new(&mut out);
            let bytes = "a\u{1b}]2;PWNED\u{7} \u{202e}é\n".as_bytes();
            for b in bytes {
                w.write_all(&[*b]).unwrap();
            }
        }
        assert_eq!(String::from_utf8(out).unwrap(), "a\\x1b]2;PWNED\\x07 \\u{202e}é\n");
    }
}
