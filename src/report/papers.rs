//! The scrutiny panel's papers: the pack for reviewing by correspondence (one anonymised case a
//! page, with a ratings sheet) and the minutes of a meeting. Both read the one anonymised case
//! builder (`case_view::anonymised`), so a paper cannot show what the screen would not.

use std::fmt::Write as _;

use crate::domain::PanelDefinition;
use crate::domain::case_view::Anonymised;
use crate::report::write::esc;
use crate::scrutiny::{ReviewRecord, SampleRecord};

/// One case of a sample, as its reader may see it.
pub struct PackCase {
    pub record: i64,
    pub why: String,
    pub case: Anonymised,
}

/// The cases of a sample, anonymised: `load` gives a decision as a reviewer reads it
/// (`Backend::anonymised_case`).
pub fn pack_cases<E>(
    sample: &SampleRecord,
    mut load: impl FnMut(i64) -> Result<Anonymised, E>,
) -> Result<Vec<PackCase>, E> {
    let whys = sample
        .always
        .iter()
        .map(|a| (a.id, format!("always: {}", a.rules.join(", "))))
        .chain(sample.chosen.iter().map(|c| (c.id, format!("random: {}", c.stratum))));
    let mut out = Vec::new();
    for (record, why) in whys {
        out.push(PackCase { record, why, case: load(record)? });
    }
    Ok(out)
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#111}\
section{page-break-after:always;break-after:page;margin-bottom:3rem}\
h2{border-bottom:2px solid #333}dt{font-weight:bold;margin-top:.4rem}dd{margin-left:1rem}\
.sheet td,.sheet th{border:1px solid #555;padding:.4rem;vertical-align:top}.sheet{border-collapse:collapse;width:100%}\
.warn{background:#fff4cc;padding:.3rem}@media print{body{margin:0}}";

/// A self-contained, printable pack: a cover, one case a page, and a ratings sheet per case.
pub fn pack_html(seq: i64, sample: &SampleRecord, cases: &[PackCase], panel: &PanelDefinition) -> String {
    let mut h = format!(
        "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Scrutiny pack: sample {seq}</title>\
         <style>{STYLE}</style></head><body>"
    );
    let _ = write!(
        h,
        "<section><h1>Out-of-court scrutiny: review pack</h1><p>Sample record {seq}: decisions made {} to {} \
         ({}). Every case is anonymised: no name, date of birth, reference, named adult or exact date. \
         Keep this pack as you would any confidential paper and return or destroy it after the meeting.</p>\
         <p>For each case, read what the panel knew at the time and rate the decision on your own, before \
         the meeting, on the sheet under it:</p><ul>",
        sample.from,
        sample.to,
        crate::words::counted(cases.len() as u64, "case", "cases")
    );
    for r in &panel.scrutiny.ratings {
        let _ = write!(h, "<li>{}</li>", esc(&r.label));
    }
    h.push_str("</ul></section>");
    for (i, c) in cases.iter().enumerate() {
        let _ = write!(
            h,
            "<section><h2>Case {} of {} — record {}</h2><p><em>{}</em></p><p><strong>{}</strong></p>",
            i + 1,
            cases.len(),
            c.record,
            esc(&c.why),
            esc(&c.case.heading)
        );
        if let Some((reason, changed)) = &c.case.correction {
            let _ = write!(h, "<p class=\"warn\">A correction of an earlier record, because: {}</p><ul>", esc(reason));
            for (f, was, now) in changed {
                let _ = write!(h, "<li>{}: {} → {}</li>", esc(f), esc(was), esc(now));
            }
            h.push_str("</ul>");
        }
        let mut section = "";
        for r in &c.case.rows {
            if r.section != section {
                if !section.is_empty() {
                    h.push_str("</dl>");
                }
                section = &r.section;
                let _ = write!(h, "<h3>{}</h3><dl>", esc(&r.section));
            }
            let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", esc(&r.label), esc(&r.value));
        }
        if !section.is_empty() {
            h.push_str("</dl>");
        }
        h.push_str("<h3>Findings at the time</h3><ul>");
        if c.case.findings.is_empty() {
            h.push_str("<li>none</li>");
        }
        for f in &c.case.findings {
            let _ = write!(h, "<li>{}</li>", esc(f));
        }
        let _ = write!(
            h,
            "</ul><h3>Ratings sheet — record {}</h3><table class=\"sheet\"><tr><th>Reviewer</th><td style=\"height:2rem\"></td></tr>\
             <tr><th>Rating</th><td>",
            c.record
        );
        for r in &panel.scrutiny.ratings {
            // The id too: it is what the returned ratings file gives (jdp scrutiny ratings).
            let _ = write!(h, "☐ {} ({})<br>", esc(&r.label), esc(&r.id));
        }
        h.push_str(
            "</td></tr><tr><th>Observations</th><td style=\"height:6rem\"></td></tr>\
             <tr><th>Learning points</th><td style=\"height:4rem\"></td></tr></table></section>",
        );
    }
    h.push_str("</body></html>\n");
    h
}

/// The minutes of a scrutiny meeting on one sample: who reviewed, each case's rating and
/// observations, the learning points, and what is still to review.
pub fn minutes_markdown(
    seq: i64,
    sample: &SampleRecord,
    cases: &[PackCase],
    reviews: &[(i64, ReviewRecord)],
    actions: &[crate::scrutiny::ActionRow],
    blind: &[(i64, crate::scrutiny::BlindRating)],
    panel: &PanelDefinition,
) -> String {
    let line = |t: &str| crate::domain::text::markdown_line(t);
    let cell = |t: &str| crate::domain::text::markdown_cell(t);
    let rating = |id: &str| panel.rating_label(id).to_string();
    let of_sample: Vec<&ReviewRecord> = reviews.iter().filter(|(_, r)| r.sample == seq).map(|(_, r)| r).collect();
    // The review that stands for each case of this sample.
    let standing = crate::scrutiny::standing_reviews(reviews.to_vec());
    let latest = |record: i64| standing.get(&(seq, record)).map(|(_, r)| r);
    let mut md = format!(
        "# Out-of-court scrutiny panel: minutes\n\nSample record {seq}: decisions made {} to {} ({}).\n\n",
        sample.from,
        sample.to,
        crate::words::counted(cases.len() as u64, "case", "cases")
    );
    let mut present: Vec<String> = of_sample.iter().flat_map(|r| r.reviewers.iter().cloned()).collect();
    present.sort();
    present.dedup();
    md.push_str("## Reviewers\n\n");
    if present.is_empty() {
        md.push_str("- none recorded\n");
    }
    for p in &present {
        let _ = writeln!(md, "- {}", line(p));
    }
    md.push_str(
        "\n## Cases\n\n| Case | Record | Why in the sample | Outcome | Members' own ratings | Agreed rating |\n|---|---|---|---|---|---|\n",
    );
    for (i, c) in cases.iter().enumerate() {
        let r = latest(c.record).map_or("not yet reviewed".to_string(), |r| rating(&r.rating));
        let outcome = c.case.heading.split(": ").nth(1).and_then(|t| t.split(" · ").next()).unwrap_or("");
        // The spread of the ratings members gave on their own before agreeing; a non-voting
        // agency's rating is shown apart.
        let mut spread: std::collections::BTreeMap<String, usize> = Default::default();
        let mut no_vote = Vec::new();
        for (_, b) in blind.iter().filter(|(_, b)| b.sample == seq && b.decision == c.record) {
            if b.votes(panel) {
                *spread.entry(rating(&b.rating)).or_default() += 1;
            } else {
                no_vote.push(format!("{} (no vote): {}", b.agency, rating(&b.rating)));
            }
        }
        let mut own: Vec<String> = spread.iter().map(|(r, n)| format!("{r} ×{n}")).collect();
        own.extend(no_vote);
        let own = if own.is_empty() { "—".to_string() } else { own.join("; ") };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            i + 1,
            c.record,
            cell(&c.why),
            cell(outcome),
            cell(&own),
            cell(&r)
        );
    }
    md.push_str("\n## Observations\n\n");
    let mut any = false;
    for c in cases {
        if let Some(r) = latest(c.record).filter(|r| !r.observations.trim().is_empty()) {
            any = true;
            let _ = writeln!(md, "- Record {}: {}", c.record, line(&r.observations));
        }
    }
    if !any {
        md.push_str("- none\n");
    }
    md.push_str("\n## Learning points\n\n");
    let mut points: Vec<(String, String)> = Vec::new();
    for c in cases {
        if let Some(r) = latest(c.record) {
            for (theme, point) in r.learning_points_by_theme() {
                points.push((theme, format!("{point} (record {})", c.record)));
            }
        }
    }
    points.sort();
    if points.is_empty() {
        md.push_str("- none\n");
    }
    for (theme, p) in &points {
        let _ = writeln!(md, "- **{}**: {}", line(theme), line(p));
    }
    // Actions agreed on this sample, and those still open from earlier meetings.
    md.push_str("\n## Actions\n\n");
    let mine: Vec<_> = actions
        .iter()
        .filter(|(_, r, _, st)| r.sample == seq || matches!(st, crate::domain::actions::Standing::Open { .. }))
        .collect();
    if mine.is_empty() {
        md.push_str("- none\n");
    } else {
        md.push_str("| Action | What | Owner | Due | Status |\n|---|---|---|---|---|\n");
    }
    for (id, r, item, st) in mine {
        use crate::domain::actions::{Closed, Standing};
        let status = match st {
            Standing::Open { overdue: true } => "open, OVERDUE".to_string(),
            Standing::Open { overdue: false } => "open".to_string(),
            Standing::Closed(Closed::Done, n) => format!("done: {n}"),
            Standing::Closed(Closed::Dropped, n) => format!("dropped: {n}"),
        };
        let from = if r.sample == seq { String::new() } else { format!(" (from sample {})", r.sample) };
        let _ = writeln!(
            md,
            "| {id} | {}{from} | {} | {} | {} |",
            cell(&item.text),
            cell(&item.owner),
            item.due.format("%a %-d %b %Y"),
            cell(&status)
        );
    }
    let carried: Vec<i64> = cases
        .iter()
        .filter(|c| {
            latest(c.record).is_some_and(|r| panel.scrutiny.ratings.iter().any(|x| x.id == r.rating && x.carry_forward))
        })
        .map(|c| c.record)
        .collect();
    let unreviewed = cases.iter().filter(|c| latest(c.record).is_none()).count();
    let _ = write!(
        md,
        "\n## Carried forward\n\n- No conclusion, to the next sample: {}\n- Not yet reviewed: {unreviewed}\n",
        if carried.is_empty() {
            "none".to_string()
        } else {
            carried.iter().map(|r| format!("record {r}")).collect::<Vec<_>>().join(", ")
        }
    );
    md
}

/// Markdown of the shapes the papers use (headings, tables, lists, paragraphs) as one
/// self-contained HTML page; every piece of text escaped.
pub fn simple_html(title: &str, md: &str) -> String {
    let inline = |t: &str| {
        // **bold** and `code` (the minutes' chain head) are the inline marks the papers use. A
        // backtick escaped in data stays text: it is held as a control character (which input
        // never lets in) while the marks are found.
        let t = crate::domain::text::markdown_unescape(&t.replace("\\`", "\u{1}"));
        let mut out = String::new();
        for (i, span) in t.split('`').map(|s| s.replace('\u{1}', "`")).enumerate() {
            let span = span.as_str();
            if i % 2 == 1 {
                let _ = write!(out, "<code>{}</code>", esc(span));
                continue;
            }
            for (j, part) in span.split("**").enumerate() {
                if j % 2 == 1 {
                    let _ = write!(out, "<strong>{}</strong>", esc(part));
                } else {
                    out.push_str(&esc(part));
                }
            }
        }
        out
    };
    let mut h = format!(
        "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:.25rem .5rem;text-align:left}}</style></head><body>",
        esc(title)
    );
    let (mut in_table, mut in_list, mut header) = (false, false, true);
    for line in md.lines() {
        let is_row = line.starts_with('|');
        let is_item = line.starts_with("- ");
        if in_table && !is_row {
            h.push_str("</table>");
            in_table = false;
        }
        if in_list && !is_item {
            h.push_str("</ul>");
            in_list = false;
        }
        if let Some(t) = line.strip_prefix("### ") {
            let _ = write!(h, "<h3>{}</h3>", inline(t));
        } else if let Some(t) = line.strip_prefix("## ") {
            let _ = write!(h, "<h2>{}</h2>", inline(t));
        } else if let Some(t) = line.strip_prefix("# ") {
            let _ = write!(h, "<h1>{}</h1>", inline(t));
        } else if is_row {
            if line.starts_with("|---") {
                continue;
            }
            if !in_table {
                h.push_str("<table>");
                in_table = true;
                header = true;
            }
            let tag = if header { "th" } else { "td" };
            header = false;
            h.push_str("<tr>");
            for c in super::write::table_cells(line) {
                // The cell is unescaped already: bold marks and HTML escaping only.
                let _ = write!(h, "<{tag}>{}</{tag}>", inline(&c.replace('\\', "\\\\")));
            }
            h.push_str("</tr>");
        } else if let Some(t) = line.strip_prefix("- ") {
            if !in_list {
                h.push_str("<ul>");
                in_list = true;
            }
            let _ = write!(h, "<li>{}</li>", inline(t));
        } else if !line.trim().is_empty() {
            let _ = write!(h, "<p>{}</p>", inline(line));
        }
    }
    if in_table {
        h.push_str("</table>");
    }
    if in_list {
        h.push_str("</ul>");
    }
    h.push_str("</body></html>\n");
    h
}
