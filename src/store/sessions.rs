//! Panel sessions: the members present, apologies and observers for a sitting.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

use super::records::timestamp;
use super::{Result, Store, StoreError, json};
use crate::domain::referral::PanelSession;

impl Store {
    /// Saves the sitting for its date (one per date; saving again replaces the attendance).
    pub fn save_session(&mut self, s: &PanelSession, held_on: NaiveDate, at: DateTime<Utc>) -> Result<i64> {
        let stamp = timestamp(at);
        let day = held_on.to_string();
        let (members, apologies, observers) = (json(&s.members)?, json(&s.apologies)?, json(&s.observers)?);
        let chair = s.chair.trim();
        self.write(|tx| {
            let existing: Option<i64> =
                tx.query_row("SELECT id FROM panel_sessions WHERE held_on = ?1", [&day], |r| r.get(0)).optional()?;
            Ok(match existing {
                Some(id) => {
                    tx.execute(
                        "UPDATE panel_sessions SET members = ?2, apologies = ?3, observers = ?4, chair = ?5 WHERE id = ?1",
                        params![id, members, apologies, observers, chair],
                    )?;
                    id
                }
                None => {
                    tx.execute(
                        "INSERT INTO panel_sessions (held_on, members, apologies, observers, created_at, chair) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![day, members, apologies, observers, stamp, chair],
                    )?;
                    tx.last_insert_rowid()
                }
            })
        })
    }

    pub fn session_on(&self, held_on: NaiveDate) -> Result<Option<PanelSession>> {
        let row: Option<(String, String, String, String)> = self
            .conn
            .query_row(
                "SELECT members, apologies, observers, chair FROM panel_sessions WHERE held_on = ?1",
                [held_on.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let bad = |e: serde_json::Error| StoreError::Refused(format!("the panel session cannot be read: {e}"));
        row.map(|(m, a, o, chair)| {
            Ok(PanelSession {
                held_on: Some(held_on),
                chair,
                members: serde_json::from_str(&m).map_err(bad)?,
                apologies: serde_json::from_str(&a).map_err(bad)?,
                observers: serde_json::from_str(&o).map_err(bad)?,
            })
        })
        .transpose()
    }
}

impl Store {
    /// The dates of every panel sitting, oldest first.
    pub fn session_dates(&self) -> Result<Vec<NaiveDate>> {
        let mut stmt = self.conn.prepare("SELECT held_on FROM panel_sessions ORDER BY held_on")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for r in rows {
            let s = r?;
            out.push(s.parse().map_err(|_| StoreError::Refused(format!("a panel session has a malformed date: {s}")))?);
        }
        Ok(out)
    }

    /// The last record of the sitting on `day`: its last decision or correction (decided that
    /// day), as `(seq, hash)` — the head the minutes print. Later task closings, samples and
    /// reviews are not part of the meeting, so the minutes' head stays put.
    pub fn sitting_head(&self, day: NaiveDate) -> Result<Option<(i64, String)>> {
        self.head_where("kind = 'decision' AND decided_on = ?1", day)
    }

    /// The last record made on `day` (a decision decided that day, or any record written that
    /// day), as `(seq, hash)`: whether anything at all was done that day.
    pub fn head_after(&self, day: NaiveDate) -> Result<Option<(i64, String)>> {
        self.head_where("decided_on = ?1 OR substr(recorded_at, 1, 10) = ?1", day)
    }

    fn head_where(&self, filter: &str, day: NaiveDate) -> Result<Option<(i64, String)>> {
        let sql = format!("SELECT seq, hash FROM records WHERE {filter} ORDER BY seq DESC LIMIT 1");
        let row: Option<(i64, Vec<u8>)> =
            self.conn.query_row(&sql, [day.to_string()], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        Ok(row.map(|(seq, h)| (seq, hex::encode(h))))
    }
}
