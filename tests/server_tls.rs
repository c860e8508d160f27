//! `sslmode=require`: jdp reaches a server over TCP with TLS (rustls), checking the server's
//! certificate against the authorities it trusts, and refuses a certificate it cannot trust.
//! The server here takes TCP connections with TLS only (tests/common/pg.rs, `private_tls`).

#[path = "common/pg.rs"]
mod pg;

use assert_cmd::Command;
use predicates::str::contains;

fn jdp() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jdp"));
    c.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("JDP_PANEL").env_remove("JDP_DB").env_remove("SSL_CERT_DIR");
    c
}

#[cfg(unix)]
#[test]
fn sslmode_require_connects_over_tls_to_a_server_it_trusts_and_refuses_one_it_does_not() {
    let Some((cluster, port, ca)) = pg::Cluster::private_tls() else { return };
    let db = cluster.fresh_db().rsplit('/').next().unwrap().to_string();
    let tcp = |params: &str| format!("postgresql://{}@localhost:{port}/{db}{params}", cluster.superuser);

    // Trusting the server's authority: connected, the schema made, the chain verified.
    jdp()
        .env("SSL_CERT_FILE", &ca)
        .env("JDP_DB", tcp("?sslmode=require"))
        .args(["import", "panels/examples/referrals.toml"])
        .assert()
        .success()
        .stdout(contains("Imported 3 referral(s) into the PostgreSQL database"));
    jdp()
        .env("SSL_CERT_FILE", &ca)
        .env("JDP_DB", tcp("?sslmode=require"))
        .arg("verify")
        .assert()
        .success()
        .stdout(contains("ok: 0 record(s) checked"));

    // The same server without TLS: refused by the server (it takes TLS only), so the
    // connection above was encrypted.
    jdp()
        .env("SSL_CERT_FILE", &ca)
        .env("JDP_DB", tcp(""))
        .arg("verify")
        .assert()
        .code(4)
        .stderr(contains("could not connect"))
        .stderr(contains("no encryption"));

    // An authority the server's certificate is not signed by: nothing is sent.
    let other = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "k.pem", "-out", "other.pem"])
        .args(["-days", "2", "-subj", "/CN=someone else"])
        .current_dir(other.path())
        .output()
        .unwrap();
    assert!(ok.status.success());
    jdp()
        .env("SSL_CERT_FILE", other.path().join("other.pem"))
        .env("JDP_DB", tcp("?sslmode=require"))
        .arg("verify")
        .assert()
        .code(4)
        .stderr(contains("could not connect"));
}
