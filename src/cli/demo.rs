//! `jdp demo-data`: synthetic decisions for a demo store.

use chrono::{NaiveDate, Utc};
use rand::SeedableRng;
use std::io::Write;

use super::*;

pub(super) fn demo_data(cli: &Cli, n: u64, seed: u64, until: NaiveDate, out: &mut impl Write) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    // One trial decision first, so a panel that allows none is refused before anything is written.
    let mut trial = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    crate::demo::try_generate(&mut trial, &p, 0, until).map_err(|e| CliError::Input(format!("demo-data: {e}")))?;
    let mut store = open_backend(cli)?;
    let before = store.summary().map_err(store_err(cli))?.referrals as u64;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut failure = None;
    let mut items = (before..before + n)
        .map_while(|i| crate::demo::try_generate(&mut rng, &p, i, until).map_err(|e| failure = Some(e)).ok());
    store.use_panel(&p);
    let written = store.insert_demo(&mut items, &actor(), Utc::now()).map_err(store_err(cli))?;
    if let Some(e) = failure {
        return Err(CliError::Input(format!("demo-data stopped early ({written} record(s) written): {e}")));
    }
    writeln!(
        out,
        "Wrote {} synthetic decision(s) ({} record(s) with corrections) to {} — marked SYNTHETIC.",
        count(n),
        count(written),
        db_label(cli)
    )?;
    Ok(())
}
