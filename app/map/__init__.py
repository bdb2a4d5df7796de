"""The one map: city overview and pond maps (folium/Leaflet, every asset served by the app)."""
