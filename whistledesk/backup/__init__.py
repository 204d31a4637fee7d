"""Encrypted, integrity-checked backups of the database and files, and their restore."""
