"""Rule checks of a pond against GB 18599-2020, MEE Order 26 and the bureau's own rules (layers/rules.yaml)."""
