"""The dossier export (issue 6 item 3) on the sample data: one pond's dossier (median of 3) and all 40 ponds.

Makes a scratch database on the configured server (TAILINGS_DATABASE_URL), migrates and seeds it, measures
in-process (service calls, no HTTP), prints the figures, and drops the database. Targets: one pond under 2 s,
all 40 under 60 s.

    TAILINGS_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:55432/tailings python bench/dossier.py [--keep]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TAILINGS_DEMO", "true")


def main() -> None:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.orm import Session

    from app import migrate, registry
    from app.config import get_settings

    server = os.environ.get("TAILINGS_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:55432/tailings")
    url = make_url(server).set(drivername="postgresql+psycopg", database=f"bench_{uuid.uuid4().hex[:8]}")
    url_s = url.render_as_string(hide_password=False)
    os.environ["TAILINGS_DATABASE_URL"] = url_s
    os.environ.setdefault("TAILINGS_FILES_DIR", f"/tmp/bench-files-{uuid.uuid4().hex[:8]}")
    get_settings.cache_clear()
    registry.clear()
    migrate.create_database(url_s)
    try:
        migrate.upgrade(url_s)
        from app.db import get_engine
        from app.dossiers.build import build_dossier
        from app.dossiers.service import export_all
        from app.seed import seed

        with Session(get_engine()) as session:
            seed(session, get_settings().layers_dir, demo=True)
            session.commit()
            # the pond with the most elements: the heaviest single dossier
            pond_id, code, n = session.execute(
                text("""SELECT p.id, p.code, count(e.id) FROM ponds p LEFT JOIN elements e ON e.pond_id = p.id
                        GROUP BY p.id ORDER BY count(e.id) DESC, p.code LIMIT 1""")
            ).one()
            t0 = time.perf_counter()
            first = build_dossier(session, pond_id)
            cold = time.perf_counter() - t0
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                build_dossier(session, pond_id)
                times.append(time.perf_counter() - t0)
            ponds = session.execute(text("SELECT id FROM ponds ORDER BY code")).scalars().all()
            t0 = time.perf_counter()
            everything = export_all(session, list(ponds))
            all_s = time.perf_counter() - t0
        one = statistics.median(times)
        print(f"dossier export on the sample data ({len(ponds)} ponds), in-process; the machine is shared with")
        print("other workers (2 cores, loaded): figures are upper bounds")
        print(f"{'case':<44}{'seconds':>10}{'target':>10}{'ratio':>8}")
        print(f"{'one pond, first in process (font load)':<44}{cold:>10.2f}{'':>10}{'':>8}")
        print(f"{f'one pond {code} ({n} elements), median of 3':<44}{one:>10.2f}{2.0:>10.1f}{one / 2.0:>8.2f}")
        print(f"{f'all {len(ponds)} ponds, one run':<44}{all_s:>10.2f}{60.0:>10.1f}{all_s / 60.0:>8.2f}")
        print(f"sizes: one pond {len(first) / 1024:.0f} KB, all ponds {len(everything) / 1024 / 1024:.1f} MB")
    finally:
        from app.db import get_engine

        get_engine().dispose()
        if "--keep" not in sys.argv:
            migrate.drop_database(url_s)
        else:
            print(f"kept {url_s}")


if __name__ == "__main__":
    main()
