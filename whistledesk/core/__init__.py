"""Shared foundations: base models, exceptions, the one crypto module. Imports no app."""
