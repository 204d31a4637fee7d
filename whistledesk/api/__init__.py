"""The staff API (/api/v1/): personal API tokens and thin endpoints over cases and reports."""
