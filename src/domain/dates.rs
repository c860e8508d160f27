//! Calendar rules: age on a date, working days for task deadlines, and calendar quarters and
//! months for reports.

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

    /// Working days after `from` up to and including `to` (`from` itself never counts; 0 when
    /// `to` is not after `from`): the inverse of [`WorkingDays::add`].
    pub fn between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to <= from {
            return 0;
        }
        if self.days.is_empty() {
            return (to - from).num_days() as u32;
        }
        from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| self.is_working_day(*d)).count() as u32
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

    /// Where the bank holidays listed stop short of the next 12 months from `today`: the last
    /// day they must reach, and the last one listed (None for an empty list); None when they
    /// cover it. Every due date after the last listed holiday treats a bank holiday as a working
    /// day, so a list that runs out moves every deadline without a word. `today` is passed in.
    pub fn bank_holidays_short(&self, today: NaiveDate) -> Option<(NaiveDate, Option<NaiveDate>)> {
        let needed = today.checked_add_months(chrono::Months::new(12)).unwrap_or(today);
        let last = self.bank_holidays.iter().max().copied();
        match last {
            Some(l) if l >= needed => None,
            _ => Some((needed, last)),
        }
    }
}

/// A calendar quarter (Q1 is January to March), the period boards report on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub q: u8,
}

impl Quarter {
    pub fn of(date: NaiveDate) -> Quarter {
        Quarter { year: date.year(), q: (date.month0() / 3) as u8 + 1 }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, u32::from(self.q) * 3 - 2, 1).expect("a quarter starts on a real day")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("a quarter ends on a real day")
    }

    pub fn next(self) -> Quarter {
        if self.q == 4 { Quarter { year: self.year + 1, q: 1 } } else { Quarter { q: self.q + 1, ..self } }
    }

    pub fn previous(self) -> Quarter {
        if self.q == 1 { Quarter { year: self.year - 1, q: 4 } } else { Quarter { q: self.q - 1, ..self } }
    }

    /// The `n` quarters ending with the one `date` falls in, oldest first.
    pub fn ending_with(date: NaiveDate, n: usize) -> Vec<Quarter> {
        let mut qs = vec![Quarter::of(date)];
        while qs.len() < n {
            let before = qs[qs.len() - 1].previous();
            qs.push(before);
        }
        qs.truncate(n);
        qs.reverse();
        qs
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} Q{}", self.year, self.q)
    }
}

/// The last day of `d`'s month (`d` itself at the calendar's very end).
pub fn month_end(d: NaiveDate) -> NaiveDate {
    d.with_day(1).and_then(|f| f.checked_add_months(chrono::Months::new(1))).and_then(|n| n.pred_opt()).unwrap_or(d)
}

/// The calendar months `first..=last` spans, each as its first and last day within the span
/// (a force-wide report reads each panel a month at a time).
pub fn months(first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = first;
    while start <= last {
        let end = month_end(start).min(last);
        out.push((start, end));
        match end.succ_opt() {
            Some(n) => start = n,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The list must reach 12 months from today (F24: a list that ran out silently moved every
    /// due date over the next Christmas).
    #[test]
    fn bank_holidays_must_cover_the_next_twelve_months() {
        let w = |h: &[NaiveDate]| WorkingDays { bank_holidays: h.to_vec(), ..WorkingDays::default() };
        let to_2027 = [d(2026, 12, 25), d(2027, 12, 28)];
        for (today, list, short) in [
            (d(2026, 11, 24), &to_2027[..], None),
            (d(2026, 12, 28), &to_2027[..], None),
            (d(2026, 12, 29), &to_2027[..], Some((d(2027, 12, 29), Some(d(2027, 12, 28))))),
            (d(2027, 6, 1), &to_2027[..], Some((d(2028, 6, 1), Some(d(2027, 12, 28))))),
            (d(2026, 11, 24), &[][..], Some((d(2027, 11, 24), None))),
        ] {
            assert_eq!(w(list).bank_holidays_short(today), short, "{today}");
        }
    }

    /// Working days between two dates, as the YJB case management guidance counts a timescale
    /// ("within 10 working days of the referral"): the referral day itself never counts, weekends
    /// and the panel's bank holidays do not count, and `between` undoes `add`.
    #[test]
    fn working_days_between_two_dates() {
        use crate::domain::panel::WorkingDays;
        let wd = WorkingDays { bank_holidays: vec![d(2026, 12, 25), d(2026, 12, 28)], ..WorkingDays::default() };
        // (from, to, working days): Monday 2026-11-23.
        for (from, to, n) in [
            (d(2026, 11, 23), d(2026, 11, 23), 0),
            (d(2026, 11, 23), d(2026, 11, 20), 0),
            (d(2026, 11, 23), d(2026, 11, 24), 1),
            (d(2026, 11, 23), d(2026, 11, 27), 4),
            (d(2026, 11, 23), d(2026, 11, 29), 4),
            (d(2026, 11, 23), d(2026, 11, 30), 5),
            (d(2026, 11, 23), d(2026, 12, 7), 10),
            (d(2026, 11, 28), d(2026, 11, 30), 1),
            (d(2026, 12, 24), d(2026, 12, 29), 1),
        ] {
            assert_eq!(wd.between(from, to), n, "{from} to {to}");
        }
        for n in [0, 1, 5, 10, 23] {
            let from = d(2026, 12, 18);
            assert_eq!(wd.between(from, wd.add(from, n)), n, "{n}");
        }
        let calendar = WorkingDays { days: vec![], bank_holidays: vec![] };
        assert_eq!(calendar.between(d(2026, 11, 23), d(2026, 11, 30)), 7);
    }

    #[test]
    fn quarters_are_calendar_quarters() {
        // (a date, its quarter, that quarter's first and last days)
        for (date, (y, q), first, last) in [
            (d(2026, 1, 1), (2026, 1), d(2026, 1, 1), d(2026, 3, 31)),
            (d(2026, 3, 31), (2026, 1), d(2026, 1, 1), d(2026, 3, 31)),
            (d(2026, 4, 1), (2026, 2), d(2026, 4, 1), d(2026, 6, 30)),
            (d(2026, 8, 15), (2026, 3), d(2026, 7, 1), d(2026, 9, 30)),
            (d(2026, 12, 31), (2026, 4), d(2026, 10, 1), d(2026, 12, 31)),
            (d(2024, 2, 29), (2024, 1), d(2024, 1, 1), d(2024, 3, 31)),
        ] {
            let got = Quarter::of(date);
            assert_eq!((got.year, got.q), (y, q), "{date}");
            assert_eq!((got.first_day(), got.last_day()), (first, last), "{date}");
        }
        assert_eq!(Quarter { year: 2026, q: 3 }.to_string(), "2026 Q3");
    }

    #[test]
    fn quarters_step_across_years() {
        assert_eq!(Quarter { year: 2026, q: 1 }.previous(), Quarter { year: 2025, q: 4 });
        assert_eq!(Quarter { year: 2026, q: 2 }.previous(), Quarter { year: 2026, q: 1 });
        assert_eq!(Quarter { year: 2025, q: 4 }.next(), Quarter { year: 2026, q: 1 });
        assert_eq!(Quarter { year: 2025, q: 3 }.next(), Quarter { year: 2025, q: 4 });
        let qs = Quarter::ending_with(d(2026, 2, 10), 6);
        let shown: Vec<String> = qs.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["2024 Q4", "2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4", "2026 Q1"]);
        assert_eq!(Quarter::ending_with(d(2026, 2, 10), 1), [Quarter { year: 2026, q: 1 }]);
    }

    #[test]
    fn with_no_working_days_configured_deadlines_fall_back_to_calendar_days() {
        let none = WorkingDays { days: vec![], bank_holidays: vec![d(2026, 11, 24)] };
        // Saturday + 1 is Sunday, and bank holidays do not count either: calendar days.
        assert_eq!(none.add(d(2026, 11, 28), 1), d(2026, 11, 29));
        assert_eq!(none.add(d(2026, 11, 23), 5), d(2026, 11, 28));
        assert_eq!(none.add(d(2026, 11, 23), 0), d(2026, 11, 23));
    }

    /// Every day of the span once, in order, never two months together: across a year's end,
    /// a leap February, one day, and an empty span.
    #[test]
    fn a_span_is_cut_into_its_calendar_months() {
        for (first, last, expected) in [
            (
                d(2026, 1, 15),
                d(2026, 3, 10),
                vec![
                    (d(2026, 1, 15), d(2026, 1, 31)),
                    (d(2026, 2, 1), d(2026, 2, 28)),
                    (d(2026, 3, 1), d(2026, 3, 10)),
                ],
            ),
            (
                d(2023, 12, 31),
                d(2024, 2, 29),
                vec![
                    (d(2023, 12, 31), d(2023, 12, 31)),
                    (d(2024, 1, 1), d(2024, 1, 31)),
                    (d(2024, 2, 1), d(2024, 2, 29)),
                ],
            ),
            (d(2026, 7, 1), d(2026, 7, 1), vec![(d(2026, 7, 1), d(2026, 7, 1))]),
            (d(2026, 7, 2), d(2026, 7, 1), vec![]),
        ] {
            assert_eq!(months(first, last), expected, "{first} to {last}");
        }
    }
}
