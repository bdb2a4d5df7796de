"""Photos taken in the field (inspection answers, hazards, evidence of rectification): one owner for their
table, their checks (real image, EXIF time and position, evidence flags) and their lookup."""
