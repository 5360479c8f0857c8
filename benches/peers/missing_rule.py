"""The missing-value rule of crm-ready, for the peers: built-in placeholders plus the default
dictionary's per-field extras (field-maps/dictionary.toml) on the columns the HubSpot and
Salesforce maps give those fields."""

BUILTIN = ["n/a", "#n/a", "null", "nil", "none", "unknown", "-", "--", "?", "tbd",
           "[not provided]", "000000000000000aaa"]

# column label (as exported) -> extra placeholders, lower-cased
EXTRA = {
    "Industry": ["other", "unspecified"],
    "Job Title": ["x", "."],
    "Title": ["x", "."],
    "Original Source": ["other", "offline sources - other"],
    "Original Traffic Source": ["other", "offline sources - other"],
    "LeadSource": ["other", "offline sources - other"],
    "Lead Source": ["other", "offline sources - other"],
}


def tokens(column):
    return BUILTIN + EXTRA.get(column, [])
