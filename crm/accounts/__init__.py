"""Accounts: users, login, the first-run setup."""
