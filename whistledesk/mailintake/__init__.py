"""Email disclosures taken in from the office's mailbox (IMAP over TLS) by the worker."""
