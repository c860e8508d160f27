//! How the panel screen was left on this database (privacy mode), so a restart at a projector
//! comes back as it was. Screen settings only: nothing here is a record or is chained.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM screen_settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn remove_setting(&mut self, key: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM screen_settings WHERE key = ?1", [key])?;
            Ok(())
        })
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO screen_settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }
}
