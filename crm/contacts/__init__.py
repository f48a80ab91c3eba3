"""Contacts: the people met at enterprises (the model lives with enterprises)."""
