//! Gravity scoring against a Child Gravity Matrix held as data: base score, each factor's
//! effect, clamping to the scale, the indicated outcome, and whether an inspector must authorise.

use super::panel::{Factor, FactorRule, GravityMatrix, Indication, MatrixOffence};
use super::referral::GravityInputs;

#[derive(Debug, Clone, PartialEq)]
pub struct FactorEffect {
    pub id: String,
    pub label: String,
    pub effect: i8,
    /// The running score after this factor, before clamping.
    pub running: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GravityScore {
    pub offence: String,
    pub base: u8,
    pub steps: Vec<FactorEffect>,
    /// Base plus every effect, before clamping.
    pub unclamped: i32,
    pub final_score: u8,
    pub clamped: bool,
    /// Final minus base: how far the panel has moved the score.
    pub movement: i32,
    pub needs_inspector: bool,
    pub indication: Option<Indication>,
    pub illustrative: bool,
    /// The scores the factors support (lowest, highest), within the scale: under a judgement
    /// matrix the panel sets the final score in this range.
    pub supported: (u8, u8),
    /// The panel set the final score by judgement (a judgement matrix, a score given).
    pub judged: bool,
    /// The score the panel set lies outside what the factors support (it is not used).
    pub judged_outside: Option<u8>,
}

impl GravityScore {
    pub fn indicated_outcome(&self) -> Option<&str> {
        self.indication.as_ref().and_then(|i| i.outcomes.first()).map(String::as_str)
    }
    /// An outcome the matrix does not point to for this score: allowed, with a rationale.
    pub fn is_departure(&self, outcome: &str) -> bool {
        self.indication.as_ref().is_some_and(|i| !i.outcomes.iter().any(|o| o == outcome))
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GravityError {
    #[error("the offence \"{0}\" is not in the gravity matrix")]
    UnknownOffence(String),
    #[error("the factor \"{factor}\" is neither a general factor nor one for \"{offence}\"")]
    UnknownFactor { offence: String, factor: String },
}

/// Every factor that can apply to an offence: its own first, then the general ones.
pub fn factors_for<'m>(matrix: &'m GravityMatrix, offence: &'m MatrixOffence) -> Vec<&'m Factor> {
    offence.factors.iter().chain(matrix.general_factors.iter()).collect()
}

pub fn score(matrix: &GravityMatrix, inputs: &GravityInputs) -> Result<GravityScore, GravityError> {
    let offence = matrix
        .offences
        .iter()
        .find(|o| o.name == inputs.offence)
        .ok_or_else(|| GravityError::UnknownOffence(inputs.offence.clone()))?;
    let available = factors_for(matrix, offence);
    let mut running = i32::from(offence.base_score);
    let mut steps = Vec::with_capacity(inputs.factors.len());
    for id in &inputs.factors {
        let factor = available
            .iter()
            .find(|f| &f.id == id)
            .ok_or_else(|| GravityError::UnknownFactor { offence: offence.name.clone(), factor: id.clone() })?;
        running += i32::from(factor.effect);
        steps.push(FactorEffect { id: factor.id.clone(), label: factor.label.clone(), effect: factor.effect, running });
    }
    let lo = i32::from(matrix.scale_min);
    let hi = i32::from(matrix.scale_max);
    let base = i32::from(offence.base_score);
    let up: i32 = steps.iter().map(|s| i32::from(s.effect)).filter(|e| *e > 0).sum();
    let down: i32 = steps.iter().map(|s| i32::from(s.effect)).filter(|e| *e < 0).sum();
    let net = running - base;
    let (supported, computed) = match matrix.factor_rule {
        FactorRule::Additive => ((running, running), running),
        // ACPO 2013: however many factors apply, one level at most either way.
        FactorRule::OneLevel => {
            let moved = base + net.signum();
            ((moved, moved), moved)
        }
        // 2023: from every mitigating factor to every aggravating factor; the additive score
        // stands until the panel sets one.
        FactorRule::Judgement => ((base + down, base + up), running),
    };
    let supported = (supported.0.clamp(lo, hi), supported.1.clamp(lo, hi));
    let judged_in = inputs.judged_score.filter(|_| matrix.factor_rule == FactorRule::Judgement).map(i32::from);
    let (running, judged, judged_outside) = match judged_in {
        Some(j) if j >= supported.0 && j <= supported.1 => (j, true, None),
        Some(j) => (computed, false, Some(j as u8)),
        None => (computed, false, None),
    };
    let final_score = running.clamp(lo, hi);
    let movement = final_score - i32::from(offence.base_score);
    Ok(GravityScore {
        offence: offence.name.clone(),
        base: offence.base_score,
        steps,
        unclamped: running,
        final_score: final_score as u8,
        clamped: final_score != running,
        movement,
        needs_inspector: movement.unsigned_abs() > u32::from(matrix.max_move_without_inspector),
        indication: matrix.indications.iter().find(|i| i32::from(i.score) == final_score).cloned(),
        illustrative: matrix.illustrative,
        supported: (supported.0 as u8, supported.1 as u8),
        judged,
        judged_outside,
    })
}
