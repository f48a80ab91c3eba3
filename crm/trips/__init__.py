"""Outbound missions, their delegations and their attachments."""
