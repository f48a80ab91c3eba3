"""Investment projects and the stages they move through."""
