"""What every area shares: model mixins, roles, audit, time and formatting."""
