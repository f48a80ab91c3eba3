"""Account administration (admins only): users and their roles."""
