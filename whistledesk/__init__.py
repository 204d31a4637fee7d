"""Whistledesk: receive, handle and report whistleblowing disclosures."""

__version__ = "0.1.0"
