//! Gravity scoring against a Child Gravity Matrix held as data: base score, each factor's
//! effect, clamping to the scale, the indicated outcome, and whether an inspector must authorise.

use super::panel::{Factor, GravityMatrix, Indication, MatrixOffence};
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
    })
}
