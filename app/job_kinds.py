"""Every domain's job kinds, gathered in one place the way app/models.py gathers every table: importing a
module registers the kinds it declares with app.jobs (`@handler`). The worker and the web app import this
module; app.jobs itself knows no domain."""

import app.dossiers.service  # noqa: F401  (dossier_all)
import app.imagery.jobs  # noqa: F401  (imagery.ingest, imagery.derive)
