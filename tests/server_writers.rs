//! Ten writer *processes* record into one panel's chain on a server at once: one chain, every
//! decision acknowledged is there once, nothing is lost, and no writer sees a lock error (each
//! waits its turn on the chain's lock). The writers are this test binary run again (a process
//! each, as ten workstations would be), on a private cluster (tests/common/pg.rs).

mod common;
#[path = "common/pg.rs"]
mod pg;

use std::collections::HashSet;

use chrono::Utc;
use common::*;
use jdp::store::pg::PgStore;

const WRITERS: usize = 10;

/// One writer process: records decisions for the referrals named in its environment and prints
/// "ok SEQ REFERRAL" for each, or "error …" and stops. Run only by the tests below.
#[test]
#[ignore = "a writer process the tests below start"]
fn writer_process() {
    let (Ok(url), Ok(ids)) = (std::env::var("JDP_TEST_WRITER_URL"), std::env::var("JDP_TEST_WRITER_IDS")) else {
        return;
    };
    let mut store = PgStore::open(&url).unwrap();
    for pair in ids.split(',') {
        let (id, reference) = pair.split_once('=').unwrap();
        let mut case = good_case();
        case.referral.reference = reference.into();
        match store.record_decision(id.parse().unwrap(), &snapshot_of(&case), None, Utc::now()) {
            Ok(rec) => println!("\nwriter-ok {} {id}", rec.seq),
            Err(e) => {
                println!("\nwriter-error {e}");
                return;
            }
        }
    }
}

fn ten_writers(each: usize) {
    let Some(cluster) = pg::cluster() else { return };
    let url = cluster.fresh_db();
    let referrals: Vec<_> = (0..WRITERS * each)
        .map(|i| {
            let mut r = good_case().referral;
            r.reference = format!("JDP-W-{i:05}");
            r
        })
        .collect();
    let ids = PgStore::open(&url).unwrap().add_referrals(&referrals, Utc::now()).unwrap();
    let children: Vec<_> = ids
        .iter()
        .zip(&referrals)
        .map(|(id, r)| format!("{id}={}", r.reference))
        .collect::<Vec<_>>()
        .chunks(each)
        .map(|chunk| {
            let list = chunk.join(",");
            std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--ignored", "--exact", "writer_process", "--nocapture", "--test-threads=1"])
                .env("JDP_TEST_WRITER_URL", &url)
                .env("JDP_TEST_WRITER_IDS", list)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut acknowledged = Vec::new();
    let mut last = String::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        last = text.chars().take(2000).collect();
        assert!(out.status.success(), "a writer failed: {}\n{text}", String::from_utf8_lossy(&out.stderr));
        for line in text.lines() {
            assert!(!line.contains("writer-error"), "a writer was refused: {line}");
            if let Some(rest) = line.strip_prefix("writer-ok ") {
                let (seq, id) = rest.split_once(' ').unwrap();
                acknowledged.push((seq.parse::<i64>().unwrap(), id.parse::<i64>().unwrap()));
            }
        }
    }
    assert_eq!(acknowledged.len(), WRITERS * each, "every decision acknowledged: {last}");
    let seqs: HashSet<i64> = acknowledged.iter().map(|a| a.0).collect();
    assert_eq!(seqs.len(), acknowledged.len(), "no two decisions share a place in the chain");
    let mut server = PgStore::open(&url).unwrap();
    let report = server.verify().unwrap().expect("one chain that verifies");
    assert_eq!(report.checked as usize, WRITERS * each, "nothing lost, nothing extra");
    for (seq, id) in acknowledged {
        let row = server.decision(seq).unwrap().unwrap_or_else(|| panic!("record {seq} is missing"));
        assert_eq!(row.referral_id, Some(id), "record {seq} is the decision on referral {id}");
    }
}

#[test]
fn ten_writer_processes_share_one_chain_and_lose_nothing() {
    ten_writers(50);
}

/// The figure: ten writers × 1,000 decisions (about a minute). `cargo test --test
/// server_writers -- --ignored ten_writer_processes_a_thousand_each`.
#[test]
#[ignore = "soak: ten thousand decisions"]
fn ten_writer_processes_a_thousand_each() {
    ten_writers(1_000);
}
