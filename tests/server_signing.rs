//! Issue 15 ("every command works against either backend"): signed heads on a server. The chair
//! signs the server's head with the key on their own machine (`jdp sign`, and after each
//! decision on the screen); a scrutiny login's sample is signed too; a member, who records
//! nothing, cannot sign; `jdp verify` checks every signed head on the server as on a file, and
//! a signature altered on the server fails it. Nobody alters a stored signature.

mod common;
#[path = "common/pg.rs"]
mod pg;

use common::{jdp_keyed as jdp, ran as run, stdout_of as stdout};

fn signatures(owner: &str) -> Vec<(i64, String, String)> {
    let mut c = postgres::Client::connect(owner, postgres::NoTls).unwrap();
    c.query("SELECT head_seq, head_hash, public_key FROM signatures ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

#[test]
fn the_servers_head_is_signed_by_the_people_who_record_and_verify_checks_every_signature_there() {
    let Some(cluster) = pg::cluster() else { return };
    let owner = cluster.fresh_db();
    let db = owner.rsplit('/').next().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let (chair_keys, lay_keys, member_keys, admin_keys) =
        (dir.path().join("chair"), dir.path().join("lay"), dir.path().join("member"), dir.path().join("admin"));
    stdout(jdp(&owner, &admin_keys).args(["demo-data", "--decisions", "60", "--until", "2026-09-30"]));
    stdout(jdp(&owner, &admin_keys).args(["server", "init"]));
    for (login, role) in [("sig_chair", "chair"), ("sig_member", "member"), ("sig_lay", "scrutiny")] {
        cluster.admin(
            "postgres",
            &format!("DO $$ BEGIN CREATE ROLE {login} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"),
        );
        stdout(jdp(&owner, &admin_keys).args(["server", "grant", login, role, "--panel-db", &db]));
    }
    let chair = cluster.url("sig_chair", &db);

    // Nothing signed yet: verify says so.
    let said = stdout(jdp(&chair, &chair_keys).arg("verify"));
    assert!(said.contains("ok: no signed heads yet"), "{said}");

    // The chair signs the head, with a key made on the chair's machine.
    let said = stdout(jdp(&chair, &chair_keys).arg("sign"));
    let head = said.lines().find_map(|l| l.strip_prefix("For the minutes: ")).expect(&said).to_string();
    assert!(said.starts_with(&format!("Signed: head {head} signed ")), "{said}");
    assert!(chair_keys.join("signing-key.ed25519").exists(), "the key is the chair's, outside the database");
    let stored = signatures(&owner);
    assert_eq!(stored.len(), 1);
    assert_eq!(format!("{}:{}", stored[0].0, stored[0].1), head);
    let said = stdout(jdp(&chair, &chair_keys).arg("verify"));
    assert!(said.contains(&format!("ok: 1 signed head(s) checked; latest: head {head}")), "{said}");
    // Another machine, which does not know the chair's key, says so rather than checking it.
    let said = stdout(jdp(&owner, &admin_keys).arg("verify"));
    assert!(said.contains("ok: 0 signed head(s) checked; 1 by keys this account does not know"), "{said}");

    // A member prepares referrals and records nothing: not allowed to sign, nothing stored.
    let (ok, _, err) = run(jdp(&cluster.url("sig_member", &db), &member_keys).arg("sign"));
    assert!(!ok && err.contains("permission denied for table signatures"), "{err}");
    assert_eq!(signatures(&owner).len(), 1);

    // A scrutiny login's sample is recorded and its head signed, from the anonymised views.
    let lay = cluster.url("sig_lay", &db);
    let said = stdout(jdp(&lay, &lay_keys).args(["sample", "--from", "2026-04-01", "--to", "2026-09-30"]));
    assert!(said.contains("Signed: head "), "{said}");
    let stored = signatures(&owner);
    assert_eq!(stored.len(), 2, "{said}");
    assert!(stored[1].0 > stored[0].0, "the sample's head is the newer");
    let said = stdout(jdp(&chair, &chair_keys).arg("verify"));
    assert!(said.contains("ok: 1 signed head(s) checked") && said.contains("; 1 by keys"), "{said}");
    // The chair trusts the lay member's key (its public half, in trusted-keys): both checked.
    std::fs::write(chair_keys.join("trusted-keys"), format!("{}\n", stored[1].2)).unwrap();
    let said = stdout(jdp(&chair, &chair_keys).arg("verify"));
    assert!(said.contains(&format!("ok: 2 signed head(s) checked; latest: head {}:", stored[1].0)), "{said}");

    // Nobody alters a signature, not even the database's owner.
    let mut c = postgres::Client::connect(&owner, postgres::NoTls).unwrap();
    for sql in ["UPDATE signatures SET signed_at = 'x'", "DELETE FROM signatures", "TRUNCATE signatures"] {
        let e = c.batch_execute(sql).expect_err(sql);
        assert!(e.as_db_error().unwrap().message().contains("signed heads"), "{sql}: {e}");
    }
    // One altered behind the guard's back (its trigger dropped by a superuser) fails verify.
    let forged = "00".repeat(64);
    cluster.admin(
        &db,
        &format!(
            "ALTER TABLE signatures DISABLE TRIGGER USER;
             UPDATE signatures SET signature = '{forged}' WHERE head_seq = {};
             ALTER TABLE signatures ENABLE TRIGGER USER;",
            stored[0].0
        ),
    );
    let (ok, _, err) = run(jdp(&chair, &chair_keys).arg("verify"));
    assert!(!ok && err.contains("signed head 1") && err.contains("forged or altered"), "{err}");
}
