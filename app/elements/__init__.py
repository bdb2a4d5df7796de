"""Environmental supervision elements of a pond and the history of their geometry."""
