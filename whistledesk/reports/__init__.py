"""The statutory annual report: aggregates (selectors) and renderers (md, html, json, csv)."""
