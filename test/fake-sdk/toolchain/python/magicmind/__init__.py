"""TEST DOUBLE of Cambricon's MagicMind Python package, for the fake lab only. Never shipped."""
