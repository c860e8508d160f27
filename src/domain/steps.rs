//! The nine steps of the walk through one referral, in the order DOMAIN.md gives them. Every
//! finding belongs to one step, so the step bar, the review and the record button read one list.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    Facts,
    Research,
    Victim,
    Needs,
    Gravity,
    Outcome,
    Decision,
    Review,
    Record,
}

impl Step {
    pub const ALL: [Step; 9] = [
        Step::Facts,
        Step::Research,
        Step::Victim,
        Step::Needs,
        Step::Gravity,
        Step::Outcome,
        Step::Decision,
        Step::Review,
        Step::Record,
    ];

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).expect("every step is in ALL")
    }

    pub fn id(self) -> &'static str {
        match self {
            Step::Facts => "facts",
            Step::Research => "research",
            Step::Victim => "victim",
            Step::Needs => "needs",
            Step::Gravity => "gravity",
            Step::Outcome => "outcome",
            Step::Decision => "decision",
            Step::Review => "review",
            Step::Record => "record",
        }
    }

    pub fn from_id(id: &str) -> Option<Step> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }

    pub fn offset(self, by: isize) -> Step {
        let i = (self.index() as isize + by).clamp(0, Self::ALL.len() as isize - 1);
        Self::ALL[i as usize]
    }
}
