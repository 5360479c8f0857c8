"""Python polars peer for the checks benchmark (benches/README.md): the measures `crm-ready
audit` takes of a generated HubSpot contacts export, written as an expert polars user would.

Usage: python3 benches/peers/checks_polars.py FILE.csv --as-of 2026-11-28 [--engine in-memory]
Needs: `pip install polars pycountry`. Prints the results as one line of JSON on stdout and the
wall time (from before `import polars`, so CSV reading included) on stderr.

Reads every column as a string (lazy `scan_csv`, one query, streaming engine by default; polars
parallelises) and computes:
- fill per column: [rows, blank, placeholder] as polars_audit.py does (blank: null, or empty after
  trimming whitespace and NUL; placeholder: missing_rule.py's tokens, ASCII case ignored);
- email (filled values): valid (one `@`, a local part without whitespace, a host of 2+ labels of
  letters, digits and inner hyphens, the last of 2+ letters), personal domains, role accounts;
- phones: valid after dropping an extension, a leading `+`/`00` and separators: 7 to 15 digits,
  not one digit repeated; country: an ISO 3166 code or name (pycountry), ignoring case and
  non-alphanumerics; Number of Employees: digits with optional thousands separators, not negative;
- dates (ISO with an optional time, or M/D/YYYY): valid (from 1900, at most as-of + 1 day), age
  bands and records fresh within 365 days;
- categorical columns: distinct (trimmed) values, distinct after normalising (lower case, ASCII
  punctuation but `&` and whitespace runs made one space), the most common normalised value's
  share of rows; counted per value in the query, normalised on those counts afterwards;
- duplicates by key (email, phone, name_company): records, distinct, groups, duplicate_records.
"""
import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

import polars as pl  # noqa: E402
import pycountry  # noqa: E402

from missing_rule import tokens  # noqa: E402

EMAIL, PHONE_KEY, COUNTRY, EMPLOYEES = "Email", "Phone Number", "Country/Region", "Number of Employees"
PHONES = ["Phone Number", "Mobile Phone Number"]
DATES = ["Create Date", "Last Activity Date"]
NAME_COMPANY = ["First Name", "Last Name", "Company Name"]
CATEGORICAL = ["Industry", "Lifecycle Stage", "Lead Status", "Job Title", COUNTRY, "Contact owner",
               "Original Source"]
CHECKED = sorted({EMAIL, COUNTRY, EMPLOYEES, *PHONES, *DATES, *NAME_COMPANY, *CATEGORICAL})

# Unicode White_Space (Rust's char::is_whitespace) and NUL: what crm-ready trims.
PAD = "".join(map(chr, [9, 10, 11, 12, 13, 32, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                        0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0]))
ALNUM = r"[\p{L}\p{N}]"
EMAIL_RE = rf"^[^@\s]+@(?:{ALNUM}(?:[\p{{L}}\p{{N}}-]*{ALNUM})?\.)+\p{{L}}{{2,}}$"
PERSONAL_RE = (r"@(?:gmail\.com|googlemail\.com|msn\.com|icloud\.com|me\.com|aol\.com|web\.de|proton\.me"
               r"|protonmail\.com|mail\.ru|qq\.com|163\.com"
               r"|(?:yahoo|hotmail|outlook|live|gmx|yandex)\.[^.]+(?:\.[^.]+)?)$")
ROLE_RE = r"^(?:info|sales|admin|support|noreply|no-reply|contact|hello|office|marketing)[+@]"
# One pass: a leading `+` or `00`, an extension at the end (`ext. 12`, `x12`, `#12`), separators.
PHONE_NOISE = r"^(?:\+|00)|\s*(?i:ext\.?|x|#)\s*[0-9]+\s*$|[ ./()\u00a0-]"
REPEATED_RE = "^(?:" + "|".join(f"{d}+" for d in range(10)) + ")$"
NUMBER_RE = (r"^\+?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:\.[0-9]{3})+"
             r"|[0-9]{1,3}(?:[ \u00a0\u2009\u202f][0-9]{3})+)$")
TIME = r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?\s*(?:[AaPp][Mm])?(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
ISO_RE = rf"^([0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}){TIME}$"
US_RE = rf"^([0-9]{{1,2}}/[0-9]{{1,2}}/[0-9]{{4}}){TIME}$"
PUNCT_OR_SPACE = r"[\s!-%'-/:-@\[-`{-~]+"  # ASCII punctuation but `&`, and whitespace
BANDS = [(30, "<=30"), (90, "<=90"), (180, "<=180"), (365, "<=365"), (730, "<=730")]


def alnum_key(text):
    return "".join(ch for ch in text.lower() if ch.isalnum())


def country_keys():
    keys = {"uk", "britain", "korea", "greatbritain"}
    for c in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            if getattr(c, attr, None):
                keys.add(alnum_key(getattr(c, attr)))
    return sorted(keys)


def fold(e):
    """Lower case, ASCII punctuation (but `&`) and whitespace runs made one space, trimmed."""
    return e.str.to_lowercase().str.replace_all(PUNCT_OR_SPACE, " ").str.strip_chars(" ")


def case_variants(token, most=4096):
    """Every ASCII upper/lower spelling of `token` (crm-ready compares with eq_ignore_ascii_case),
    so that the placeholder test is a hash lookup with no lower-casing; None when too many."""
    out = [""]
    for ch in token:
        out = [o + v for o in out for v in dict.fromkeys((ch.lower(), ch.upper()) if ch.isascii() else ch)]
        if len(out) > most:
            return None
    return out


def is_placeholder(c, trimmed):
    spellings = [case_variants(t) for t in tokens(c)]
    if all(spellings):
        return trimmed.is_in([v for s in spellings for v in s])
    return trimmed.str.to_lowercase().is_in(tokens(c))


def group_sizes(values):
    # value_counts, not unique_counts: the streaming engine cannot yet zip the latter after
    # drop_nulls with the other aggregates ("zip node received non-equal length inputs").
    return values.drop_nulls().value_counts().struct.field("count")


def key_stats(k, name):
    sizes = group_sizes(k)
    return [sizes.sum().alias(f"{name}:records"), sizes.len().alias(f"{name}:distinct"),
            (sizes > 1).sum().alias(f"{name}:groups")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--as-of", required=True, type=dt.date.fromisoformat)
    ap.add_argument("--engine", default="streaming", choices=["streaming", "in-memory"])
    args = ap.parse_args()

    lf = pl.scan_csv(args.path, infer_schema_length=0, encoding="utf8")
    names = lf.collect_schema().names()
    lf = lf.rename({n: n.lstrip("\ufeff") for n in names if n.startswith("\ufeff")})
    columns = [n.lstrip("\ufeff") for n in names]
    missing = [c for c in CHECKED if c not in columns]
    if missing:
        sys.exit(f"checks_polars: not a HubSpot contacts export, no {missing}")

    # 1. Trim every column, flag placeholders; 2. each checked column's filled value (else null).
    lf = lf.with_columns(pl.all().str.strip_chars(PAD))
    lf = lf.with_columns(is_placeholder(c, pl.col(c)).alias(f"p:{c}") for c in columns)
    lf = lf.with_columns(
        pl.when((pl.col(c) == "") | pl.col(f"p:{c}")).then(None).otherwise(pl.col(c)).alias(f"f:{c}")
        for c in CHECKED)
    f = {c: pl.col(f"f:{c}") for c in CHECKED}

    # 3. Derived values: the email key, phone digits, date ages, the name_company key.
    email_key = pl.when(f[EMAIL].str.contains(EMAIL_RE)).then(f[EMAIL].str.to_lowercase())
    derived = [email_key.alias("k:email")]
    for c in PHONES:
        digits = f[c].str.replace_all(PHONE_NOISE, "")
        ok = (digits.str.contains("^[0-9]{7,15}$") & ~digits.str.contains(REPEATED_RE))
        derived.append(pl.when(ok).then(digits).alias(f"k:{c}"))
    as_of = pl.lit(args.as_of)
    for c in DATES:
        day = pl.coalesce(f[c].str.extract(ISO_RE, 1).str.to_date("%Y-%m-%d", strict=False),
                          f[c].str.extract(US_RE, 1).str.to_date("%m/%d/%Y", strict=False))
        age = (as_of - day).dt.total_days()
        derived.append(pl.when((day.dt.year() >= 1900) & (age >= -1)).then(age).alias(f"age:{c}"))
    name = fold(pl.concat_str([f["First Name"].fill_null(""), f["Last Name"].fill_null("")], separator=" "))
    company = fold(f["Company Name"])
    derived.append(pl.when((name != "") & (company != ""))
                   .then(pl.concat_str([name, company], separator="\x1f")).alias("k:name_company"))
    lf = lf.with_columns(derived)

    # 4. One aggregation over everything.
    aggs = [pl.len().alias("rows")]
    for c in columns:
        aggs += [(pl.col(c).is_null() | (pl.col(c) == "")).sum().alias(f"blank:{c}"),
                 pl.col(f"p:{c}").sum().alias(f"placeholder:{c}")]
    ek = pl.col("k:email")
    aggs += [f[EMAIL].count().alias("email:checked"), ek.count().alias("email:valid"),
             ek.str.contains(PERSONAL_RE).sum().alias("email:personal"),
             ek.str.contains(ROLE_RE).sum().alias("email:role")]
    for c in PHONES:
        aggs += [f[c].count().alias(f"{c}:checked"), pl.col(f"k:{c}").count().alias(f"{c}:valid")]
    aggs += [f[EMPLOYEES].count().alias("number:checked"),
             f[EMPLOYEES].str.contains(NUMBER_RE).sum().alias("number:valid")]
    for c in DATES:
        age = pl.col(f"age:{c}")
        aggs += [f[c].count().alias(f"{c}:checked"), age.count().alias(f"{c}:valid"),
                 age.is_between(-1, 365).sum().alias(f"{c}:fresh_365"),
                 (age > BANDS[-1][0]).sum().alias(f"{c}:older")]
        low = -1
        for high, label in BANDS:
            aggs.append(age.is_between(low, high).sum().alias(f"{c}:{label}"))
            low = high + 1
    # Categorical columns hold few distinct values: count them here, normalise the counts below.
    aggs += [f[c].drop_nulls().value_counts().implode().alias(f"vc:{c}") for c in CATEGORICAL]
    for k in ("email", "phone", "name_company"):
        aggs += key_stats(pl.col(f"k:{PHONE_KEY}" if k == "phone" else f"k:{k}"), k)
    result = lf.select(aggs).collect(engine=args.engine)
    r = result.select(pl.exclude("^vc:.*$")).row(0, named=True)
    keys = country_keys()
    for c in CATEGORICAL:
        vc = result[f"vc:{c}"].explode().struct.unnest().drop_nulls().rename({f"f:{c}": "v"})
        by = vc.group_by(fold(pl.col("v")).alias("n")).agg(pl.col("count").sum())
        r |= {f"{c}:distinct": vc.height, f"{c}:normalized": by.height, f"{c}:dominant": by["count"].max()}
        if c == COUNTRY:
            ckey = pl.col("v").str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]", "")
            ok = ckey.is_in(keys) | ckey.str.strip_prefix("the").is_in(keys)
            r |= {"country:checked": vc["count"].sum(), "country:valid": vc.filter(ok)["count"].sum()}

    rows = r["rows"]
    checked = lambda c, extra=(): {"checked": r[f"{c}:checked"], "valid": r[f"{c}:valid"],  # noqa: E731
                                   **{k: r[f"{c}:{k}"] for k in extra}}
    out = {
        "rows": rows,
        "as_of": args.as_of.isoformat(),
        "fill": {c: [rows, r[f"blank:{c}"], r[f"placeholder:{c}"]] for c in columns},
        "valid": {EMAIL: checked("email", ("personal", "role")), **{c: checked(c) for c in PHONES},
                  COUNTRY: checked("country"), EMPLOYEES: checked("number")},
        "dates": {c: checked(c, ["fresh_365", *(label for _, label in BANDS), "older"]) for c in DATES},
        "distinct": {c: {"distinct": r[f"{c}:distinct"], "normalized": r[f"{c}:normalized"],
                         "dominant_share": round((r[f"{c}:dominant"] or 0) / rows, 6) if rows else 0.0}
                     for c in CATEGORICAL},
        "duplicates": {k: {"records": r[f"{k}:records"], "distinct": r[f"{k}:distinct"],
                           "groups": r[f"{k}:groups"],
                           "duplicate_records": r[f"{k}:records"] - r[f"{k}:distinct"]}
                       for k in ("email", "phone", "name_company")},
    }
    json.dump(out, sys.stdout)
    print()
    print(f"wall {time.perf_counter() - T0:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
