"""Numbers to labelled pandas results: the Scorecard, re-expression between frameworks,
indicator status and composite indices over jurisdictions and years.
"""
