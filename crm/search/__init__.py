"""Search: one box for enterprises, contacts, trips, visits, projects and follow-ups."""
