"""Two-way sync between the local ledger and the district's Google Sheet."""
