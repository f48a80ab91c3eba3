"""Visits: one meeting with one enterprise, outbound on a trip or a delegation received at home."""
