"""The target-sector taxonomy: sector → industry-chain node, in English and Chinese."""
