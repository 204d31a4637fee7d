"""The organisation (a prescribed person) and its taxonomy: services, outcomes, report texts."""
