//! The server stopped as a crash would (`pg_ctl stop -m immediate`) while four writers record:
//! after it starts again, every decision jdp reported as recorded is there, and the chain
//! verifies. A cluster of this test's own, fsync on (tests/common/pg.rs).

mod common;
#[path = "common/pg.rs"]
mod pg;

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Utc;
use common::*;
use jdp::store::pg::PgStore;

#[test]
fn a_crash_while_four_writers_record_loses_no_acknowledged_decision() {
    let Some(cluster) = pg::Cluster::private() else { return };
    let url = cluster.fresh_db();
    const WRITERS: usize = 4;
    const EACH: usize = 200;
    let refs: Vec<String> = (0..WRITERS * EACH).map(|i| format!("JDP-C-{i:04}")).collect();
    let referrals: Vec<_> = refs
        .iter()
        .map(|r| {
            let mut x = good_case().referral;
            x.reference = r.clone();
            x
        })
        .collect();
    let ids = PgStore::open(&url).unwrap().add_referrals(&referrals, Utc::now()).unwrap();
    let snaps: Vec<_> = refs
        .iter()
        .map(|r| {
            let mut c = good_case();
            c.referral.reference = r.clone();
            snapshot_of(&c)
        })
        .collect();
    // (referral id, seq, hash) of every decision jdp said was recorded.
    let acknowledged: Mutex<Vec<(i64, i64, String)>> = Mutex::new(Vec::new());
    let crashed = AtomicBool::new(false);
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for w in 0..WRITERS {
            let (url, ids, snaps, acknowledged, errors) = (&url, &ids, &snaps, &acknowledged, &errors);
            s.spawn(move || {
                let mut store = PgStore::open(url).unwrap();
                for i in (w * EACH)..((w + 1) * EACH) {
                    match store.record_decision(ids[i], &snaps[i], None, Utc::now()) {
                        Ok(rec) => acknowledged.lock().unwrap().push((ids[i], rec.seq, rec.hash_hex())),
                        Err(e) => {
                            errors.lock().unwrap().push(e.to_string());
                            return;
                        }
                    }
                }
            });
        }
        // Crash once the writers are well under way (by count, not by clock).
        loop {
            let n = acknowledged.lock().unwrap().len();
            if n >= 40 || n == WRITERS * EACH {
                break;
            }
            std::thread::yield_now();
        }
        cluster.crash();
        crashed.store(true, Ordering::SeqCst);
    });
    assert!(crashed.load(Ordering::SeqCst));
    let acknowledged = acknowledged.into_inner().unwrap();
    let errors = errors.into_inner().unwrap();
    assert!(acknowledged.len() >= 40);
    assert!(acknowledged.len() < WRITERS * EACH, "the crash came while they were still recording");
    // Each writer that was cut off was told so by a store error, never a panic: the server
    // cannot be reached (nothing of that decision was written).
    assert!(!errors.is_empty() && errors.iter().all(|e| e.starts_with("the server cannot be reached")), "{errors:?}");

    cluster.launch();
    let mut store = PgStore::open(&url).unwrap();
    for (id, seq, hash) in &acknowledged {
        let row = store.decision(*seq).unwrap().unwrap_or_else(|| panic!("acknowledged record {seq} is lost"));
        assert_eq!((row.referral_id, &row.hash), (Some(*id), hash));
    }
    let report = store.verify().unwrap().unwrap();
    assert!(report.checked >= acknowledged.len() as i64, "{report:?}");
    // …and the chain goes on after the crash.
    let pending = ids.iter().position(|id| store.decisions_for(*id).unwrap().is_empty()).unwrap();
    store.record_decision(ids[pending], &snaps[pending], None, Utc::now()).unwrap();
    assert_eq!(store.verify().unwrap().unwrap().checked, report.checked + 1);
}
