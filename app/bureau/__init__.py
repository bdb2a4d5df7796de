"""Bureau imports: the pond registry (尾矿库名录) and the reference layers (districts, rivers, sensitive targets)."""
