"""Imagery (三步采集法): satellite scenes, drone orthophotos and DEMs; water and outlines derived from them
per pond and date; field corrections; tiles for the map."""
