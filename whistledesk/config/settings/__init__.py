"""Settings: base (shared), local (default, zero set-up), production, test."""
