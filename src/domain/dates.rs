//! Calendar rules: age on a date, and working days for task deadlines.

use chrono::{Datelike, Days, NaiveDate};

use super::panel::{Weekday, WorkingDays};

/// Whole years completed on `on`. A birthday counts on the day itself; a 29 February birthday
/// is reached on 1 March in a common year (the usual legal reading in England and Wales).
pub fn age_on(date_of_birth: NaiveDate, on: NaiveDate) -> u32 {
    if on < date_of_birth {
        return 0;
    }
    let mut years = on.year() - date_of_birth.year();
    if (on.month(), on.day()) < (date_of_birth.month(), date_of_birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

impl WorkingDays {
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.days.contains(&Weekday::of(date)) && !self.bank_holidays.contains(&date)
    }

    /// The date `n` working days after `from` (`from` itself never counts). With no working
    /// days configured at all, falls back to calendar days rather than looping forever.
    pub fn add(&self, from: NaiveDate, n: u32) -> NaiveDate {
        if self.days.is_empty() {
            return from + Days::new(u64::from(n));
        }
        let mut date = from;
        let mut left = n;
        while left > 0 {
            date = date + Days::new(1);
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn with_no_working_days_configured_deadlines_fall_back_to_calendar_days() {
        let none = WorkingDays { days: vec![], bank_holidays: vec![d("2026-11-24")] };
        // Saturday + 1 is Sunday, and bank holidays do not count either: calendar days.
        assert_eq!(none.add(d("2026-11-28"), 1), d("2026-11-29"));
        assert_eq!(none.add(d("2026-11-23"), 5), d("2026-11-28"));
        assert_eq!(none.add(d("2026-11-23"), 0), d("2026-11-23"));
    }
}
