"""Staff accounts: users, roles, sign-in."""
