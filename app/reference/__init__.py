"""Reference layers: districts (administrative units), rivers, sensitive targets."""
