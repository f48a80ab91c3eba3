"""The trip report (出访报告): written from the trip\x27s records, signed off, exported."""
