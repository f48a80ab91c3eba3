"""Enterprises (any organisation met) and their contacts."""
