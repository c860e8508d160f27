//! `jdp verify`: walk the chain and name the first bad record; `jdp sign`: sign its head (on a
//! file or a server).

use crate::store::Backend;
use chrono::Utc;
use std::io::Write;

use super::*;

/// `jdp verify` (and `--expect`), on a file or a server: the same walk, in the same words.
pub(super) fn verify(
    cli: &Cli,
    expect: Option<&crate::store::MinutedHead>,
    cases: bool,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let mut store = super::server::open_existing_backend(cli)?;
    if cases {
        // The cases are made again under the panel they were kept by (its labels).
        store.use_panel(&open_panel(cli)?);
    }
    let result = match expect {
        Some(e) => store.verify_expecting(e),
        None => store.verify(),
    };
    let report = result.map_err(store_err(cli))?.map_err(|failure| CliError::Failed(format!("FAILED: {failure}")))?;
    writeln!(out, "ok: {} record(s) checked; head {}", count(report.checked as u64), report.minute())?;
    if let Some(e) = expect {
        writeln!(out, "ok: the chain passes through the minuted head {}:{}", e.seq, e.hash)?;
    }
    verify_signed_heads(cli, &mut *store, out)?;
    if cases {
        verify_kept_cases(cli, &mut *store, out)?;
    }
    Ok(())
}

/// `--cases`: what scrutiny logins read of each decision, held to the decision.
fn verify_kept_cases(cli: &Cli, store: &mut (impl Backend + ?Sized), out: &mut impl Write) -> Result<(), CliError> {
    let Some(found) = store.verify_kept_cases().map_err(store_err(cli))? else {
        writeln!(out, "ok: a file keeps no anonymised cases: each is made from its decision whenever it is read")?;
        return Ok(());
    };
    let found = found.map_err(|failure| CliError::Failed(format!("FAILED: {failure}")))?;
    writeln!(out, "ok: {} anonymised case(s) are what their decisions say", count(found.compared))?;
    if found.earlier > 0 {
        writeln!(
            out,
            "note: {} case(s) were kept by an earlier jdp, whose wording differs, and were not compared",
            count(found.earlier)
        )?;
    }
    if found.without > 0 {
        writeln!(
            out,
            "note: {} decision(s) have no anonymised case yet, so scrutiny cannot read them: jdp server init prepares them",
            count(found.without)
        )?;
    }
    Ok(())
}

/// After verify's chains pass: the signed heads this account knows keys for, on a file or a
/// server.
pub(super) fn verify_signed_heads(
    cli: &Cli,
    store: &mut (impl Backend + ?Sized),
    out: &mut impl Write,
) -> Result<(), CliError> {
    let keys = crate::signing::known_keys(&crate::signing::key_dir()).map_err(CliError::Store)?;
    let r = store
        .verify_signatures(&keys)
        .map_err(store_err(cli))?
        .map_err(|failure| CliError::Failed(format!("FAILED: {failure}")))?;
    let latest = r.latest.map_or(String::new(), |s| format!("; latest: {s}"));
    let others = if r.unknown_key > 0 {
        format!("; {} by keys this account does not know", r.unknown_key)
    } else {
        String::new()
    };
    if r.checked == 0 && r.unknown_key == 0 {
        writeln!(out, "ok: no signed heads yet (jdp sign signs the head for the minutes)")?;
    } else {
        writeln!(out, "ok: {} signed head(s) checked{latest}{others}", r.checked)?;
    }
    Ok(())
}

/// Signs the head with this account's key and prints it (`on`: the panel, where several were
/// written to); a failure to sign is said, but what was recorded stays recorded.
pub(super) fn sign_and_print(
    store: &mut (impl Backend + ?Sized),
    on: Option<&str>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), CliError> {
    let on = on.map_or(String::new(), |p| format!(" on {p}"));
    let signed =
        crate::signing::Signer::load_or_create(&crate::signing::key_dir()).and_then(|s| s.sign_head(store, Utc::now()));
    match signed {
        Ok(s) => writeln!(out, "Signed{on}: {s}. For the minutes: {}", s.head.minute())?,
        Err(e) => writeln!(err, "Recorded{on}, but the head could not be signed: {e}")?,
    }
    Ok(())
}

/// `jdp sign`, on a file or a server (where the login must be one that records: chair,
/// scrutiny or admin; the key is the person's, on their own machine).
pub(super) fn sign(cli: &Cli, out: &mut impl Write) -> Result<(), CliError> {
    let mut store = super::server::open_existing_backend(cli)?;
    let signer = crate::signing::Signer::load_or_create(&crate::signing::key_dir()).map_err(CliError::Store)?;
    let s = signer.sign_head(&mut *store, Utc::now()).map_err(store_err(cli))?;
    writeln!(out, "Signed: {s}.")?;
    writeln!(out, "For the minutes: {}", s.head.minute())?;
    Ok(())
}
