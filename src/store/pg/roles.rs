//! People and roles on a server: `jdp server init` makes the roles and their grants in a panel's
//! database, `jdp server grant USER ROLE [--panel-db P]` gives a login a role.
//!
//! Each role is a PostgreSQL group role (`jdp_chair`, …); a person is a login that is a member of
//! one. What a role may do is enforced by the server's privileges, never by jdp:
//! - chair: read everything of its panel, record decisions and corrections (insert into the
//!   records), hold sessions, prepare drafts;
//! - member: add referrals and prepare drafts; read the records; never record;
//! - scrutiny: the anonymised view of decisions only (`scrutiny_decisions`, which gives the month
//!   a decision was made and never its day, and `scrutiny_decisions_in`, a period's decisions by
//!   whole months) and each decision's anonymised case (`scrutiny_cases`), and record its
//!   samples and reviews, reading back only those (`scrutiny_records`), and sign the head after
//!   them without reading the signed heads back (when a head was signed says when a decision
//!   was made); no privilege at all on the referral tables or the decisions' bodies;
//! - trainer: nothing of the live data;
//! - admin: everything, and may grant the other roles.
//!
//! No application role may update or delete a record or an access-log entry (the guards refuse
//! them too). Panels are kept apart by database: each panel's store is a database of its own,
//! which a login may connect to only if granted that panel (or every panel).

use super::{PgStore, Result, StoreError};

/// The roles jdp knows, as `jdp server grant` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    Chair,
    Member,
    Scrutiny,
    Trainer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Chair, Role::Member, Role::Scrutiny, Role::Trainer, Role::Admin];

    /// The group role on the server.
    pub fn group(self) -> &'static str {
        match self {
            Role::Chair => "jdp_chair",
            Role::Member => "jdp_member",
            Role::Scrutiny => "jdp_scrutiny",
            Role::Trainer => "jdp_trainer",
            Role::Admin => "jdp_admin",
        }
    }
}

/// The group of logins granted "every panel": each panel `server init` makes ready may be
/// reached by it, so a panel made later is one of them too.
const EVERY_PANEL: &str = "jdp_every_panel";

/// The comment `server init` puts on a panel's database, so "every panel" can be found.
const PANEL_COMMENT: &str = "jdp panel store";

/// An identifier quoted for SQL (PostgreSQL's rule: in double quotes, a quote doubled).
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The privileges of each role on the panel's tables (after everything is revoked from them).
const GRANTS: &str = r#"
GRANT SELECT ON refinery_schema_history TO jdp_chair, jdp_member, jdp_scrutiny, jdp_admin;
GRANT SELECT, UPDATE ON meta TO jdp_chair, jdp_member, jdp_scrutiny, jdp_admin;
GRANT EXECUTE ON FUNCTION jdp_settings_digest() TO jdp_chair, jdp_member, jdp_scrutiny, jdp_admin;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO jdp_chair, jdp_member, jdp_admin;

GRANT SELECT, INSERT ON records, access_log, panel_sessions, signatures TO jdp_chair;
GRANT UPDATE ON panel_sessions TO jdp_chair;
GRANT SELECT ON referrals TO jdp_chair;
GRANT SELECT, INSERT, UPDATE, DELETE ON drafts, correction_drafts TO jdp_chair;
GRANT SELECT, INSERT, UPDATE, DELETE ON screen_settings TO jdp_chair, jdp_member, jdp_scrutiny, jdp_admin;

GRANT SELECT, INSERT ON referrals, access_log TO jdp_member;
GRANT SELECT ON records, panel_sessions, signatures TO jdp_member;
GRANT SELECT, INSERT, UPDATE, DELETE ON drafts TO jdp_member;
GRANT SELECT ON correction_drafts TO jdp_member;

GRANT SELECT ON scrutiny_decisions, scrutiny_records, scrutiny_cases TO jdp_chair, jdp_member, jdp_scrutiny, jdp_admin;
GRANT EXECUTE ON FUNCTION scrutiny_decisions_in(text, text) TO jdp_chair, jdp_member, jdp_scrutiny, jdp_admin;
GRANT INSERT ON scrutiny_cases TO jdp_chair;
GRANT SELECT (seq, kind, hash) ON records TO jdp_scrutiny;
GRANT INSERT ON records TO jdp_scrutiny;
GRANT SELECT (id, hash) ON access_log TO jdp_scrutiny;
GRANT INSERT ON access_log TO jdp_scrutiny;
GRANT INSERT ON signatures TO jdp_scrutiny;
GRANT USAGE ON SEQUENCE signatures_id_seq TO jdp_scrutiny;

GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO jdp_admin;
GRANT UPDATE, DELETE ON referrals, drafts, correction_drafts, panel_sessions TO jdp_admin;
"#;

impl PgStore {
    /// Makes the roles (if the server has none yet), revokes everything from everyone else, and
    /// grants each role its privileges on this panel's database. Run by the database's owner;
    /// safe to run again.
    pub fn init_server(&mut self) -> Result<String> {
        let mut tx = self.client.transaction()?;
        let db: String = tx.query_one("SELECT current_database()::text", &[])?.get(0);
        for group in Role::ALL.iter().map(|r| r.group()).chain([EVERY_PANEL]) {
            // Roles are server-wide: another panel's init may be making them at this moment.
            tx.batch_execute(&format!(
                "DO $$ BEGIN CREATE ROLE {group} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            ))?;
        }
        let dbq = ident(&db);
        tx.batch_execute(&format!(
            "REVOKE ALL ON DATABASE {dbq} FROM PUBLIC;
             REVOKE CREATE ON SCHEMA public FROM PUBLIC;
             REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, jdp_chair, jdp_member, jdp_scrutiny, jdp_trainer, jdp_admin;
             REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, jdp_chair, jdp_member, jdp_scrutiny, jdp_trainer, jdp_admin;
             REVOKE ALL ON FUNCTION jdp_settings_digest() FROM PUBLIC;
             REVOKE ALL ON FUNCTION scrutiny_decisions_in(text, text) FROM PUBLIC, jdp_trainer;
             GRANT CONNECT ON DATABASE {dbq} TO jdp_admin WITH GRANT OPTION;
             GRANT CONNECT ON DATABASE {dbq} TO {EVERY_PANEL};
             GRANT jdp_chair, jdp_member, jdp_scrutiny, jdp_trainer, {EVERY_PANEL} TO jdp_admin WITH ADMIN OPTION;
             {GRANTS}
             COMMENT ON DATABASE {dbq} IS '{PANEL_COMMENT}';"
        ))?;
        tx.commit()?;
        Ok(db)
    }

    /// Whether this login's grants let it record a decision: the decision itself and the
    /// anonymised case scrutiny reads, written together (a chair's, an admin's or the owner's).
    pub fn records_decisions(&mut self) -> Result<bool> {
        Ok(self
            .client
            .query_one(
                "SELECT has_table_privilege('records', 'INSERT') AND has_table_privilege('scrutiny_cases', 'INSERT')",
                &[],
            )?
            .get(0))
    }

    /// The panels on this server this login may connect to, by their databases' names.
    pub fn panels(&mut self) -> Result<Vec<String>> {
        Ok(self
            .client
            .query(
                "SELECT datname::text FROM pg_database WHERE shobj_description(oid, 'pg_database') = $1
                   AND datallowconn AND has_database_privilege(datname, 'CONNECT')
                 ORDER BY datname",
                &[&PANEL_COMMENT],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    /// Gives the login `user` the role `role`, on the panel whose database is `panel` or, with
    /// none, on every panel on the server, those made ready later too; returns the panels it
    /// now has.
    pub fn grant(&mut self, user: &str, role: Role, panel: Option<&str>) -> Result<Vec<String>> {
        let mut tx = self.client.transaction()?;
        if tx.query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1 AND rolcanlogin", &[&user])?.is_none() {
            return Err(StoreError::Refused(format!(
                "there is no login named {user} on this server: the server's administrator makes it first \
                 (e.g. createuser {user}), then grants it a role"
            )));
        }
        if tx.query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&role.group()])?.is_none() {
            return Err(StoreError::Refused(
                "this server has no jdp roles yet: run jdp server init on each panel's database first".into(),
            ));
        }
        let panels: Vec<String> = match panel {
            Some(p) => {
                let known: Option<String> = tx
                    .query_opt(
                        "SELECT datname::text FROM pg_database WHERE datname = $1
                           AND shobj_description(oid, 'pg_database') = $2",
                        &[&p, &PANEL_COMMENT],
                    )?
                    .map(|r| r.get(0));
                vec![known.ok_or_else(|| {
                    StoreError::Refused(format!(
                        "there is no panel {p} on this server (a panel is a database made ready by jdp server init)"
                    ))
                })?]
            }
            None => tx
                .query(
                    "SELECT datname::text FROM pg_database WHERE shobj_description(oid, 'pg_database') = $1
                     ORDER BY datname",
                    &[&PANEL_COMMENT],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect(),
        };
        let who = ident(user);
        tx.batch_execute(&format!("GRANT {} TO {who}", role.group()))?;
        if panel.is_none() {
            if tx.query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&EVERY_PANEL])?.is_none() {
                return Err(StoreError::Refused(
                    "this server's panels were made ready by an older jdp: run jdp server init on each panel's \
                     database again first"
                        .into(),
                ));
            }
            tx.batch_execute(&format!("GRANT {EVERY_PANEL} TO {who}"))?;
        }
        for p in &panels {
            tx.batch_execute(&format!("GRANT CONNECT ON DATABASE {} TO {who}", ident(p)))?;
        }
        tx.commit()?;
        Ok(panels)
    }
}
