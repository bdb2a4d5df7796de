"""Mapbox vector tiles (MVT) built in PostGIS, scoped to the caller, with revalidation by data version."""
