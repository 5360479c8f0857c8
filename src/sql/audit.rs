//! The audit of one table as one query: the file audit's plan (columns, checks, record
//! counts, identity keys, consent) compiled to per-row values and one row of counts, and the
//! names of those counts, so that `result` can read them back into the same counters.

use super::Dialect;
use super::query::{Aggregate, CmpOp, Cond, Expr, Op, Query, space_class};
use crate::audit::Plan;
use crate::audit::checks::count::Test;
use crate::audit::checks::duplicates::IdentityKey;
use crate::audit::checks::freshness::AGE_BANDS;
use crate::audit::checks::reach::Consent;
use crate::audit::checks::validity::{Form, Invalid};
use crate::audit::checks::{boolean, country, email, url};
use crate::audit::measure::{Distinct, KeyParts};
use crate::audit::segments::{Pass, Source};
use crate::config::Measure;

/// Columns of a replicated table that mark a deleted record: left out, and counted.
pub const DELETED_COLUMNS: &[&str] = &["_fivetran_deleted", "_ab_cdc_deleted_at"];

/// What the SQL audit measures otherwise than the file audit, or not at all: said in the
/// query's header and in the report.
pub const NOT_MEASURED: &[&str] = &[
    "distinct values and spelling variants; the most common value only of the fields a use case asks about",
    "double-encoded UTF-8 (mojibake)",
    "the work list (it lists records, and no record leaves the warehouse)",
];

/// Where a dialect's regular expressions read otherwise than the file audit's checks.
pub fn approximations(d: Dialect) -> Vec<String> {
    let mut notes = vec![
        "numbers: the file audit's grouping rules are written as one regular expression; a value with an unmatched parenthesis or a currency code on both sides may be read otherwise, and an invalid one told bad_grouping or not_a_number by its characters only".to_owned(),
        "emails and websites: any character from U+00C0 up counts as a letter of a domain (the file audit asks for a Unicode letter or digit)".to_owned(),
        "placeholders and letters are compared by the engine's LOWER (the file audit folds ASCII case only, for ASCII placeholders)".to_owned(),
    ];
    if d == Dialect::Postgres {
        notes.push("Postgres text holds no NUL: NUL is not among the padding trimmed".to_owned());
    }
    if matches!(d, Dialect::Snowflake | Dialect::BigQuery) {
        notes.push(format!(
            "{}: the query is checked by parsing, not run, in crm-ready's tests",
            d.name()
        ));
    }
    notes
}

/// The names of one date reading's counts (the file audit's `Tally`).
#[derive(Debug, Clone)]
pub struct ReadingNames {
    pub valid: String,
    pub not_a_date: String,
    pub before_1900: String,
    pub impossible: String,
    pub in_the_future: String,
    /// Per age band, then older, then future.
    pub ages: Vec<String>,
    pub fresh: Vec<String>,
}

/// A date column's counts: fixed dates, then slash dates month first and day first.
#[derive(Debug, Clone)]
pub struct DateNames {
    pub readings: [ReadingNames; 3],
    pub slash_values: String,
    pub day_first_evidence: String,
    pub month_first_evidence: String,
    pub ambiguous: String,
}

/// The names of one column's counts.
#[derive(Debug, Clone, Default)]
pub struct ColumnNames {
    pub blank: String,
    pub placeholder: String,
    pub valid: Option<String>,
    /// Filled values of the wrong form, by reason.
    pub reasons: Vec<(Invalid, String)>,
    /// Filled values of the right form but not among the allowed ones.
    pub not_allowed: Option<String>,
    /// Allowed values that do not match the dictionary's pattern.
    pub no_pattern_match: Option<String>,
    pub personal_domain: Option<String>,
    pub role_account: Option<String>,
    pub date: Option<DateNames>,
    pub dominant: Option<String>,
}

#[derive(Debug, Clone)]
pub struct KeyNames {
    pub key: IdentityKey,
    pub records: String,
    pub distinct: String,
    pub groups: String,
    /// Distinct keys with a record that may not be emailed.
    pub blocked: Option<String>,
}

/// The query and what each of its output columns holds.
#[derive(Debug, Clone)]
pub struct AuditQuery {
    pub query: Query,
    pub rows: String,
    /// Replicated deletes left out.
    pub deleted: Option<(String, String)>,
    pub columns: Vec<ColumnNames>,
    pub combined: Vec<String>,
    /// Per count plan: matched and filled, per reading (fixed, month first, day first).
    pub counts: Vec<([String; 3], [String; 3])>,
    pub keys: Vec<KeyNames>,
    /// Per consent column, records it blocks.
    pub consent: Vec<String>,
    /// The fingerprint column: which query the result comes from.
    pub fingerprint: String,
    /// The `--by` breakdown: one more row per segment.
    pub segments: SegmentNames,
}

/// One grouping set of the breakdown: a dimension's segment, under one reading of slash
/// dates (`created_month`), as the file audit keys its counter `2 * dimension + day_first`.
#[derive(Debug, Clone)]
pub struct SegmentKeyNames {
    /// The `--by` field, as given, and the reading of slash dates for `created_month`.
    pub by: String,
    pub dimension: usize,
    pub day_first: bool,
    /// The segment's value.
    pub value: String,
    /// 0 in the rows of this set.
    pub grouping: String,
}

/// The output columns of the `--by` breakdown.
#[derive(Debug, Clone, Default)]
pub struct SegmentNames {
    pub keys: Vec<SegmentKeyNames>,
    /// Per requirement of the segment plan, its passing records under each date reading
    /// (fixed, month first, day first); none where a reading cannot pass.
    pub passing: Vec<[Option<String>; 3]>,
}

fn col(i: usize, what: &str) -> String {
    format!("c{}_{what}", i + 1)
}

fn r(alias: &str) -> Expr {
    Expr::Ref(alias.to_owned())
}

fn b(e: Expr) -> Box<Expr> {
    Box::new(e)
}

fn int(n: i64) -> Expr {
    Expr::Int(n)
}

fn cmp(a: Expr, op: CmpOp, bb: Expr) -> Cond {
    Cond::Cmp(a, op, bb)
}

fn arith(a: Expr, op: Op, bb: Expr) -> Expr {
    Expr::Arith(b(a), op, b(bb))
}

fn lower(e: Expr) -> Expr {
    Expr::Lower(b(e))
}

fn matches(e: Expr, pattern: impl Into<String>) -> Cond {
    Cond::Matches(e, pattern.into())
}

fn replace(e: Expr, pattern: &str, with: &str) -> Expr {
    Expr::Replace(b(e), pattern.to_owned(), with.to_owned())
}

fn extract(e: Expr, pattern: &str) -> Expr {
    Expr::Extract(b(e), pattern.to_owned())
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// A regular expression that matches `text` literally.
fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.^$|?*+()[]{}-".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The value folded as `consistency::normalize` folds it: words (split at whitespace and
/// ASCII punctuation but `&`) in lower case, one space apart.
pub fn normalized(e: Expr) -> Expr {
    let class = format!("[{}!-%'-/:-@\\[-`{{-~]+", space_class());
    replace(replace(lower(e), &class, " "), "^ +| +$", "")
}

/// Letters from U+00C0 on count as letters of a domain (see `approximations`).
const WIDE: &str = "\u{C0}-\u{FFFD}";

fn host_pattern() -> String {
    let alnum = format!("[a-zA-Z0-9{WIDE}]");
    let label = format!("{alnum}([-a-zA-Z0-9{WIDE}]*{alnum})?");
    let tld = format!("([a-zA-Z{WIDE}][a-zA-Z{WIDE}]+|[xX][nN]--[-a-zA-Z0-9{WIDE}]*{alnum})");
    format!("({label}\\.)+{tld}")
}

/// `email::check` as a regular expression: one `@`, a local part of dot-separated runs
/// without spaces or `":<>,;()[]\`, a host name.
fn email_pattern() -> String {
    let ch = format!("[^@.{}\":<>,;()\\[\\]\\\\]", space_class());
    format!("^{ch}+(\\.{ch}+)*@{}$", host_pattern())
}

fn personal_pattern() -> String {
    let mut exact = Vec::new();
    let mut any_tld = Vec::new();
    for p in email::PERSONAL_DOMAINS {
        match p.strip_suffix('.') {
            Some(base) => any_tld.push(escape(base)),
            None => exact.push(escape(p)),
        }
    }
    format!(
        "^({}|({})\\.[^.]{{2,3}}(\\.[^.]{{2,3}})?)$",
        exact.join("|"),
        any_tld.join("|")
    )
}

/// The part of a website before its path, lower case, without its scheme.
fn url_head(f: Expr) -> Expr {
    extract(replace(lower(f), "^https?://", ""), "^([^/?#]*)")
}

/// Why a value of the wrong form fails, in the order each check tries: the last reason
/// holds for whatever the others do not.
fn form_reasons(form: Form, f: Expr) -> Vec<(Invalid, Cond)> {
    let always = || Cond::negate(Cond::Never);
    match form {
        Form::Email => vec![
            (Invalid::NoAt, Cond::negate(matches(f.clone(), "@"))),
            (Invalid::SeveralAt, matches(f.clone(), "@[^@]*@")),
            (Invalid::EmptyLocal, matches(f.clone(), "^@")),
            (
                Invalid::SpaceInAddress,
                matches(f.clone(), format!("^[^@]*[{}]", space_class())),
            ),
            (
                Invalid::BadLocalPart,
                matches(f, "^\\.|\\.@|^[^@]*\\.\\.|^[^@]*[\"():,;<>\\[\\]\\\\]"),
            ),
            (Invalid::BadDomain, always()),
        ],
        Form::Url => vec![
            (Invalid::EmailNotUrl, matches(url_head(f), "@")),
            (Invalid::BadHost, always()),
        ],
        Form::Phone => {
            let (shape, digits) = phone_digits(f);
            let length = Expr::Length(b(digits));
            vec![
                (Invalid::NotAPhone, Cond::negate(shape)),
                (Invalid::TooShort, cmp(length.clone(), CmpOp::Lt, int(7))),
                (Invalid::TooLong, cmp(length, CmpOp::Gt, int(15))),
                (Invalid::RepeatedDigit, always()),
            ]
        }
        Form::Country => vec![(Invalid::NotACountry, always())],
        Form::Boolean => vec![(Invalid::NotABoolean, always())],
        Form::Number { .. } => vec![
            (Invalid::Negative, matches(f.clone(), number_pattern())),
            // Digits and separators only, grouped wrong (see `approximations`).
            (
                Invalid::BadGrouping,
                matches(
                    f,
                    "^[^0-9A-Za-z]*[0-9][0-9,.'’ \u{a0}\u{2009}\u{202f}]*[0-9][^0-9A-Za-z]*$",
                ),
            ),
            (Invalid::NotANumber, always()),
        ],
    }
}

/// `url::check`'s host: lower case, without scheme, path, port, a final dot or `www.`;
/// NULL when the part before the path holds an `@` (an email) or nothing.
fn url_host(f: Expr) -> Expr {
    let host = url_head(f);
    let bare = replace(
        replace(extract(host.clone(), "^([^:]*)"), "\\.$", ""),
        "^www\\.",
        "",
    );
    Expr::Case(vec![(Cond::negate(matches(host, "@")), bare)])
}

fn platform(host: Expr) -> Cond {
    let list: Vec<String> = url::PLATFORMS.iter().map(|p| escape(p)).collect();
    matches(host, format!("(^|\\.)({})$", list.join("|")))
}

/// `phone::check`'s digits, once the extension, `+`/`00` and `(0)` are taken off.
fn phone_digits(f: Expr) -> (Cond, Expr) {
    let f0 = Expr::Case(vec![
        (
            matches(f.clone(), "^[0-9]+\\.0$"),
            replace(f.clone(), "\\.0$", ""),
        ),
        (Cond::NotNull(f.clone()), f),
    ]);
    let number = Expr::Trimmed(b(replace(
        lower(f0),
        "(extension|ext\\.|ext|x|#)[ \\t]*[0-9]+[ \\t]*$",
        "",
    )));
    let shape = matches(number.clone(), "^(\\(\\+|\\+)?[-0-9 ./()\u{a0}]*$");
    let digits = replace(
        replace(replace(number, "^(\\(\\+|\\+|00)", ""), "\\(0\\)", ""),
        "[^0-9]",
        "",
    );
    (shape, digits)
}

fn phone_valid(shape: Cond, digits: Expr) -> Cond {
    Cond::and(vec![
        shape,
        cmp(Expr::Length(b(digits.clone())), CmpOp::Ge, int(7)),
        cmp(Expr::Length(b(digits.clone())), CmpOp::Le, int(15)),
        Cond::negate(matches(digits, "^(0+|1+|2+|3+|4+|5+|6+|7+|8+|9+)$")),
    ])
}

fn number_pattern() -> String {
    let sym = "[$€£¥₹₩₽₺¢₪]*";
    let mut core = vec![
        "[0-9]+".to_owned(),
        "[0-9]+[.,]([0-9]{0,2}|[0-9]{4,})".to_owned(),
        "[.,]([0-9]{1,2}|[0-9]{4,})".to_owned(),
        "[0-9]{1,3}[.,][0-9]{3}".to_owned(),
        "([0-9]+\\.?[0-9]*|\\.[0-9]+)[eE][-+]?[0-9]+".to_owned(),
    ];
    for sep in [",", ".", " ", "'", "’", "\u{2009}", "\u{202f}", "\u{a0}"] {
        let s = escape(sep);
        let grouped =
            format!("([0-9]{{1,3}}({s}[0-9]{{3}})+|[0-9]{{1,2}}({s}[0-9]{{2}})+{s}[0-9]{{3}})");
        let decimal = match sep {
            "," => "(\\.[0-9]*)?".to_owned(),
            "." => "(,[0-9]*)?".to_owned(),
            _ => "([.,]([0-9]{0,2}|[0-9]{4,}))?".to_owned(),
        };
        core.push(format!("{grouped}{decimal}"));
    }
    format!(
        "^ *{sym} *([A-Z]{{3}} *)?{sym} *\\(? *[-−+]? *{sym} *({}) *{sym} *\\)? *([A-Z]{{3}})? *{sym} *%?$",
        core.join("|")
    )
}

/// `country::check`'s lookup keys of a value: the whole, the part before `(`, and with a
/// comma, `tail head` and `head`; each without a leading `the`.
fn country_keys(f: Expr) -> Vec<Expr> {
    let key = |e: Expr| {
        let from: String = country::UNACCENT_FROM.chars().collect();
        let folded = Expr::Translate(
            b(lower(replace(e, "&", " and "))),
            from,
            country::UNACCENT_TO.to_owned(),
        );
        replace(replace(folded, "[^a-z0-9]", ""), "^the", "")
    };
    let plain = extract(f.clone(), "^([^(]*)");
    let head = extract(plain.clone(), "^([^,]*)");
    let tail = extract(plain.clone(), ",(.*)");
    vec![
        key(f),
        key(plain),
        key(Expr::Concat(vec![
            tail,
            Expr::Str(" ".into()),
            head.clone(),
        ])),
        key(head),
    ]
}

/// What a value must be for the requirement's filter (`Test`), on the filled value and its
/// normalised form.
fn test_cond(test: &Test, f: Expr, k: Expr) -> Cond {
    match test {
        Test::In(values) => Cond::and(vec![Cond::NotNull(f), Cond::In(k, values.clone())]),
        Test::NotIn(values) => Cond::and(vec![
            Cond::NotNull(f),
            Cond::negate(Cond::In(k, values.clone())),
        ]),
        Test::Is(wanted) => Cond::In(
            lower(f),
            strings(if *wanted {
                boolean::TRUE
            } else {
                boolean::FALSE
            }),
        ),
    }
}

fn consent_cond(consent: Consent, f: Expr) -> Cond {
    match consent {
        Consent::OptOut | Consent::InvalidFlag => Cond::In(lower(f), strings(boolean::TRUE)),
        Consent::MarketingStatus => Cond::or(vec![
            matches(lower(f.clone()), "^non"),
            Cond::In(lower(f), vec!["false".into()]),
        ]),
        Consent::Bounced => Cond::NotNull(f),
    }
}

/// Days since 1970-01-01 of a calendar date (y >= 1900), in integer arithmetic every
/// engine computes alike.
fn civil_days(y: Expr, m: Expr, d: Expr) -> Expr {
    let early = Cond::Cmp(m.clone(), CmpOp::Le, int(2));
    let yy = arith(
        y,
        Op::Sub,
        Expr::Case(vec![
            (early.clone(), int(1)),
            (Cond::negate(early.clone()), int(0)),
        ]),
    );
    let mp = Expr::Case(vec![
        (
            Cond::negate(early.clone()),
            arith(m.clone(), Op::Sub, int(3)),
        ),
        (early, arith(m, Op::Add, int(9))),
    ]);
    let terms = [
        arith(int(365), Op::Mul, yy.clone()),
        arith(yy.clone(), Op::Div, int(4)),
        arith(int(0), Op::Sub, arith(yy.clone(), Op::Div, int(100))),
        arith(yy, Op::Div, int(400)),
        arith(
            arith(arith(int(153), Op::Mul, mp), Op::Add, int(2)),
            Op::Div,
            int(5),
        ),
        d,
        int(-719_469),
    ];
    terms
        .into_iter()
        .reduce(|a, bb| arith(a, Op::Add, bb))
        .expect("terms")
}

/// 0 for a valid calendar date, 2 before 1900, 3 impossible (the file audit's order).
fn date_error(y: Expr, m: Expr, d: Expr) -> Expr {
    let eq = |e: &Expr, n| cmp(e.clone(), CmpOp::Eq, int(n));
    let modulo = |n| arith(y.clone(), Op::Mod, int(n));
    let leap = Cond::or(vec![
        Cond::and(vec![
            cmp(modulo(4), CmpOp::Eq, int(0)),
            cmp(modulo(100), CmpOp::Ne, int(0)),
        ]),
        cmp(modulo(400), CmpOp::Eq, int(0)),
    ]);
    let dim = Expr::Case(vec![
        (
            Cond::or(vec![eq(&m, 4), eq(&m, 6), eq(&m, 9), eq(&m, 11)]),
            int(30),
        ),
        (Cond::and(vec![eq(&m, 2), leap.clone()]), int(29)),
        (eq(&m, 2), int(28)),
        (Cond::NotNull(m.clone()), int(31)),
    ]);
    Expr::Case(vec![
        (cmp(y, CmpOp::Lt, int(1900)), int(2)),
        (
            Cond::or(vec![
                cmp(m.clone(), CmpOp::Lt, int(1)),
                cmp(m, CmpOp::Gt, int(12)),
                cmp(d.clone(), CmpOp::Lt, int(1)),
                cmp(d, CmpOp::Gt, dim),
            ]),
            int(3),
        ),
        (Cond::NotNull(int(0)), int(0)),
    ])
}

/// The time after a date, as `date::is_time` accepts it (or nothing).
fn time_pattern() -> String {
    let sp = "[ \\t]*";
    let frac = "(:([0-5]?[0-9]|60)([.,][0-9]*)?)?";
    let offset = format!("({sp}[-+][0-9]{{2}}(:?[0-9]{{2}})?)?[zZ]?");
    let h24 = format!("([01]?[0-9]|2[0-3]):[0-5]?[0-9]{frac}{offset}");
    let h12 = format!("(0?[1-9]|1[0-2]):[0-5]?[0-9]{frac}{offset}{sp}(AM|PM|am|pm)");
    format!("([T ]{sp}({h24}|{h12})?{sp})?$")
}

/// Builds the query of a table from the file audit's plan of its columns.
pub fn build(
    plan: &Plan,
    dictionary: &crate::config::Dictionary,
    table: &str,
    as_of: i32,
    dialect: Dialect,
    fingerprint: &str,
) -> AuditQuery {
    let columns = &plan.columns;
    let n = columns.len();
    let mut steps: Vec<Vec<(String, Expr)>> = vec![Vec::new(); 11];
    let mut select: Vec<(String, Aggregate)> = Vec::new();
    let out = |select: &mut Vec<(String, Aggregate)>, alias: String, a: Aggregate| {
        select.push((alias.clone(), a));
        alias
    };
    // The fingerprint leads the row: which query, for which columns and rules.
    select.push((
        "crm_ready".to_owned(),
        Aggregate::Literal(fingerprint.to_owned()),
    ));
    let rows = out(&mut select, "rows".to_owned(), Aggregate::Rows);
    let deleted_columns: Vec<&str> = columns
        .iter()
        .map(|c| c.name.as_str())
        .filter(|name| DELETED_COLUMNS.iter().any(|d| d.eq_ignore_ascii_case(name)))
        .collect();
    let filter = (!deleted_columns.is_empty()).then(|| {
        Cond::or(
            deleted_columns
                .iter()
                .map(|name| {
                    let value = Expr::Trimmed(b(Expr::Column((*name).to_owned())));
                    if name.eq_ignore_ascii_case("_fivetran_deleted") {
                        Cond::In(lower(value), strings(&["true", "t", "1"]))
                    } else {
                        Cond::and(vec![
                            Cond::NotNull(value.clone()),
                            cmp(value, CmpOp::Ne, Expr::Str(String::new())),
                        ])
                    }
                })
                .collect(),
        )
    });
    let deleted = filter.as_ref().map(|f| {
        let alias = out(
            &mut select,
            "deleted".to_owned(),
            Aggregate::TableRows(f.clone()),
        );
        (alias, deleted_columns.join(", "))
    });
    let f = |i: usize| r(&col(i, "f"));
    let k = |i: usize| r(&col(i, "k"));
    // Which columns need their normalised value, their date read, their email key.
    let mut needs_key = vec![false; n];
    let mut needs_date = vec![false; n];
    for count in &plan.records.counts {
        for (c, test) in &count.filter {
            needs_key[*c] |= !matches!(test, Test::Is(_));
        }
        if let Some((c, _, _)) = &count.window {
            needs_date[*c] = true;
        }
    }
    // The most common value is counted for the fields a use case asks about.
    let dominant_fields: Vec<&str> = dictionary
        .use_cases
        .iter()
        .flat_map(|u| &u.requires)
        .filter(|req| matches!(req.measure, Measure::Dominant { .. }))
        .map(|req| req.target.name())
        .collect();
    let mut names: Vec<ColumnNames> = Vec::with_capacity(n);
    for (i, c) in columns.iter().enumerate() {
        let x = col(i, "x");
        steps[0].push((x.clone(), Expr::Trimmed(b(Expr::Column(c.name.clone())))));
        let blank = Cond::or(vec![
            Cond::IsNull(r(&x)),
            cmp(r(&x), CmpOp::Eq, Expr::Str(String::new())),
        ]);
        let tokens = c.missing.tokens();
        let missing = if tokens.is_empty() {
            blank.clone()
        } else {
            Cond::or(vec![blank.clone(), Cond::In(lower(r(&x)), tokens)])
        };
        steps[1].push((
            col(i, "f"),
            Expr::Case(vec![(Cond::negate(missing), r(&x))]),
        ));
        let mut names_i = ColumnNames {
            blank: out(
                &mut select,
                col(i, "blank"),
                Aggregate::CountIf(blank.clone()),
            ),
            placeholder: out(
                &mut select,
                col(i, "placeholder"),
                Aggregate::CountIf(Cond::and(vec![Cond::negate(blank), Cond::IsNull(f(i))])),
            ),
            ..ColumnNames::default()
        };
        let checks = &c.checks;
        let dominant = checks
            .distinct
            .is_some_and(|d| matches!(d, Distinct::Text | Distinct::Exact))
            && c.canonical
                .as_deref()
                .is_some_and(|f| dominant_fields.contains(&f));
        needs_key[i] |= dominant && checks.distinct == Some(Distinct::Text);
        needs_date[i] |= checks.date.is_some();
        if needs_key[i] {
            steps[2].push((col(i, "k"), normalized(f(i))));
        }
        if dominant {
            let key = if checks.distinct == Some(Distinct::Text) {
                k(i)
            } else {
                f(i)
            };
            steps[3].push((col(i, "dk"), key));
            names_i.dominant = Some(out(
                &mut select,
                col(i, "dominant"),
                Aggregate::Dominant(col(i, "dk")),
            ));
        }
        // Validity of a value that is not a date.
        if checks.validity.is_active() && checks.date.is_none() {
            let mut conds = Vec::new();
            match checks.validity.form {
                None => {}
                Some(Form::Email) => conds.push(matches(f(i), email_pattern())),
                Some(Form::Url) => {
                    let host = host_of(&mut steps, i);
                    conds.push(matches(host, format!("^{}$", host_pattern())));
                }
                Some(Form::Phone) => {
                    let (shape, digits) = phone_parts(&mut steps, i);
                    conds.push(phone_valid(shape, digits));
                }
                Some(Form::Country) => {
                    let keys: Vec<String> = country::keys_without_the().into_iter().collect();
                    let mut tests = Vec::new();
                    for (j, key) in country_keys(f(i)).into_iter().enumerate() {
                        let alias = col(i, &format!("ck{j}"));
                        steps[2].push((alias.clone(), key));
                        tests.push(Cond::In(r(&alias), keys.clone()));
                    }
                    conds.push(Cond::negate(matches(r(&col(i, "ck0")), "^[0-9]*$")));
                    conds.push(Cond::or(tests));
                }
                Some(Form::Number { non_negative }) => {
                    conds.push(matches(f(i), number_pattern()));
                    if non_negative {
                        conds.push(Cond::negate(matches(f(i), "^[^0-9.,]*[(−-]")));
                    }
                }
                Some(Form::Boolean) => conds.push(Cond::In(
                    lower(f(i)),
                    strings(boolean::TRUE)
                        .into_iter()
                        .chain(strings(boolean::FALSE))
                        .collect(),
                )),
            }
            // Why a value of the wrong form fails: the first reason that holds, in the order
            // the form's check tries them.
            if let Some(form) = checks.validity.form {
                let reasons = form_reasons(form, f(i));
                let form_ok = Cond::and(conds.clone());
                let mut branches: Vec<(Cond, Expr)> = vec![(form_ok, Expr::Str(String::new()))];
                branches.extend(
                    reasons
                        .iter()
                        .map(|(why, cond)| (cond.clone(), Expr::Str(why.as_str().to_owned()))),
                );
                steps[3].push((col(i, "why"), Expr::Case(branches)));
                for (why, _) in reasons {
                    let alias = out(
                        &mut select,
                        col(i, why.as_str()),
                        Aggregate::CountIf(Cond::and(vec![
                            Cond::NotNull(f(i)),
                            cmp(
                                r(&col(i, "why")),
                                CmpOp::Eq,
                                Expr::Str(why.as_str().to_owned()),
                            ),
                        ])),
                    );
                    names_i.reasons.push((why, alias));
                }
            }
            conds.insert(0, Cond::NotNull(f(i)));
            // The form, then the allowed values, then the pattern: a value fails on the
            // first, as `ValidityRule::check` has it.
            let allowed = checks.validity.allowed.as_ref().map(|allowed| {
                let mut allowed: Vec<String> = allowed.iter().cloned().collect();
                allowed.sort();
                let folded = replace(lower(f(i)), &format!("[{}]+", space_class()), " ");
                Cond::In(folded, allowed)
            });
            let pattern = checks
                .validity
                .pattern
                .as_ref()
                .map(|p| matches(f(i), p.as_str()));
            if let Some(allowed) = allowed {
                let mut fails = conds.clone();
                fails.push(Cond::negate(allowed.clone()));
                names_i.not_allowed = Some(out(
                    &mut select,
                    col(i, "not_allowed"),
                    Aggregate::CountIf(Cond::and(fails)),
                ));
                conds.push(allowed);
            }
            if let Some(pattern) = pattern {
                let mut fails = conds.clone();
                fails.push(Cond::negate(pattern.clone()));
                names_i.no_pattern_match = Some(out(
                    &mut select,
                    col(i, "no_pattern_match"),
                    Aggregate::CountIf(Cond::and(fails)),
                ));
                conds.push(pattern);
            }
            steps[3].push((col(i, "v"), Expr::Case(vec![(Cond::and(conds), int(1))])));
            let valid = Cond::NotNull(r(&col(i, "v")));
            names_i.valid = Some(out(
                &mut select,
                col(i, "valid"),
                Aggregate::CountIf(valid.clone()),
            ));
            if checks.validity.form == Some(Form::Email) {
                let local = lower(extract(f(i), "^([^+@]*)"));
                let domain = lower(extract(f(i), "@(.*)$"));
                names_i.personal_domain = Some(out(
                    &mut select,
                    col(i, "personal"),
                    Aggregate::CountIf(Cond::and(vec![
                        valid.clone(),
                        matches(domain, personal_pattern()),
                    ])),
                ));
                names_i.role_account = Some(out(
                    &mut select,
                    col(i, "role"),
                    Aggregate::CountIf(Cond::and(vec![
                        valid.clone(),
                        Cond::In(local, strings(email::ROLE_ACCOUNTS)),
                    ])),
                ));
                steps[4].push((col(i, "e"), Expr::Case(vec![(valid, lower(f(i)))])));
            }
        }
        names.push(names_i);
    }
    // A breakdown by created month reads the created date.
    for dimension in &plan.segments.dimensions {
        if let Source::CreatedMonth(c) = dimension.source {
            needs_date[c] = true;
        }
    }
    // Dates: the shape, the parts, then each reading's error and age.
    for i in (0..n).filter(|&i| needs_date[i]) {
        let time = time_pattern();
        let shapes = [
            ("m", "^[0-9]{13}$".to_owned()),
            (
                "i",
                format!("^[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}},?{time}"),
            ),
            (
                "i",
                format!("^[0-9]{{4}}/[0-9]{{1,2}}/[0-9]{{1,2}},?{time}"),
            ),
            (
                "o",
                format!("^[0-9]{{1,2}}\\.[0-9]{{1,2}}\\.[0-9]{{4}},?{time}"),
            ),
            (
                "s",
                format!("^[0-9]{{1,2}}/[0-9]{{1,2}}/([0-9]{{2}}|[0-9]{{4}}),?{time}"),
            ),
        ];
        let mut branches: Vec<(Cond, Expr)> = shapes
            .iter()
            .map(|(shape, p)| (matches(f(i), p.clone()), Expr::Str((*shape).to_owned())))
            .collect();
        branches.push((Cond::NotNull(f(i)), Expr::Str("x".to_owned())));
        steps[2].push((col(i, "ds"), Expr::Case(branches)));
        let shape = |s: &str| cmp(r(&col(i, "ds")), CmpOp::Eq, Expr::Str(s.to_owned()));
        let part = |p: &str| Expr::ToInt(b(extract(f(i), p)));
        let year = |e: Expr| {
            let two = cmp(e.clone(), CmpOp::Lt, int(100));
            Expr::Case(vec![
                (
                    Cond::and(vec![two.clone(), cmp(e.clone(), CmpOp::Lt, int(30))]),
                    arith(e.clone(), Op::Add, int(2000)),
                ),
                (two, arith(e.clone(), Op::Add, int(1900))),
                (Cond::NotNull(e.clone()), e),
            ])
        };
        let fixed = |iso: &str, dotted: &str| {
            Expr::Case(vec![(shape("i"), part(iso)), (shape("o"), part(dotted))])
        };
        let parts = [
            (
                "fy",
                fixed("^([0-9]{4})", "^[0-9]{1,2}\\.[0-9]{1,2}\\.([0-9]{4})"),
            ),
            (
                "fm",
                fixed("^[0-9]{4}[-/]([0-9]{1,2})", "^[0-9]{1,2}\\.([0-9]{1,2})"),
            ),
            (
                "fd",
                fixed(
                    "^[0-9]{4}[-/][0-9]{1,2}[-/]([0-9]{1,2})",
                    "^([0-9]{1,2})\\.",
                ),
            ),
            ("ms", Expr::Case(vec![(shape("m"), Expr::ToInt(b(f(i))))])),
            ("sa", Expr::Case(vec![(shape("s"), part("^([0-9]{1,2})/"))])),
            (
                "sb",
                Expr::Case(vec![(shape("s"), part("^[0-9]{1,2}/([0-9]{1,2})/"))]),
            ),
            (
                "sy",
                Expr::Case(vec![(
                    shape("s"),
                    year(part("^[0-9]{1,2}/[0-9]{1,2}/([0-9]{2,4})")),
                )]),
            ),
        ];
        for (name, e) in parts {
            steps[3].push((col(i, name), e));
        }
        let p = |name: &str| r(&col(i, name));
        let as_of = int(i64::from(as_of));
        let reading = |y: Expr, m: Expr, d: Expr| {
            (
                date_error(y.clone(), m.clone(), d.clone()),
                arith(as_of.clone(), Op::Sub, civil_days(y, m, d)),
            )
        };
        let (fe, fa) = reading(p("fy"), p("fm"), p("fd"));
        let (me, ma) = reading(p("sy"), p("sa"), p("sb"));
        let (de, da) = reading(p("sy"), p("sb"), p("sa"));
        let fixed_error = Expr::Case(vec![
            (shape("m"), int(0)),
            (Cond::or(vec![shape("i"), shape("o")]), fe),
            (shape("x"), int(1)),
        ]);
        let fixed_age = Expr::Case(vec![
            (
                shape("m"),
                arith(
                    as_of.clone(),
                    Op::Sub,
                    arith(p("ms"), Op::Div, int(86_400_000)),
                ),
            ),
            (Cond::or(vec![shape("i"), shape("o")]), fa),
        ]);
        let slash = |e: Expr| Expr::Case(vec![(shape("s"), e)]);
        for (reading, (error, age)) in [
            ("f", (fixed_error, fixed_age)),
            ("m", (slash(me), slash(ma))),
            ("d", (slash(de), slash(da))),
        ] {
            steps[4].push((col(i, &format!("{reading}e")), error));
            steps[4].push((col(i, &format!("{reading}a")), age));
        }
        if let Some(rule) = &columns[i].checks.date {
            let h = rule.history;
            let mut readings = Vec::new();
            for reading in READINGS {
                let e = r(&col(i, &format!("{reading}e")));
                let a = r(&col(i, &format!("{reading}a")));
                let err = |code| cmp(e.clone(), CmpOp::Eq, int(code));
                let age = |op, n: i64| cmp(a.clone(), op, int(n));
                let name = |what: &str| col(i, &format!("{reading}_{what}"));
                let mut count =
                    |what: &str, cond: Cond| out(&mut select, name(what), Aggregate::CountIf(cond));
                let floor = if h { -1 } else { 0 };
                let valid = date_valid(i, reading, h);
                let mut ages = Vec::new();
                let mut low = None;
                for (band, (max, _)) in AGE_BANDS.iter().enumerate() {
                    let mut cond = vec![err(0), age(CmpOp::Le, i64::from(*max))];
                    cond.push(match low {
                        None => age(CmpOp::Ge, floor),
                        Some(l) => age(CmpOp::Gt, l),
                    });
                    low = Some(i64::from(*max));
                    ages.push(count(&format!("age{band}"), Cond::and(cond)));
                }
                ages.push(count(
                    "older",
                    Cond::and(vec![err(0), age(CmpOp::Gt, low.unwrap_or(0))]),
                ));
                ages.push(count(
                    "ahead",
                    if h {
                        Cond::Never
                    } else {
                        Cond::and(vec![err(0), age(CmpOp::Lt, 0)])
                    },
                ));
                let fresh = rule
                    .windows
                    .iter()
                    .map(|w| count(&format!("fresh{w}"), in_window(i, reading, *w, h)))
                    .collect();
                readings.push(ReadingNames {
                    valid: count("valid", valid),
                    not_a_date: count("not_a_date", err(1)),
                    before_1900: count("before_1900", err(2)),
                    impossible: count("impossible", err(3)),
                    in_the_future: count(
                        "future",
                        if h {
                            Cond::and(vec![err(0), age(CmpOp::Lt, -1)])
                        } else {
                            Cond::Never
                        },
                    ),
                    ages,
                    fresh,
                });
            }
            let (sa, sb) = (p("sa"), p("sb"));
            let le12 = |e: &Expr| cmp(e.clone(), CmpOp::Le, int(12));
            let gt12 = |e: &Expr| cmp(e.clone(), CmpOp::Gt, int(12));
            let [fixed, month, day]: [ReadingNames; 3] =
                readings.try_into().expect("three readings");
            names[i].date = Some(DateNames {
                readings: [fixed, month, day],
                slash_values: out(&mut select, col(i, "slash"), Aggregate::CountIf(shape("s"))),
                day_first_evidence: out(
                    &mut select,
                    col(i, "day_first"),
                    Aggregate::CountIf(Cond::and(vec![gt12(&sa), le12(&sb)])),
                ),
                month_first_evidence: out(
                    &mut select,
                    col(i, "month_first"),
                    Aggregate::CountIf(Cond::and(vec![gt12(&sb), le12(&sa)])),
                ),
                ambiguous: out(
                    &mut select,
                    col(i, "ambiguous"),
                    Aggregate::CountIf(Cond::and(vec![
                        cmp(sa.clone(), CmpOp::Ne, sb.clone()),
                        le12(&sa),
                        le12(&sb),
                    ])),
                ),
            });
        }
    }
    // Fields measured across several columns: filled when any of them is.
    let combined = plan
        .combined
        .iter()
        .enumerate()
        .map(|(j, c)| {
            out(
                &mut select,
                format!("m{}_filled", j + 1),
                Aggregate::CountIf(Cond::or(
                    c.parts.iter().map(|&p| Cond::NotNull(f(p))).collect(),
                )),
            )
        })
        .collect();
    // Record counts: the requirement's filter, its window under each reading, its fill.
    let counts = plan
        .records
        .counts
        .iter()
        .enumerate()
        .map(|(j, count)| {
            let filter: Vec<Cond> = count
                .filter
                .iter()
                .map(|(c, test)| test_cond(test, f(*c), k(*c)))
                .collect();
            let windows: [Cond; 3] = match &count.window {
                None => [Cond::Never, Cond::Never, Cond::Never],
                Some((c, rule, days)) => {
                    READINGS.map(|reading| in_window(*c, reading, *days, rule.history))
                }
            };
            let fill = count
                .fill
                .as_ref()
                .map(|parts| Cond::or(parts.iter().map(|&p| Cond::NotNull(f(p))).collect()));
            let mut alias = |what: &str, reading: usize, window: &Cond, fill: Option<&Cond>| {
                // Without a window every record is a fixed reading: the others count none.
                let cond = if count.window.is_none() && reading > 0 {
                    Cond::Never
                } else {
                    let mut all = filter.clone();
                    if count.window.is_some() {
                        all.push(window.clone());
                    }
                    all.extend(fill.cloned());
                    if all.is_empty() {
                        Cond::negate(Cond::Never)
                    } else {
                        Cond::and(all)
                    }
                };
                out(
                    &mut select,
                    format!("n{}_{what}{reading}", j + 1),
                    Aggregate::CountIf(cond),
                )
            };
            let matched = [0, 1, 2].map(|x| alias("matched", x, &windows[x], None));
            let filled = [0, 1, 2].map(|x| match &fill {
                Some(fill) => alias("filled", x, &windows[x], Some(fill)),
                None => alias("filled", x, &windows[x], Some(&Cond::Never)),
            });
            (matched, filled)
        })
        .collect();
    // Consent: which records may not be emailed.
    let blocks: Vec<Cond> = plan
        .records
        .consent
        .iter()
        .map(|(c, consent)| Cond::and(vec![Cond::NotNull(f(*c)), consent_cond(*consent, f(*c))]))
        .collect();
    let consent = blocks
        .iter()
        .enumerate()
        .map(|(j, cond)| {
            out(
                &mut select,
                format!("r{}_blocks", j + 1),
                Aggregate::CountIf(cond.clone()),
            )
        })
        .collect();
    // Identity keys, as `measure::measure_records` builds them, one derived column each.
    let mut keys = Vec::new();
    for (key, parts) in &plan.records.keys {
        let alias = format!("key_{}", key.as_str());
        let value = match parts {
            KeyParts::Email(c) => {
                if names[*c].valid.is_none() {
                    continue;
                }
                r(&col(*c, "e"))
            }
            KeyParts::Phone(c) => {
                let (shape, digits) = phone_parts(&mut steps, *c);
                let us = Cond::and(vec![
                    cmp(Expr::Length(b(digits.clone())), CmpOp::Eq, int(11)),
                    matches(digits.clone(), "^1"),
                ]);
                Expr::Case(vec![
                    (
                        Cond::and(vec![phone_valid(shape.clone(), digits.clone()), us]),
                        replace(digits.clone(), "^1", ""),
                    ),
                    (phone_valid(shape, digits.clone()), digits),
                ])
            }
            KeyParts::Domain { website, email } => {
                let mut choices = Vec::new();
                if let Some(w) = website {
                    let host = host_of(&mut steps, *w);
                    choices.push((
                        Cond::and(vec![
                            matches(host.clone(), format!("^{}$", host_pattern())),
                            Cond::negate(platform(host.clone())),
                        ]),
                        host,
                    ));
                }
                if let Some(e) = email {
                    let domain = col(*e, "ed");
                    steps[2].push((domain.clone(), lower(extract(f(*e), "@(.*)$"))));
                    let domain = r(&domain);
                    choices.push((
                        Cond::and(vec![
                            matches(f(*e), email_pattern()),
                            Cond::negate(matches(domain.clone(), personal_pattern())),
                        ]),
                        domain,
                    ));
                }
                Expr::Case(choices)
            }
            KeyParts::NameCompany {
                first,
                last,
                full,
                company,
            } => {
                let part = |c: &Option<usize>| match c {
                    Some(c) => f(*c),
                    None => Expr::Case(vec![(Cond::Never, Expr::Str(String::new()))]),
                };
                let (first, last, full) = (part(first), part(last), part(full));
                let empty = || Expr::Str(String::new());
                let or_empty = |e: Expr| {
                    Expr::Case(vec![
                        (Cond::NotNull(e.clone()), e),
                        (Cond::negate(Cond::Never), empty()),
                    ])
                };
                let name = Expr::Case(vec![
                    (
                        Cond::and(vec![
                            Cond::IsNull(first.clone()),
                            Cond::IsNull(last.clone()),
                        ]),
                        normalized(or_empty(full)),
                    ),
                    (
                        Cond::negate(Cond::Never),
                        normalized(Expr::Concat(vec![
                            or_empty(first),
                            Expr::Str(" ".into()),
                            or_empty(last),
                        ])),
                    ),
                ]);
                let company = normalized(or_empty(f(*company)));
                // Each folded once, in a step of its own: the key reads them twice.
                let (name_alias, company_alias) =
                    (format!("{alias}_name"), format!("{alias}_company"));
                steps[4].push((name_alias.clone(), name));
                steps[4].push((company_alias.clone(), company));
                let (name, company) = (r(&name_alias), r(&company_alias));
                Expr::Case(vec![(
                    Cond::and(vec![
                        cmp(name.clone(), CmpOp::Ne, empty()),
                        cmp(company.clone(), CmpOp::Ne, empty()),
                    ]),
                    // `|` is punctuation: never part of a folded value.
                    Expr::Concat(vec![name, Expr::Str("|".into()), company]),
                )])
            }
        };
        steps[5].push((alias.clone(), value));
        let blocked = (matches!(parts, KeyParts::Email(_)) && !blocks.is_empty()).then(|| {
            out(
                &mut select,
                format!("{}_blocked", key.as_str()),
                Aggregate::CountDistinct(Expr::Case(vec![(Cond::or(blocks.clone()), r(&alias))])),
            )
        });
        keys.push(KeyNames {
            key: *key,
            records: out(
                &mut select,
                format!("{}_records", key.as_str()),
                Aggregate::CountIf(Cond::NotNull(r(&alias))),
            ),
            distinct: out(
                &mut select,
                format!("{}_distinct", key.as_str()),
                Aggregate::CountDistinct(r(&alias)),
            ),
            groups: out(
                &mut select,
                format!("{}_groups", key.as_str()),
                Aggregate::Groups(alias.clone()),
            ),
            blocked,
        });
    }
    let mut header = vec![
        format!(
            "crm-ready {} audit of {table} ({}), as of {}: one pass over the rows, one row of counts (and one per segment with --by).",
            env!("CARGO_PKG_VERSION"),
            dialect.name(),
            crate::audit::checks::date::iso(as_of)
        ),
        "Measures, by the file audit's rules: rows; per column blanks (NULL, or only whitespace/NUL) and placeholders (N/A... once trimmed, any case); valid values by type; dates by age, in each window, read day or month first by the column's own evidence; record counts by filter and window; duplicates by email, phone, company domain and name with company; reach by email.".to_owned(),
        "The most common value and duplicate groups are counted by grouped subqueries, which read again only the columns of their keys; every other measure comes from the one pass.".to_owned(),
        "Read the result back with: crm-ready audit --from-sql-result RESULT.csv (or .json).".to_owned(),
        "Not measured by this query:".to_owned(),
    ];
    header.extend(NOT_MEASURED.iter().map(|n| format!("  - {n}")));
    header.push("Read otherwise than the file audit:".to_owned());
    header.extend(
        approximations(dialect)
            .into_iter()
            .map(|n| format!("  - {n}")),
    );
    if let Some((_, columns)) = &deleted {
        header.push(format!(
            "Rows marked deleted ({columns}) are left out and counted."
        ));
    }
    header.push("Columns:".to_owned());
    for (i, c) in columns.iter().enumerate() {
        header.push(format!("  c{}: {}", i + 1, c.name));
    }
    let segments = breakdown(plan, &names, &mut steps, &mut select);
    if !plan.segments.dimensions.is_empty() {
        let by: Vec<&str> = plan
            .segments
            .dimensions
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        header.push(format!(
            "Broken down by {}: besides the total row (every grouping column 1), one row per segment, as --by does in the file audit.",
            by.join(", ")
        ));
    }
    for missing in &plan.segments.missing {
        header.push(format!(
            "--by {missing}: the table has no such column; not broken down by it."
        ));
    }
    let grouping = segments.keys.iter().map(|k| k.value.clone()).collect();
    let query = Query {
        header,
        table: table.to_owned(),
        filter,
        steps: steps.into_iter().filter(|s| !s.is_empty()).collect(),
        select,
        grouping,
    };
    AuditQuery {
        query,
        rows,
        deleted,
        columns: names,
        combined,
        counts,
        keys,
        consent,
        fingerprint: "crm_ready".to_owned(),
        segments,
    }
}

/// Column `i`'s phone digits and whether it has a phone's shape (`phone_digits`), derived
/// once in step 2 for its validity and its duplicate key alike.
fn phone_parts(steps: &mut [Vec<(String, Expr)>], i: usize) -> (Cond, Expr) {
    let (pd, ps) = (col(i, "pd"), col(i, "ps"));
    if !steps[2].iter().any(|(alias, _)| *alias == pd) {
        let (shape, digits) = phone_digits(r(&col(i, "f")));
        steps[2].push((pd.clone(), digits));
        steps[2].push((ps.clone(), Expr::Case(vec![(shape, int(1))])));
    }
    (Cond::NotNull(r(&ps)), r(&pd))
}

/// Column `i`'s website host (`url_host`), derived once in step 2.
fn host_of(steps: &mut [Vec<(String, Expr)>], i: usize) -> Expr {
    let h = col(i, "h");
    if !steps[2].iter().any(|(alias, _)| *alias == h) {
        steps[2].push((h.clone(), url_host(r(&col(i, "f")))));
    }
    r(&h)
}

/// The date readings, by the suffix of their derived columns: fixed, month first, day first.
const READINGS: [&str; 3] = ["f", "m", "d"];

/// A date of column `i` that is valid under a reading (not in the future, for a date that
/// records history).
fn date_valid(i: usize, reading: &str, history: bool) -> Cond {
    let e = cmp(r(&col(i, &format!("{reading}e"))), CmpOp::Eq, int(0));
    if history {
        let a = r(&col(i, &format!("{reading}a")));
        Cond::and(vec![e, cmp(a, CmpOp::Ge, int(-1))])
    } else {
        e
    }
}

/// A date of column `i` at most `days` old under a reading (or tomorrow's, for a date that
/// records history: a time zone ahead).
fn in_window(i: usize, reading: &str, days: u32, history: bool) -> Cond {
    let e = r(&col(i, &format!("{reading}e")));
    let a = r(&col(i, &format!("{reading}a")));
    let mut inside = vec![Cond::and(vec![
        cmp(a.clone(), CmpOp::Ge, int(0)),
        cmp(a.clone(), CmpOp::Le, int(i64::from(days))),
    ])];
    if history {
        inside.push(cmp(a, CmpOp::Eq, int(-1)));
    }
    Cond::and(vec![cmp(e, CmpOp::Eq, int(0)), Cond::or(inside)])
}

/// `YYYY-MM` of a year and a month, as `date::iso` writes them.
fn year_month(y: Expr, m: Expr) -> Expr {
    let month = Expr::Case(vec![
        (
            cmp(m.clone(), CmpOp::Lt, int(10)),
            Expr::Concat(vec![Expr::Str("0".into()), Expr::ToText(b(m.clone()))]),
        ),
        (Cond::NotNull(m.clone()), Expr::ToText(b(m))),
    ]);
    Expr::Concat(vec![Expr::ToText(b(y)), Expr::Str("-".into()), month])
}

/// The `--by` breakdown (`segments::plan`): per dimension a segment key, per requirement
/// the records that pass it, as `segments::record_passes` decides, grouped by each key.
fn breakdown(
    plan: &Plan,
    names: &[ColumnNames],
    steps: &mut [Vec<(String, Expr)>],
    select: &mut Vec<(String, Aggregate)>,
) -> SegmentNames {
    let segments = &plan.segments;
    if segments.dimensions.is_empty() {
        return SegmentNames::default();
    }
    let f = |i: usize| r(&col(i, "f"));
    let mut keys = Vec::new();
    for (d, dimension) in segments.dimensions.iter().enumerate() {
        let value = |day_first: bool| format!("b{}_{}", d + 1, if day_first { "d" } else { "m" });
        match dimension.source {
            Source::Column(c) => {
                let alias = format!("b{}", d + 1);
                steps[10].push((
                    alias.clone(),
                    Expr::Case(vec![
                        (Cond::NotNull(f(c)), f(c)),
                        (Cond::negate(Cond::Never), Expr::Str("(blank)".into())),
                    ]),
                ));
                keys.push((d, false, alias));
            }
            Source::CreatedMonth(c) => {
                let p = |name: &str| r(&col(c, name));
                // Epoch milliseconds: the civil date of a day number, in integer arithmetic
                // (days are after 2001 here, so every division is of non-negative values).
                steps[4].push((
                    col(c, "mz"),
                    arith(
                        arith(p("ms"), Op::Div, int(86_400_000)),
                        Op::Add,
                        int(719_468),
                    ),
                ));
                steps[5].push((col(c, "mera"), arith(p("mz"), Op::Div, int(146_097))));
                steps[5].push((col(c, "mdoe"), arith(p("mz"), Op::Mod, int(146_097))));
                let doe = p("mdoe");
                steps[6].push((
                    col(c, "myoe"),
                    arith(
                        arith(
                            arith(
                                arith(doe.clone(), Op::Sub, arith(doe.clone(), Op::Div, int(1460))),
                                Op::Add,
                                arith(doe.clone(), Op::Div, int(36_524)),
                            ),
                            Op::Sub,
                            arith(doe, Op::Div, int(146_096)),
                        ),
                        Op::Div,
                        int(365),
                    ),
                ));
                let yoe = p("myoe");
                steps[7].push((
                    col(c, "mdoy"),
                    arith(
                        p("mdoe"),
                        Op::Sub,
                        arith(
                            arith(
                                arith(int(365), Op::Mul, yoe.clone()),
                                Op::Add,
                                arith(yoe.clone(), Op::Div, int(4)),
                            ),
                            Op::Sub,
                            arith(yoe, Op::Div, int(100)),
                        ),
                    ),
                ));
                steps[8].push((
                    col(c, "mmp"),
                    arith(
                        arith(arith(int(5), Op::Mul, p("mdoy")), Op::Add, int(2)),
                        Op::Div,
                        int(153),
                    ),
                ));
                let early = cmp(p("mmp"), CmpOp::Ge, int(10));
                let millis_month = Expr::Case(vec![
                    (early.clone(), arith(p("mmp"), Op::Sub, int(9))),
                    (Cond::NotNull(p("mmp")), arith(p("mmp"), Op::Add, int(3))),
                ]);
                let millis_year = arith(
                    arith(p("myoe"), Op::Add, arith(p("mera"), Op::Mul, int(400))),
                    Op::Add,
                    Expr::Case(vec![(early, int(1)), (Cond::NotNull(p("mmp")), int(0))]),
                );
                let valid =
                    |reading: &str| cmp(r(&col(c, &format!("{reading}e"))), CmpOp::Eq, int(0));
                let shape = |s: &str| cmp(p("ds"), CmpOp::Eq, Expr::Str(s.to_owned()));
                let fixed = Expr::Case(vec![
                    (
                        Cond::and(vec![valid("f"), shape("m")]),
                        year_month(millis_year, millis_month),
                    ),
                    (valid("f"), year_month(p("fy"), p("fm"))),
                ]);
                steps[9].push((col(c, "cmf"), fixed));
                for day_first in [false, true] {
                    let (reading, month) = if day_first { ("d", "sb") } else { ("m", "sa") };
                    let alias = value(day_first);
                    steps[10].push((
                        alias.clone(),
                        Expr::Case(vec![
                            (Cond::NotNull(p("cmf")), p("cmf")),
                            (valid(reading), year_month(p("sy"), p(month))),
                            (Cond::negate(Cond::Never), Expr::Str("(no date)".into())),
                        ]),
                    ));
                    keys.push((d, day_first, alias));
                }
            }
        }
    }
    let keys = keys
        .into_iter()
        .map(|(dimension, day_first, value)| {
            let name = &segments.dimensions[dimension].name;
            let by = match segments.dimensions[dimension].source {
                Source::Column(_) => name.clone(),
                Source::CreatedMonth(_) if day_first => format!("{name} (slash dates day first)"),
                Source::CreatedMonth(_) => format!("{name} (slash dates month first)"),
            };
            select.push((value.clone(), Aggregate::Key(value.clone())));
            let grouping = format!("{}{value}", super::result::GROUPING_PREFIX);
            select.push((grouping.clone(), Aggregate::Grouping(value.clone())));
            SegmentKeyNames {
                by,
                dimension,
                day_first,
                value,
                grouping,
            }
        })
        .collect();
    // Several use cases ask the same of a column: each distinct requirement counted once.
    let mut done: Vec<(String, [Option<String>; 3])> = Vec::new();
    let mut passing = Vec::new();
    for (k, req) in segments.requirements.iter().enumerate() {
        let id = format!("{:?}", req.pass);
        if let Some((_, names)) = done.iter().find(|(d, _)| *d == id) {
            passing.push(names.clone());
            continue;
        }
        let conds: [Option<Cond>; 3] = match &req.pass {
            Pass::Fill { parts, .. } => [
                Some(Cond::or(
                    parts.iter().map(|&p| Cond::NotNull(f(p))).collect(),
                )),
                None,
                None,
            ],
            Pass::Valid(c) => match &plan.columns[*c].checks.date {
                Some(rule) => READINGS.map(|x| Some(date_valid(*c, x, rule.history))),
                None => [
                    names[*c]
                        .valid
                        .as_ref()
                        .map(|_| Cond::NotNull(r(&col(*c, "v")))),
                    None,
                    None,
                ],
            },
            Pass::Fresh(c, days) => {
                let history = plan.columns[*c]
                    .checks
                    .date
                    .as_ref()
                    .is_some_and(|rule| rule.history);
                READINGS.map(|x| Some(in_window(*c, x, *days, history)))
            }
        };
        let mut slot = 0;
        let names = conds.map(|cond| {
            slot += 1;
            cond.map(|cond| {
                let alias = format!("s{}_pass{}", k + 1, slot - 1);
                select.push((alias.clone(), Aggregate::CountIf(cond)));
                alias
            })
        });
        done.push((id, names.clone()));
        passing.push(names);
    }
    SegmentNames { keys, passing }
}
