"""Pure geospatial code for Tailings One Map.

Nothing here imports the web service (`app`) or a database driver: these functions take and return
plain Python, shapely and numpy objects so that the CLI, the service, notebooks and tests share them.
"""
