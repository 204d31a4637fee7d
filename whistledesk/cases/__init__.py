"""The staff side: the disclosure register, casework workflow, selectors and services."""
