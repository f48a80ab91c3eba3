"""The audit log page: browse and filter; nobody can change it through the app."""
