"""File formats of imports and exports; pure functions, no application or database.

- `model`: Where, Problem, Feature, ReadResult, ColumnSpec, SheetSpec, TemplateSpec (the shared interface)
- `safety`: Limits, sniff (type from bytes + extension), open_zip (bombs, traversal, symlinks, nesting),
  parse_xml (defusedxml)
- `read.read_upload`: any upload to CGCS2000 features with located problems; `tabular` (XLSX via calamine, CSV),
  `vector` (GeoJSON, Shapefile, GeoPackage, KML/KMZ, DXF), `georef` (which CRS applies), `finish` (move and check)
- `template.write_template`, `write.write_layers`, `report.error_report`; `layout`: what templates and reader share
"""
