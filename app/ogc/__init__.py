"""OGC API - Features (Part 1: Core): ponds and the nine element types as feature collections."""
