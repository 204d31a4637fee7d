"""Demo data: the Children's Commissioner's configuration and demo disclosures."""
