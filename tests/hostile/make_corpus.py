#!/usr/bin/env python3
"""Writes the hostile-input corpus (tests/hostile/*.toml). Each file starts with `# expect: ...`
lines (substrings `jdp check` must print on stderr) and optionally `# errors: N` (how many
located errors). Run from the repository root; the files are committed, so this is needed only
to change the corpus. All names are fictional."""
import os, re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

src = open(os.path.join(ROOT, 'panels/examples/referrals.toml'), encoding='utf-8').read()
a = src.index('\n[[referrals]]') + 1
b = src.index('\n[[referrals]]', a) + 1
REF = src[a:b]            # Jordan Reid, JDP-2026-0141
c = src.index('\n[[referrals]]', b) + 1
LA_REF = src[b:c]         # Kayla Morris, looked after
PREV_REF = src[c:]        # Samir Haddad, with a previous outcome
PANEL = open(os.path.join(ROOT, 'tests/fixtures/valid/minimal.toml'), encoding='utf-8').read()
SCEN = open(os.path.join(ROOT, 'panels/training/01-first-steps.toml'), encoding='utf-8').read()

files = []

def add(name, body, expect, errors=None, raw=False):
    head = ''.join(f'# expect: {e}\n' for e in (expect if isinstance(expect, list) else [expect]))
    if errors is not None:
        head += f'# errors: {errors}\n'
    data = head.encode() + (body if isinstance(body, bytes) else body.encode('utf-8'))
    files.append((name, data))

def sub(text, old, new, count=1):
    assert old in text, old
    return text.replace(old, new, count)

def ref(old, new, base=REF):
    return sub(base, old, new)

# 1. Control characters and bidirectional controls in one-line fields, as TOML escapes.
controls = [('esc', '\\u001b', 'U+001B'), ('bel', '\\u0007', 'U+0007'), ('nul', '\\u0000', 'U+0000'),
            ('del', '\\u007f', 'U+007F'), ('c1-csi', '\\u009b', 'U+009B'), ('backspace', '\\b', 'U+0008'),
            ('formfeed', '\\f', 'U+000C'), ('tab', '\\t', 'U+0009'), ('newline', '\\n', 'U+000A'),
            ('cr', '\\r', 'U+000D'), ('osc-title', '\\u001b]2;PWNED\\u0007', 'U+001B'),
            ('vt', '\\u000b', 'U+000B')]
for tag, esc, code in controls:
    add(f'ref-name-{tag}.toml', ref('name = "Jordan Reid"', f'name = "Jordan{esc}Reid"'),
        ['referrals[0].child.name', code])
bidi = [('lre', '\u202a'), ('rle', '\u202b'), ('pdf', '\u202c'), ('lro', '\u202d'), ('rlo', '\u202e'),
        ('lri', '\u2066'), ('rli', '\u2067'), ('fsi', '\u2068'), ('pdi', '\u2069'), ('alm', '\u061c')]
for tag, ch in bidi:
    add(f'ref-name-bidi-{tag}.toml', ref('name = "Jordan Reid"', f'name = "Jordan{ch}Reid"'),
        ['referrals[0].child.name', f'U+{ord(ch):04X}', 'bidirectional-override'])
for field, old, path in [
    ('reference', 'reference = "JDP-2026-0141"', 'referrals[0].reference'),
    ('officer', 'officer_in_case = "PC 4471 Hughes"', 'referrals[0].officer_in_case'),
    ('appropriate-adult', 'appropriate_adult = "Mother (Ms Reid)"', 'referrals[0].appropriate_adult'),
    ('ethnicity', 'ethnicity = "Mixed: White and Black Caribbean"', 'referrals[0].child.ethnicity'),
]:
    key, val = old.split(' = ')
    add(f'ref-{field}-osc.toml', ref(old, f'{key} = "X\\u001b]0;PWNED\\u0007"'), [path, 'U+001B'])
    add(f'ref-{field}-rlo.toml', ref(old, f'{key} = "X\u202eY"'), [path, 'U+202E'])
add('ref-ethnicity-fake-section.toml',
    ref('ethnicity = "Mixed: White and Black Caribbean"', 'ethnicity = "White\\n\\n## Agreement\\n\\n- none"'),
    ['referrals[0].child.ethnicity', 'one line of text', 'U+000A'])
add('ref-details-esc.toml', ref('details = "Took', 'details = "\\u001b[2JTook'), ['referrals[0].offences[0].details', 'U+001B'])
add('ref-details-lone-cr.toml', ref('details = "Took', 'details = "line\\rTook'), ['referrals[0].offences[0].details', 'U+000D'])
add('ref-details-bidi.toml', ref('details = "Took', 'details = "\u2067Took'), ['referrals[0].offences[0].details', 'U+2067'])
add('ref-social-worker-esc.toml', ref('social_worker = "Dana Whitfield"', 'social_worker = "Dana\\u001bWhitfield"', LA_REF),
    ['referrals[0].child.looked_after.social_worker', 'U+001B'])
add('ref-local-authority-newline.toml',
    ref('local_authority = "Northshire County Council"', 'local_authority = "Northshire\\nCouncil"', LA_REF),
    ['referrals[0].child.looked_after.local_authority', 'U+000A'])
add('ref-previous-offence-esc.toml',
    ref('offence = "Criminal damage (under £5,000)"', 'offence = "Criminal\\u001b damage"', PREV_REF),
    ['referrals[0].previous_outcomes[0].offence', 'U+001B'])
add('ref-known-as-esc.toml', ref('name = "Jordan Reid"', 'name = "Jordan Reid"\nknown_as = ["Jordy\\u001b[31m"]'),
    ['referrals[0].child.known_as[0]', 'U+001B'])
add('ref-known-as-newline.toml', ref('name = "Jordan Reid"', 'name = "Jordan Reid"\nknown_as = ["Jor\\ndy"]'),
    ['referrals[0].child.known_as[0]', 'U+000A'])
# Raw control bytes in the file itself: TOML refuses them; the message must not echo them.
add('raw-esc-byte.toml', ref('name = "Jordan Reid"', 'name = "Jordan\x1b]2;PWNED\x07Reid"'), ['invalid TOML'])
add('raw-nul-byte.toml', ref('name = "Jordan Reid"', 'name = "Jordan\x00Reid"'), ['invalid TOML'])
add('raw-c1-in-string.toml', ref('name = "Jordan Reid"', 'name = "Jordan\x9b31mReid"'), ['referrals[0].child.name', 'U+009B'])

# 2. Empty, blank and invisible required fields.
for tag, val, expect in [('empty', '', 'an empty string'), ('spaces', '   ', 'an empty string'),
                         ('zero-width', '\u200b\u200b', 'no letters or digits'),
                         ('zwj', '\u200d', 'no letters or digits'), ('soft-hyphen', '\u00ad\u00ad', 'no letters or digits'),
                         ('punctuation', '--', 'no letters or digits'), ('nbsp', '\u00a0', 'an empty string')]:
    add(f'ref-name-{tag}.toml', ref('name = "Jordan Reid"', f'name = "{val}"'), ['referrals[0].child.name', expect])
add('ref-reference-empty.toml', ref('reference = "JDP-2026-0141"', 'reference = ""'), ['referrals[0].reference', 'an empty string'])
add('ref-reference-zero-width.toml', ref('reference = "JDP-2026-0141"', 'reference = "\u200b"'), ['referrals[0].reference', 'no letters or digits'])
add('ref-reference-trailing-space.toml', ref('reference = "JDP-2026-0141"', 'reference = "JDP-2026-0141 "'),
    ['referrals[0].reference', 'without spaces at its start or end'])
add('ref-reference-leading-space.toml', ref('reference = "JDP-2026-0141"', 'reference = " JDP-2026-0141"'),
    ['referrals[0].reference', 'without spaces at its start or end'])
add('ref-ethnicity-empty.toml', ref('ethnicity = "Mixed: White and Black Caribbean"', 'ethnicity = ""'),
    ['referrals[0].child.ethnicity', 'an empty string'])
add('ref-ethnicity-invisible.toml', ref('ethnicity = "Mixed: White and Black Caribbean"', 'ethnicity = "\u2060"'),
    ['referrals[0].child.ethnicity', 'no letters or digits'])
add('ref-officer-empty.toml', ref('officer_in_case = "PC 4471 Hughes"', 'officer_in_case = " "'),
    ['referrals[0].officer_in_case', 'an empty string'])
add('ref-previous-outcome-empty.toml', ref('outcome = "CR"', 'outcome = ""', PREV_REF),
    ['referrals[0].previous_outcomes[0].outcome', 'an empty string'])

# 3. Duplicates that differ only by case or space.
two = lambda r1, r2: REF.replace('JDP-2026-0141', r1) + '\n' + REF.replace('JDP-2026-0141', r2)
add('dup-reference-exact.toml', two('JDP-1', 'JDP-1'), ['referrals[1].reference', 'first at referrals[0]'], errors=1)
add('dup-reference-case.toml', two('JDP-1', 'jdp-1'), ['referrals[1].reference', 'case and spaces aside'], errors=1)
add('dup-reference-trailing-space.toml', two('JDP-1', 'JDP-1 '),
    ['referrals[1].reference', 'first at referrals[0]', 'without spaces at its start or end'], errors=2)
add('dup-reference-many.toml', ''.join(REF.replace('JDP-2026-0141', f'dup-{i % 3}') + '\n' for i in range(30)),
    ['referrals[29].reference', 'first at referrals[2]'], errors=27)

# 4. Dates that cannot be.
for tag, old, new, path, expect in [
    ('referral-future', 'referral_date = "2026-11-09"', 'referral_date = "2099-11-09"', 'referrals[0].referral_date', 'not in the future'),
    ('dob-future', 'date_of_birth = "2012-05-14"', 'date_of_birth = "2099-05-14"', 'referrals[0].child.date_of_birth', 'not in the future'),
    ('offence-future', 'date = "2026-10-31"', 'date = "2099-10-31"', 'referrals[0].offences[0].date', 'not in the future'),
    ('referral-year-12026', 'referral_date = "2026-11-09"', 'referral_date = "12026-11-09"', 'referrals[0].referral_date', 'an invalid date'),
    ('dob-year-12026', 'date_of_birth = "2012-05-14"', 'date_of_birth = "12012-05-14"', 'referrals[0].child.date_of_birth', 'an invalid date'),
    ('referral-1850', 'referral_date = "2026-11-09"', 'referral_date = "1850-11-09"', 'referrals[0].referral_date', 'a date from 1900-01-01 to 2200-12-31'),
    ('dob-1066', 'date_of_birth = "2012-05-14"', 'date_of_birth = "1066-10-14"', 'referrals[0].child.date_of_birth', 'a date from 1900-01-01'),
    ('month-13', 'date_of_birth = "2012-05-14"', 'date_of_birth = "2012-13-14"', 'referrals[0].child.date_of_birth', 'an invalid date'),
    ('feb-30', 'date_of_birth = "2012-05-14"', 'date_of_birth = "2012-02-30"', 'referrals[0].child.date_of_birth', 'an invalid date'),
    ('uk-format', 'date_of_birth = "2012-05-14"', 'date_of_birth = "14/05/2012"', 'referrals[0].child.date_of_birth', 'an invalid date'),
    ('toml-date', 'date_of_birth = "2012-05-14"', 'date_of_birth = 2012-05-14', 'referrals[0].child.date_of_birth', 'a TOML date'),
    ('empty-date', 'date_of_birth = "2012-05-14"', 'date_of_birth = ""', 'referrals[0].child.date_of_birth', 'an invalid date'),
    ('offence-after-referral', 'date = "2026-10-31"', 'date = "2026-11-10"', 'referrals[0].offences[0].date', 'on or before the referral date'),
    ('age-9', 'date_of_birth = "2012-05-14"', 'date_of_birth = "2017-05-14"', 'referrals[0].child.date_of_birth', 'aged 10–17'),
    ('age-18', 'date_of_birth = "2012-05-14"', 'date_of_birth = "2008-05-14"', 'referrals[0].child.date_of_birth', 'aged 10–17'),
]:
    add(f'date-{tag}.toml', ref(old, new), [path, expect])
add('date-previous-before-birth.toml', ref('date = "2025-06-10"', 'date = "2001-06-10"', PREV_REF),
    ['referrals[0].previous_outcomes[0].date', "after the child's birth"])
add('date-previous-after-referral.toml', ref('date = "2025-06-10"', 'date = "2026-11-20"', PREV_REF),
    ['referrals[0].previous_outcomes[0].date', 'on or before the referral date'])
add('date-previous-future.toml', ref('date = "2025-06-10"', 'date = "2099-06-10"', PREV_REF),
    ['referrals[0].previous_outcomes[0].date', 'not in the future'])

# 5. Lengths.
add('len-name-300.toml', ref('name = "Jordan Reid"', 'name = "' + 'J' * 300 + '"'), ['referrals[0].child.name', 'at most 200 characters'])
add('len-reference-201.toml', ref('reference = "JDP-2026-0141"', 'reference = "' + 'R' * 201 + '"'), ['referrals[0].reference', 'at most 200'])
add('len-details-25000.toml', ref('details = "Took', 'details = "' + 'x' * 25000 + 'Took'), ['referrals[0].offences[0].details', 'at most 20000'])
add('len-ethnicity-multibyte.toml', ref('ethnicity = "Mixed: White and Black Caribbean"', 'ethnicity = "' + 'é' * 250 + '"'),
    ['referrals[0].child.ethnicity', '250 characters'])

# 6. Types, keys and structure: every problem reported, located.
add('type-sex-typo.toml', ref('sex = "male"', 'sex = "mael"'), ['referrals[0].child.sex', 'did you mean `male`?'])
add('type-sex-number.toml', ref('sex = "male"', 'sex = 1'), ['referrals[0].child.sex'])
add('type-response-unknown.toml', ref('response = "admitted"', 'response = "guilty"'), ['referrals[0].response', '`admitted`'])
add('type-name-number.toml', ref('name = "Jordan Reid"', 'name = 42'), ['referrals[0].child.name', 'text in quotes'])
add('type-child-array.toml', REF.replace('[referrals.child]\n', '').replace('name = "Jordan Reid"', 'child = []'), ['referrals[0]'])
add('type-offences-table.toml', ref('[[referrals.offences]]', '[referrals.offences]'), ['referrals[0].offences'])
add('key-unknown-typo.toml', ref('name = "Jordan Reid"', 'nmae = "Jordan Reid"'), ['referrals[0].child', 'did you mean `name`?'])
add('key-unknown-extra.toml', ref('sex = "male"', 'sex = "male"\nshoe_size = 9'), ['referrals[0].child', 'unknown key `shoe_size`'])
add('key-missing-reference.toml', ref('reference = "JDP-2026-0141"\n', ''), ['referrals[0].reference', 'a value for `reference`'])
add('key-missing-child.toml', REF[:REF.index('[referrals.child]')] + REF[REF.index('[[referrals.offences]]'):],
    ['referrals[0].child', 'a value for `child`'])
add('key-duplicate.toml', ref('sex = "male"', 'sex = "male"\nsex = "female"'), ['a second time'])
add('key-top-level-unknown.toml', 'colour = "red"\n' + REF, ['unknown key `colour`'])
add('list-empty-referrals.toml', 'referrals = []\n', ['referrals', 'at least one referral'])
add('list-empty-offences.toml', REF[:REF.index('[[referrals.offences]]')].replace('response = "admitted"', 'response = "admitted"\noffences = []'),
    ['referrals[0].offences', 'at least one offence'])
add('offence-unknown.toml', ref('offence = "Theft from a shop"', 'offence = "Theft from a shp"'),
    ['referrals[0].offences[0].offence', 'did you mean "Theft from a shop"?'])
add('syntax-unclosed-string.toml', ref('name = "Jordan Reid"', 'name = "Jordan Reid'), ['invalid TOML'])
add('syntax-garbage.toml', '[[referrals]\nreference = \n', ['invalid TOML'])
add('not-utf8.toml', ref('name = "Jordan Reid"', 'name = "Jordan').encode('utf-8') + b'\xff\xfe Reid"\n', ['UTF-8 text'])
add('many-bad-sex.toml', ''.join(ref('sex = "male"', 'sex = "mael"').replace('JDP-2026-0141', f'JDP-M-{i}') + '\n' for i in range(200)),
    ['referrals[199].child.sex', 'did you mean `male`?'], errors=200)
add('many-mixed-problems.toml',
    ref('sex = "male"', 'sex = "mael"').replace('JDP-2026-0141', 'A') + '\n'
    + ref('referral_date = "2026-11-09"', 'referral_date = "2099-11-09"').replace('JDP-2026-0141', 'B') + '\n'
    + ref('name = "Jordan Reid"', 'name = "\\u001b"').replace('JDP-2026-0141', 'C') + '\n'
    + ref('response = "admitted"', 'response = "maybe"').replace('JDP-2026-0141', 'D'),
    ['referrals[0].child.sex', 'referrals[1].referral_date', 'referrals[2].child.name', 'referrals[3].response'])

# 7. Panel definitions.
def panel(old, new):
    return sub(PANEL, old, new)
for v in [0, 1, 4]:
    add(f'panel-min-cell-{v}.toml', panel('min_cell = 5', f'min_cell = {v}'), ['scrutiny.min_cell', 'at least 5'])
for v in [0, 1201, 65535]:
    add(f'panel-retention-{v}.toml', panel('retention_months = 12', f'retention_months = {v}'),
        ['records.retention_months', 'from 1 to 1200 months'])
add('panel-retention-negative.toml', panel('retention_months = 12', 'retention_months = -1'), ['records.retention_months'])
add('panel-name-osc.toml', panel('name = "Minimal Panel"', 'name = "Minimal\\u001b]2;PWNED\\u0007"'), ['panel.name', 'U+001B'])
add('panel-area-rlo.toml', panel('area = "Testshire"', 'area = "\u202eerihstseT"'), ['panel.area', 'U+202E'])
add('panel-outcome-label-bel.toml', panel('label = "No further action"', 'label = "No further\\u0007 action"'), ['outcomes[0].label', 'U+0007'])
add('panel-outcome-code-c1.toml', panel('code = "CR"', 'code = "C\\u009bR"'), ['outcomes[1].code', 'U+009B'])
add('panel-offence-name-newline.toml', panel('name = "Theft"', 'name = "Theft\\n## Agreement"'), ['gravity.offences[0].name', 'U+000A'])
add('panel-factor-label-esc.toml', panel('label = "Group offending"', 'label = "Group\\u001b[8m offending"'),
    ['gravity.general_factors[0].label', 'U+001B'])
add('panel-rating-label-bidi.toml', panel('{ id = "ok", label = "Consistent" }', '{ id = "ok", label = "Consis\u2066tent" }'),
    ['scrutiny.ratings[0].label', 'U+2066'])
add('panel-label-long.toml', panel('label = "Letter of apology"', 'label = "' + 'L' * 300 + '"'),
    ['restorative_options[0].label', 'at most 200'])

# 8. Training scenarios.
def scen(old, new):
    return sub(SCEN, old, new)
add('scenario-title-esc.toml', scen('title = "First steps: a shop theft"', 'title = "First\\u001b]2;PWNED\\u0007"'),
    ['scenario.title', 'U+001B'])
add('scenario-child-name-rlo.toml', scen('name = "Ellie Fenwick"', 'name = "Ellie\u202eFenwick"'),
    ['referral.child.name', 'U+202E'])
add('scenario-teaching-point-esc.toml',
    scen('"Write the rationale as if', '"\\u001b[2JWrite the rationale as if'), ['scenario.teaching_points[2]', 'U+001B'])
add('scenario-victim-views-bel.toml', scen('views = "The store manager', 'views = "\\u0007The store manager'), ['victim.views', 'U+0007'])
add('scenario-not-fictional.toml', scen('fictional = true', 'fictional = false'), ['scenario.fictional'])
add('scenario-zero-minutes.toml', scen('minutes = 25', 'minutes = 0'), ['scenario.minutes'])
add('scenario-year-12026.toml', scen('referral_date = "2026-10-12"', 'referral_date = "12026-10-12"'),
    ['referral.referral_date', 'an invalid date'])
add('scenario-reference-blocked.toml', scen('[reference]\noutcome = "CR"', '[reference]\noutcome = "YC"'),
    ['reference.outcome', 'a reference decision the panel', 'evidence'])
add('scenario-name-invisible.toml', scen('name = "Ellie Fenwick"', 'name = "\u200b"'), ['referral.child.name', 'no letters or digits'])

for name, data in files:
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(data)
print(len(files), 'files')
