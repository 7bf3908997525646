"""Work orders from hotlines and online platforms (12345, provincial platforms, leaders\x27 mailboxes)."""
