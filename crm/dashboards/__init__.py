"""Dashboards: the pipeline meeting, the year's targets, trip results, industry chains and the team's month."""
