"""The ledger's domain: records, rules, dates, reports and the local store.

Pure Python. Never imports textual, gspread, google.* or requests (a test
checks this).
"""
