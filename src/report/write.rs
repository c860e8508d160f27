//! The board report as Markdown (for papers), CSV (for analysts, via the csv crate) and one
//! self-contained HTML page (inline CSS and SVG, no external assets). Each states its period,
//! the panel definition version, whether the data is synthetic, and the suppression rule.

use std::fmt::Write as _;
use std::io::Write;

use super::board::{Cell, Report};
use crate::domain::text::{markdown_cell as cell, markdown_line, markdown_unescape};

/// The report's title: the board report for a period, or the scrutiny panel's annual report.
fn title(r: &Report) -> String {
    match r.annual {
        Some(y) => format!("Out-of-court scrutiny panel: annual report {y}"),
        None if !r.panels.is_empty() => "Out-of-court decisions: force-wide scrutiny and board report".into(),
        None => "Out-of-court decisions: scrutiny and board report".into(),
    }
}

fn about(r: &Report) -> Vec<String> {
    let mut lines = vec![format!("Period: decisions made {} to {} ({} current decisions)", r.from, r.to, r.decisions)];
    if !r.panels.is_empty() {
        let each: Vec<String> = r.panels.iter().map(|(p, n)| format!("{p} ({n} decisions)")).collect();
        lines.push(format!("Panels: force-wide, {} panels together: {}", r.panels.len(), each.join(", ")));
    }
    lines.extend([
        format!(
            "Panel definition: decisions made under {}; this report was produced with version {}",
            decided_under(r),
            r.panel_version
        ),
        if r.synthetic {
            "Data: SYNTHETIC DEMO DATA — not real decisions".into()
        } else {
            "Data: recorded decisions".into()
        },
        format!(
            "Suppression: groups of fewer than {} children are pooled into one unnamed row per gravity band \
             (\"suppressed\"), with the next smallest group when one alone would be pooled, so that no \
             group's count can be worked out from the band's total and no child can be identified",
            r.min_cell
        ),
        format!(
            "Formal outcome (a criminal record): {}",
            r.formal_outcomes.iter().map(|c| r.label(c)).collect::<Vec<_>>().join(", ")
        ),
        format!("Outcome codes: {}", r.labels.iter().map(|(c, l)| format!("{c} = {l}")).collect::<Vec<_>>().join("; ")),
    ]);
    lines
}

/// The versions the period's decisions were made under, with how many each.
fn decided_under(r: &Report) -> String {
    if r.decided_under.is_empty() {
        return "no version (no decisions in the period)".into();
    }
    let shown: Vec<String> = r
        .decided_under
        .iter()
        .map(|(v, n)| {
            let v = if v.is_empty() { "an unrecorded version" } else { v.as_str() };
            format!("version {v} ({n})")
        })
        .collect();
    shown.join(", ")
}

/// `x` to the nearest whole number, a half up as a spreadsheet rounds it (82.5% is 83%, where
/// `{:.0}` would round a half to even and print 82%).
fn whole(x: f64) -> f64 {
    x.round()
}

/// `part` of `whole` as a whole percentage ("–" of nothing).
fn share(part: u64, of: u64) -> String {
    if of == 0 { "–".into() } else { format!("{}%", whole(part as f64 * 100.0 / of as f64)) }
}

/// Every key of these counts, once each, in order: the columns or rows a table needs.
fn keys_of<'a>(counts: impl Iterator<Item = &'a std::collections::BTreeMap<String, u64>>) -> Vec<String> {
    let all: std::collections::BTreeSet<&String> = counts.flat_map(|m| m.keys()).collect();
    all.into_iter().cloned().collect()
}

/// The outcomes seen in any quarter of the trends, in code order.
fn trend_outcomes(r: &Report) -> Vec<String> {
    keys_of(r.trends.iter().map(|t| &t.mix))
}

/// The rating labels seen in any quarter of the trends, in label order.
fn trend_ratings(r: &Report) -> Vec<String> {
    keys_of(r.trends.iter().map(|t| &t.ratings))
}

/// The trends section: each measure a row, each quarter a column.
fn trends_markdown(r: &Report, md: &mut String) {
    if r.trends.is_empty() {
        return;
    }
    let _ = writeln!(md, "\n## Trends over the last {} quarters\n", r.trends.len());
    let head = r.trends.iter().map(|t| cell(&t.quarter)).collect::<Vec<_>>().join(" | ");
    let rule = "---|".repeat(r.trends.len());
    let _ = writeln!(md, "Outcome mix (decisions, and share of the quarter's):\n\n| Outcome | {head} |\n|---|{rule}");
    for o in trend_outcomes(r) {
        let cells: Vec<String> = r
            .trends
            .iter()
            .map(|t| {
                let n = t.mix.get(&o).copied().unwrap_or(0);
                format!("{n} ({})", share(n, t.decisions))
            })
            .collect();
        let _ = writeln!(md, "| {} | {} |", cell(r.label(&o)), cells.join(" | "));
    }
    let row = |md: &mut String, name: &str, f: &dyn Fn(&super::board::QuarterTrend) -> String| {
        let cells: Vec<String> = r.trends.iter().map(f).collect();
        let _ = writeln!(md, "| {} | {} |", cell(name), cells.join(" | "));
    };
    let _ = writeln!(md, "\nTimeliness, agreement, departures and ratings:\n\n| Measure | {head} |\n|---|{rule}");
    row(md, "Decisions", &|t| t.decisions.to_string());
    let days = |i: usize| {
        move |t: &super::board::QuarterTrend| {
            t.referral_to_decision.map_or("–".into(), |d| format!("{}", whole(if i == 0 { d.0 } else { d.1 })))
        }
    };
    row(md, "Referral → decision, median days", &days(0));
    row(md, "Referral → decision, 90th percentile days", &days(1));
    row(md, "Police and YJS disagreed", &|t| format!("{} ({})", t.disagreements, share(t.disagreements, t.decisions)));
    row(md, "Departures from the matrix", &|t| format!("{} ({})", t.departures, share(t.departures, t.decisions)));
    row(md, "KPI 10: victims engaged in restorative justice", &|t| {
        format!("{} of {} ({})", t.kpi10.engaged, t.kpi10.agreed, share(t.kpi10.engaged, t.kpi10.agreed))
    });
    for label in trend_ratings(r) {
        row(md, &format!("Rated: {label}"), &|t| t.ratings.get(&label).copied().unwrap_or(0).to_string());
    }
}

/// Victims and restorative justice: YJB KPI 10 for the period, and where the offer stood.
fn kpi10_markdown(r: &Report, md: &mut String) {
    let k = &r.kpi10;
    let _ = write!(
        md,
        "\n## Victims and restorative justice (YJB KPI 10)\n\n\
         KPI 10 is the victims who engaged in restorative justice divided by the victims who agreed to be contacted \
         (contacted, consented to their details being shared with the YJS, and not asking for no further contact).\n\n\
         - Victims who agreed to be contacted: {}\n- Engaged in restorative justice: {}\n- KPI 10: {}\n",
        k.agreed,
        k.engaged,
        k.rate().map_or("– (no victim agreed to be contacted)".to_string(), |x| format!("{}%", whole(x * 100.0)))
    );
    for status in crate::domain::referral::RjStatus::ALL {
        if let Some(n) = k.by_status.get(status.id()) {
            let _ = writeln!(md, "- {}: {n}", cell(status.name()));
        }
    }
}

/// What a suppressed (pooled) figure prints as.
const SUPPRESSED: &str = "suppressed";

fn pct(x: Option<f64>) -> String {
    x.map_or(SUPPRESSED.to_string(), |v| format!("{}%", whole(v * 100.0)))
}

/// " *" where an interval excludes 1 (a difference unlikely to be chance alone): the one rule the
/// tables and the forest plot mark by.
fn mark(lo: f64, hi: f64) -> &'static str {
    if lo > 1.0 || hi < 1.0 { " *" } else { "" }
}

/// The interval, marked * where it excludes 1.
fn interval(c: &Cell) -> String {
    c.rri_ci.map_or("—".into(), |(lo, hi)| format!("{lo:.2}–{hi:.2}{}", mark(lo, hi)))
}

fn rri(c: &Cell) -> String {
    c.rri.map_or("—".into(), |v| format!("{v:.2}"))
}

fn outcomes(r: &Report) -> Vec<String> {
    keys_of(r.by_score.values())
}

pub fn markdown(r: &Report) -> String {
    let mut md = format!("# {}\n\n", title(r));
    for line in about(r) {
        // Panel names and outcome labels are data: no structure from them.
        let _ = writeln!(md, "- {}", markdown_line(&line));
    }
    let cols = outcomes(r);
    md.push_str("\n## Outcomes by final gravity score\n\n| Score | ");
    md.push_str(&cols.iter().map(|c| cell(r.label(c))).collect::<Vec<_>>().join(" | "));
    md.push_str(" | Total |\n|---|");
    md.push_str(&"---|".repeat(cols.len() + 1));
    md.push('\n');
    for (score, m) in &r.by_score {
        let total: u64 = m.values().sum();
        let cells: Vec<String> = cols.iter().map(|c| m.get(c).copied().unwrap_or(0).to_string()).collect();
        let _ = writeln!(md, "| {score} | {} | {total} |", cells.join(" | "));
    }
    md.push_str("\n## Departures from the matrix\n\n| Indicated | Decided | Decisions |\n|---|---|---|\n");
    for (i, d, n) in &r.departures {
        let _ = writeln!(md, "| {} | {} | {n} |", cell(r.label(i)), cell(r.label(d)));
    }
    md.push_str("\n## Disproportionality: formal outcome rates within each gravity band\n");
    let not_stated = if r.decisions == 0 { 0.0 } else { r.ethnicity_not_stated as f64 * 100.0 / r.decisions as f64 };
    let _ = writeln!(
        md,
        "\nEthnicity not stated: {not_stated:.1}% of decisions. Relative rate indices are against the reference group \
         in the same band, with 95% confidence intervals (log method); * marks an interval that excludes 1."
    );
    for d in &r.dispro {
        let _ = writeln!(
            md,
            "\n### {} (reference group: {})\n\n| Score | Group | Children | Formal | Rate | Relative rate index | 95% interval |\n|---|---|---|---|---|---|---|",
            markdown_line(d.dimension),
            markdown_line(&d.reference)
        );
        for (score, cells) in &d.bands {
            for c in cells {
                let shown_formal = if c.rate.is_some() { c.formal.to_string() } else { SUPPRESSED.into() };
                let shown_n = if c.rate.is_some() { c.n.to_string() } else { SUPPRESSED.into() };
                let _ = writeln!(
                    md,
                    "| {score} | {} | {shown_n} | {shown_formal} | {} | {} | {} |",
                    cell(&c.group),
                    pct(c.rate),
                    rri(c),
                    interval(c)
                );
            }
        }
    }
    let _ = write!(
        md,
        "\n## Timeliness (days; median and 90th percentile)\n\nThe YJS assessment is due within {} working days of the referral \
         (YJB case management guidance; the panel definition's timescale).\n\n\
         | Month | Decisions | Offence → referral | Referral → decision | Referral → assessment (working days) | Assessed in time |\n\
         |---|---|---|---|---|---|\n",
        r.assessment_working_days
    );
    for m in &r.timeliness {
        let assessment = m.referral_to_assessment.map_or("–".into(), |(a, b)| format!("{} / {}", whole(a), whole(b)));
        let in_time = if m.assessed == 0 {
            "–".to_string()
        } else {
            format!("{} of {} ({})", m.assessed_in_time, m.assessed, share(m.assessed_in_time, m.assessed))
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} / {} | {} / {} | {assessment} | {in_time} |",
            cell(&m.month),
            m.n,
            whole(m.offence_to_referral.0),
            whole(m.offence_to_referral.1),
            whole(m.referral_to_decision.0),
            whole(m.referral_to_decision.1)
        );
    }
    kpi10_markdown(r, &mut md);
    let _ = write!(
        md,
        "\n## Agreement\n\n- Police and YJS disagreed: {}\n- Score moved beyond the allowed adjustment (inspector's authority): {}\n- Corrected decisions: {}\n",
        r.disagreements, r.inspector_moves, r.corrections
    );
    trends_markdown(r, &mut md);
    md.push_str("\n## Scrutiny reviews\n\n");
    if r.annual.is_some() {
        let _ = writeln!(
            md,
            "- Cases reviewed: {}\n- Actions agreed: {}, of which closed: {}",
            r.cases_reviewed, r.actions_opened, r.actions_closed
        );
    }
    if r.ratings.is_empty() {
        md.push_str("No reviews of decisions in this period yet.\n");
    }
    for (label, n) in &r.ratings {
        let _ = writeln!(md, "- {}: {n}", markdown_line(label));
    }
    let _ = writeln!(md, "- No conclusion, carried to the next meeting: {}", r.no_conclusion);
    if !r.themes.is_empty() {
        md.push_str("\nLearning points by theme:\n\n");
        for (t, n) in &r.themes {
            let _ = writeln!(md, "- {}: {n}", markdown_line(t));
        }
        md.push_str("\nThe learning points:\n\n");
        for (t, p) in &r.learning_points {
            let _ = writeln!(md, "- {}: {}", markdown_line(t), markdown_line(p));
        }
    }
    md.push_str("\n## Open actions\n\n");
    if r.open_actions.is_empty() {
        md.push_str("None.\n");
    } else {
        md.push_str("| Action | What | Owner | Due | |\n|---|---|---|---|---|\n");
        for a in &r.open_actions {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                cell(&a.id),
                cell(&a.text),
                cell(&a.owner),
                a.due.format("%-d %b %Y"),
                if a.overdue { "OVERDUE" } else { "" }
            );
        }
    }
    md
}

/// Writes CSV records with every cell made safe to open in a spreadsheet.
struct SafeCsv<'w>(csv::Writer<&'w mut dyn Write>);

impl SafeCsv<'_> {
    fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.0.write_record(record.into_iter().map(|c| crate::domain::text::csv_cell(c.as_ref()).into_owned()))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

pub fn csv(r: &Report, out: &mut dyn Write) -> csv::Result<()> {
    let mut w = SafeCsv(csv::Writer::from_writer(out));
    w.write_record(["section", "dimension", "band", "group", "measure", "value"])?;
    for line in about(r) {
        let (k, v) = line.split_once(": ").unwrap_or(("about", &line));
        w.write_record(["about", k, "", "", "", v])?;
    }
    for (v, n) in &r.decided_under {
        w.write_record(["about", "panel definition version decided under", "", v, "decisions", &n.to_string()])?;
    }
    // Outcomes by label, as the other formats print them (the codes are in the "about" rows).
    for (score, m) in &r.by_score {
        for (o, n) in m {
            w.write_record(["outcomes", "outcome", &score.to_string(), r.label(o), "decisions", &n.to_string()])?;
        }
    }
    for (i, d, n) in &r.departures {
        w.write_record(["departures", "indicated", r.label(i), r.label(d), "decisions", &n.to_string()])?;
    }
    for d in &r.dispro {
        for (score, cells) in &d.bands {
            for c in cells {
                let s = score.to_string();
                let hidden = SUPPRESSED.to_string();
                let (n, f) = if c.rate.is_some() {
                    (c.n.to_string(), c.formal.to_string())
                } else {
                    (hidden.clone(), hidden.clone())
                };
                w.write_record(["disproportionality", d.dimension, &s, &c.group, "children", &n])?;
                w.write_record(["disproportionality", d.dimension, &s, &c.group, "formal", &f])?;
                w.write_record([
                    "disproportionality",
                    d.dimension,
                    &s,
                    &c.group,
                    "rate",
                    &c.rate.map_or(hidden.clone(), |v| format!("{v:.4}")),
                ])?;
                w.write_record([
                    "disproportionality",
                    d.dimension,
                    &s,
                    &c.group,
                    "rri",
                    &c.rri.map_or(String::new(), |v| format!("{v:.4}")),
                ])?;
                if let Some((lo, hi)) = c.rri_ci {
                    w.write_record([
                        "disproportionality",
                        d.dimension,
                        &s,
                        &c.group,
                        "rri_ci_low",
                        &format!("{lo:.4}"),
                    ])?;
                    w.write_record([
                        "disproportionality",
                        d.dimension,
                        &s,
                        &c.group,
                        "rri_ci_high",
                        &format!("{hi:.4}"),
                    ])?;
                }
            }
        }
    }
    for m in &r.timeliness {
        for (measure, v) in [
            ("decisions", m.n as f64),
            ("offence_to_referral_median", m.offence_to_referral.0),
            ("offence_to_referral_p90", m.offence_to_referral.1),
            ("referral_to_decision_median", m.referral_to_decision.0),
            ("referral_to_decision_p90", m.referral_to_decision.1),
            ("assessed", m.assessed as f64),
            ("assessed_in_time", m.assessed_in_time as f64),
        ] {
            w.write_record(["timeliness", "month", "", &m.month, measure, &v.to_string()])?;
        }
        if let Some((median, p90)) = m.referral_to_assessment {
            w.write_record([
                "timeliness",
                "month",
                "",
                &m.month,
                "referral_to_assessment_working_days_median",
                &median.to_string(),
            ])?;
            w.write_record([
                "timeliness",
                "month",
                "",
                &m.month,
                "referral_to_assessment_working_days_p90",
                &p90.to_string(),
            ])?;
        }
    }
    for (k, v) in [("victims_agreed_to_contact", r.kpi10.agreed), ("victims_engaged_in_rj", r.kpi10.engaged)] {
        w.write_record(["victims", "kpi10", "", "", k, &v.to_string()])?;
    }
    for (status, n) in &r.kpi10.by_status {
        w.write_record(["victims", "rj_status", "", status, "victims", &n.to_string()])?;
    }
    for (k, v) in
        [("disagreements", r.disagreements), ("inspector_moves", r.inspector_moves), ("corrections", r.corrections)]
    {
        w.write_record(["agreement", "", "", "", k, &v.to_string()])?;
    }
    for (label, n) in &r.ratings {
        w.write_record(["scrutiny", "rating", "", label, "reviews", &n.to_string()])?;
    }
    for (t, n) in &r.themes {
        w.write_record(["scrutiny", "theme", "", t, "learning_points", &n.to_string()])?;
    }
    for t in &r.trends {
        let q = t.quarter.as_str();
        w.write_record(["trends", "quarter", q, "", "decisions", &t.decisions.to_string()])?;
        for (o, n) in &t.mix {
            w.write_record(["trends", "outcome", q, r.label(o), "decisions", &n.to_string()])?;
        }
        if let Some((m, p)) = t.referral_to_decision {
            w.write_record(["trends", "timeliness", q, "", "referral_to_decision_median", &m.to_string()])?;
            w.write_record(["trends", "timeliness", q, "", "referral_to_decision_p90", &p.to_string()])?;
        }
        w.write_record(["trends", "agreement", q, "", "disagreements", &t.disagreements.to_string()])?;
        w.write_record(["trends", "departures", q, "", "decisions", &t.departures.to_string()])?;
        w.write_record(["trends", "kpi10", q, "", "victims_agreed_to_contact", &t.kpi10.agreed.to_string()])?;
        w.write_record(["trends", "kpi10", q, "", "victims_engaged_in_rj", &t.kpi10.engaged.to_string()])?;
        for (label, n) in &t.ratings {
            w.write_record(["trends", "rating", q, label, "reviews", &n.to_string()])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// The cells of one Markdown table row, honouring `\|` (a `|` inside a cell).
pub(crate) fn table_cells(line: &str) -> Vec<String> {
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| matches!(n, '|' | '<' | '>' | '&')) => {
                cells.last_mut().expect("one cell at least").push(chars.next().expect("peeked"));
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().expect("one cell at least").push(c),
        }
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// A horizontal bar chart as inline SVG; every bar is labelled with its value (not colour alone).
fn bars(items: &[(String, f64)], unit: &str) -> String {
    let max = items.iter().map(|(_, v)| *v).fold(0.0, f64::max).max(1e-9);
    let h = 22 * items.len() + 10;
    let mut svg = format!(
        "<svg role=\"img\" width=\"640\" height=\"{h}\" viewBox=\"0 0 640 {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, (label, v)) in items.iter().enumerate() {
        let y = 5 + i * 22;
        // A negative figure (a date recorded out of order) draws no bar, never a wild one.
        let w = (v.max(0.0) / max * 380.0).round();
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text><rect x=\"180\" y=\"{y}\" width=\"{w}\" height=\"16\" fill=\"#444\"/><text x=\"{}\" y=\"{}\" font-size=\"13\">{}{unit}</text>",
            y + 13,
            esc(label),
            185.0 + w,
            y + 13,
            if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.2}") }
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Grey shades that stay distinct in print, darkest first, each with the text colour that reads on it.
const GREYS: [(&str, &str); 7] = [
    ("#1a1a1a", "#fff"),
    ("#4d4d4d", "#fff"),
    ("#808080", "#fff"),
    ("#a6a6a6", "#000"),
    ("#cccccc", "#000"),
    ("#e6e6e6", "#000"),
    ("#ffffff", "#000"),
];

/// Each quarter's outcome mix as one bar of 100%, segments in grey with their share written in
/// them where there is room, and a legend naming each shade (so nothing depends on colour).
fn stacked_shares(r: &Report) -> String {
    let outcomes = trend_outcomes(r);
    let rows = r.trends.len();
    let legend_rows = outcomes.len().div_ceil(3);
    let h = 26 * rows + 22 * legend_rows + 20;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Outcome mix by quarter\" width=\"640\" height=\"{h}\" viewBox=\"0 0 640 {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, t) in r.trends.iter().enumerate() {
        let y = 5 + i * 26;
        let _ = write!(svg, "<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text>", y + 14, esc(&t.quarter));
        let mut x = 80.0;
        for (k, o) in outcomes.iter().enumerate() {
            let n = t.mix.get(o).copied().unwrap_or(0);
            if t.decisions == 0 || n == 0 {
                continue;
            }
            let part = n as f64 / t.decisions as f64;
            let w = part * 550.0;
            let (fill, ink) = GREYS[k % GREYS.len()];
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"20\" fill=\"{fill}\" stroke=\"#000\" stroke-width=\"0.5\"/>"
            );
            if w >= 30.0 {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" fill=\"{ink}\">{}%</text>",
                    x + 3.0,
                    y + 14,
                    whole(part * 100.0)
                );
            }
            x += w;
        }
    }
    for (k, o) in outcomes.iter().enumerate() {
        let (fill, _) = GREYS[k % GREYS.len()];
        let (col, row) = (k % 3, k / 3);
        let (x, y) = (col * 210, 10 + rows * 26 + row * 22);
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{fill}\" stroke=\"#000\" stroke-width=\"0.5\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            x + 19,
            y + 12,
            esc(r.label(o))
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Two bars a row (a dark and a light grey, each labelled with its value): e.g. median and
/// 90th percentile days by quarter.
fn paired_bars(items: &[(String, f64, f64)], names: (&str, &str), unit: &str) -> String {
    let max = items.iter().map(|(_, a, b)| a.max(*b)).fold(0.0, f64::max).max(1e-9);
    let h = 40 * items.len() + 30;
    let mut svg = format!(
        "<svg role=\"img\" width=\"640\" height=\"{h}\" viewBox=\"0 0 640 {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, (label, a, b)) in items.iter().enumerate() {
        let y = 5 + i * 40;
        let _ = write!(svg, "<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text>", y + 22, esc(label));
        for (j, (v, fill)) in [(a, "#444"), (b, "#bbb")].into_iter().enumerate() {
            let w = (v.max(0.0) / max * 380.0).round();
            let yy = y + j * 17;
            let _ = write!(
                svg,
                "<rect x=\"110\" y=\"{yy}\" width=\"{w}\" height=\"15\" fill=\"{fill}\" stroke=\"#000\" stroke-width=\"0.5\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}{unit}</text>",
                115.0 + w,
                yy + 12,
                whole(*v)
            );
        }
    }
    let y = 10 + items.len() * 40;
    let _ = write!(
        svg,
        "<rect x=\"110\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"#444\"/><text x=\"129\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"330\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"#bbb\" stroke=\"#000\" stroke-width=\"0.5\"/><text x=\"349\" y=\"{}\" font-size=\"12\">{}</text>",
        y + 12,
        esc(names.0),
        y + 12,
        esc(names.1)
    );
    svg.push_str("</svg>");
    svg
}

/// The relative rate indices of one dimension by gravity band, as a forest plot on a log scale:
/// a dot at each index, a line across its 95% interval, and a vertical line at 1 (no
/// difference). Every row is labelled with its band, group and figures; suppressed groups and
/// the reference group have no index and are left out.
fn forest(d: &super::board::Dispro) -> String {
    let rows: Vec<(String, f64, Option<(f64, f64)>)> = d
        .bands
        .iter()
        .flat_map(|(score, cells)| {
            cells
                .iter()
                .filter(|c| c.pooled == 0 && c.group != d.reference)
                .filter_map(move |c| c.rri.map(|v| (format!("Score {score}: {}", c.group), v, c.rri_ci)))
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    // The axis runs from a quarter to four times the reference rate (log scale), clamped.
    let (lo, hi) = (0.25f64.ln(), 4.0f64.ln());
    let (x0, width) = (260.0, 260.0);
    let x = |v: f64| x0 + (v.max(0.25).min(4.0).ln() - lo) / (hi - lo) * width;
    let h = 20 * rows.len() + 40;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Relative rate index by gravity band: {}\" width=\"640\" height=\"{h}\" viewBox=\"0 0 640 {h}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(d.dimension)
    );
    let bottom = 20 * rows.len() + 8;
    for tick in [0.25, 0.5, 1.0, 2.0, 4.0] {
        let tx = x(tick);
        let (dash, stroke) = if tick == 1.0 { ("", "#000") } else { (" stroke-dasharray=\"2,3\"", "#999") };
        let _ = write!(
            svg,
            "<line x1=\"{tx:.1}\" y1=\"0\" x2=\"{tx:.1}\" y2=\"{bottom}\" stroke=\"{stroke}\"{dash}/><text x=\"{:.1}\" y=\"{}\" font-size=\"11\">{tick}</text>",
            tx - 8.0,
            bottom + 14
        );
    }
    for (i, (label, v, ci)) in rows.iter().enumerate() {
        let y = 12 + i * 20;
        let _ = write!(svg, "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text>", y + 4, esc(label));
        if let Some((a, b)) = ci {
            let _ = write!(
                svg,
                "<line x1=\"{:.1}\" y1=\"{y}\" x2=\"{:.1}\" y2=\"{y}\" stroke=\"#000\" stroke-width=\"1.5\"/>",
                x(*a),
                x(*b)
            );
        }
        // No formal outcome in the group: an index of 0 has no place on a log scale.
        if *v <= 0.0 {
            let _ = write!(svg, "<text x=\"530\" y=\"{}\" font-size=\"11\">0 (no formal outcome)</text>", y + 4);
            continue;
        }
        let figures = match ci {
            Some((a, b)) => format!("{v:.2} ({a:.2}–{b:.2}){}", mark(*a, *b)),
            None => format!("{v:.2}"),
        };
        let _ = write!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{y}\" r=\"4\" fill=\"#000\"/><text x=\"530\" y=\"{}\" font-size=\"11\">{}</text>",
            x(*v),
            y + 4,
            esc(&figures)
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{x0}\" y=\"{}\" font-size=\"11\">relative rate index (log scale; 1 = the same rate as {})</text>",
        bottom + 28,
        esc(&d.reference)
    );
    svg.push_str("</svg>");
    svg
}

pub fn html(r: &Report) -> String {
    let mut h = String::from(
        "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Out-of-court decisions: board report</title><style>\
         body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}\
         table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #999;padding:.25rem .5rem;text-align:right}\
         th:first-child,td:first-child{text-align:left}.about{background:#f3f3f3;padding:.5rem 1rem}\
         .synthetic{background:#ffd700;font-weight:bold;padding:.5rem}</style></head><body>",
    );
    let _ = write!(h, "<h1>{}</h1>", esc(&title(r)));
    if r.synthetic {
        h.push_str("<p class=\"synthetic\">SYNTHETIC DEMO DATA — these are not real decisions.</p>");
    }
    h.push_str("<ul class=\"about\">");
    for line in about(r) {
        let _ = write!(h, "<li>{}</li>", esc(&line));
    }
    h.push_str("</ul><h2>Outcome mix</h2>");
    let mut mix: std::collections::BTreeMap<String, u64> = Default::default();
    for m in r.by_score.values() {
        for (o, n) in m {
            *mix.entry(o.clone()).or_default() += n;
        }
    }
    h.push_str(&bars(&mix.into_iter().map(|(o, n)| (r.label(&o).to_string(), n as f64)).collect::<Vec<_>>(), ""));
    // The Markdown tables, as HTML tables, carry every figure.
    let md = markdown(r);
    let mut in_table = false;
    // The Markdown's own preamble is the box above: start at its first section.
    let body = md.lines().skip_while(|l| !l.starts_with("## "));
    for line in body {
        if let Some(t) = line.strip_prefix("### ") {
            if in_table {
                h.push_str("</table>");
                in_table = false;
            }
            let _ = write!(h, "<h3>{}</h3>", esc(&markdown_unescape(t)));
            // The dimension's indices by band, drawn before its table.
            if let Some(d) = r.dispro.iter().find(|d| t.starts_with(&markdown_line(d.dimension))) {
                h.push_str(&forest(d));
            }
        } else if let Some(t) = line.strip_prefix("## ") {
            if in_table {
                h.push_str("</table>");
                in_table = false;
            }
            let _ = write!(h, "<h2>{}</h2>", esc(&markdown_unescape(t)));
            if t.starts_with("Timeliness") {
                let items: Vec<(String, f64)> =
                    r.timeliness.iter().map(|m| (m.month.clone(), m.referral_to_decision.0)).collect();
                h.push_str("<p>Median days from referral to decision, by month:</p>");
                h.push_str(&bars(&items, " days"));
            }
            if t.starts_with("Trends") {
                h.push_str("<p>Outcome mix by quarter (share of the quarter's decisions):</p>");
                h.push_str(&stacked_shares(r));
                let items: Vec<(String, f64, f64)> = r
                    .trends
                    .iter()
                    .filter_map(|t| t.referral_to_decision.map(|(m, p)| (t.quarter.clone(), m, p)))
                    .collect();
                h.push_str("<p>Days from referral to decision by quarter:</p>");
                h.push_str(&paired_bars(&items, ("median", "90th percentile"), ""));
            }
        } else if line.starts_with('|') {
            if line.starts_with("|---") {
                continue;
            }
            let cells = table_cells(line);
            let tag = if in_table { "td" } else { "th" };
            if !in_table {
                h.push_str("<table>");
                in_table = true;
            }
            h.push_str("<tr>");
            for c in cells {
                let _ = write!(h, "<{tag}>{}</{tag}>", esc(&c));
            }
            h.push_str("</tr>");
        } else {
            if in_table {
                h.push_str("</table>");
                in_table = false;
            }
            if let Some(t) = line.strip_prefix("- ") {
                let _ = write!(h, "<p>• {}</p>", esc(&markdown_unescape(t)));
            } else if !line.trim().is_empty() {
                let _ = write!(h, "<p>{}</p>", esc(&markdown_unescape(line)));
            }
        }
    }
    if in_table {
        h.push_str("</table>");
    }
    h.push_str("</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(rri: Option<f64>, ci: Option<(f64, f64)>) -> Cell {
        Cell { group: "G".into(), n: 10, formal: 3, rate: Some(0.3), rri, rri_ci: ci, pooled: 0 }
    }

    /// An interval that excludes 1 is marked: a difference unlikely to be chance alone.
    #[test]
    fn an_interval_is_marked_only_where_it_excludes_one() {
        for (ci, want) in [
            (Some((1.2, 2.5)), "1.20–2.50 *"),
            (Some((0.3, 0.9)), "0.30–0.90 *"),
            (Some((0.8, 1.4)), "0.80–1.40"),
            (Some((1.0, 2.0)), "1.00–2.00"),
            (Some((0.5, 1.0)), "0.50–1.00"),
            (None, "—"),
        ] {
            assert_eq!(interval(&cell(Some(1.5), ci)), want, "{ci:?}");
        }
        assert_eq!(rri(&cell(Some(1.456), None)), "1.46");
        assert_eq!(rri(&cell(None, None)), "—");
    }

    #[test]
    fn a_share_is_a_whole_percentage_and_of_nothing_a_dash() {
        assert_eq!(share(1, 3), "33%");
        assert_eq!(share(2, 3), "67%");
        assert_eq!(share(0, 5), "0%");
        assert_eq!(share(0, 0), "–");
        assert_eq!(pct(Some(0.125)), "13%", "a half rounds up, as in a spreadsheet");
        assert_eq!(share(99, 120), "83%", "82.5%");
        assert_eq!(share(1, 8), "13%", "12.5%");
        assert_eq!(pct(None), SUPPRESSED);
    }

    /// A chart's bars are as long as their figures say (scaled to the longest, 380 wide), each in
    /// its own row with its value written beside it; a negative figure draws no bar.
    #[test]
    fn a_bar_is_as_long_as_its_figure_and_sits_in_its_row() {
        let svg = bars(&[("a".into(), 10.0), ("b".into(), 5.0), ("c".into(), -1.0), ("d".into(), 2.5)], " days");
        for want in [
            r##"height="98""##,
            r##"<rect x="180" y="5" width="380" height="16""##,
            r##"<text x="565" y="18" font-size="13">10 days</text>"##,
            r##"<rect x="180" y="27" width="190" height="16""##,
            r##"<text x="375" y="40" font-size="13">5 days</text>"##,
            r##"<rect x="180" y="49" width="0" height="16""##,
            r##"<rect x="180" y="71" width="95" height="16""##,
            r##"<text x="280" y="84" font-size="13">2.50 days</text>"##,
        ] {
            assert!(svg.contains(want), "{want} in {svg}");
        }
        let svg = paired_bars(&[("Q1".into(), 4.0, 8.0), ("Q2".into(), 2.0, 1.0)], ("median", "p90"), "");
        for want in [
            r##"height="110""##,
            r##"<rect x="110" y="5" width="190" height="15""##,
            r##"<text x="305" y="17" font-size="12">4</text>"##,
            r##"<rect x="110" y="22" width="380" height="15""##,
            r##"<text x="495" y="34" font-size="12">8</text>"##,
            r##"<rect x="110" y="45" width="95" height="15""##,
            r##"<rect x="110" y="62" width="48" height="15""##,
            r##"<rect x="110" y="90" width="14" height="14" fill="#444"/><text x="129" y="102" font-size="12">median</text>"##,
            r##"<rect x="330" y="90" width="14" height="14" fill="#bbb""##,
        ] {
            assert!(svg.contains(want), "{want} in {svg}");
        }
    }

    /// The forest plot: one row for each group with an index (not the reference group, not a
    /// pooled row), its dot and interval placed on the log scale from 0.25 to 4, marked * where
    /// the interval excludes 1, and a group with no formal outcome said in words.
    #[test]
    fn the_forest_plot_places_each_index_on_its_log_scale() {
        let c = |group: &str, rri: Option<f64>, ci: Option<(f64, f64)>, pooled: usize| Cell {
            group: group.into(),
            n: 20,
            formal: 5,
            rate: Some(0.25),
            rri,
            rri_ci: ci,
            pooled,
        };
        let d = crate::report::board::Dispro {
            dimension: "Ethnicity",
            reference: "White".into(),
            bands: vec![(
                3,
                vec![
                    c("White", Some(1.0), None, 0),
                    c("Black", Some(2.0), Some((2.0, 4.0)), 0),
                    c("Asian", Some(0.5), Some((0.25, 2.0)), 0),
                    c("Mixed", Some(0.0), None, 0),
                    c(crate::report::board::POOLED, Some(1.5), None, 2),
                    c("Other", Some(0.5), Some((0.25, 0.5)), 0),
                ],
            )],
        };
        let svg = forest(&d);
        for want in [
            r##"height="120""##,
            r##"<line x1="390.0" y1="0" x2="390.0" y2="88" stroke="#000"/><text x="382.0" y="102" font-size="11">1</text>"##,
            r##"<line x1="260.0" y1="0" x2="260.0" y2="88" stroke="#999" stroke-dasharray="2,3"/>"##,
            r##"<text x="0" y="16" font-size="12">Score 3: Black</text>"##,
            r##"<line x1="455.0" y1="12" x2="520.0" y2="12" stroke="#000" stroke-width="1.5"/>"##,
            r##"<circle cx="455.0" cy="12" r="4" fill="#000"/><text x="530" y="16" font-size="11">2.00 (2.00–4.00) *</text>"##,
            r##"<line x1="260.0" y1="32" x2="455.0" y2="32""##,
            r##"<circle cx="325.0" cy="32" r="4" fill="#000"/><text x="530" y="36" font-size="11">0.50 (0.25–2.00)</text>"##,
            r##"<text x="530" y="56" font-size="11">0 (no formal outcome)</text>"##,
            r##"<text x="530" y="76" font-size="11">0.50 (0.25–0.50) *</text>"##,
            r##"<text x="260" y="116" font-size="11">relative rate index (log scale; 1 = the same rate as White)</text>"##,
        ] {
            assert!(svg.contains(want), "{want} in {svg}");
        }
        assert!(!svg.contains("Score 3: White") && !svg.contains("suppressed"), "{svg}");
    }
}
