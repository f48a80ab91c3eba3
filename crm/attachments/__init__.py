"""Photos and documents of a trip or a visit, stored under instance/."""
