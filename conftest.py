"""Root pytest configuration, so that its hooks reach ``book/`` as well as ``tests/``.

(A ``tests/conftest.py`` hook applies only to items under ``tests/``: the notebook
cells that nbval collects from ``book/`` never see it.) The notebook checks that ride
on nbval's single run of each chapter live in ``tests/nbplugin.py``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "tests"))

pytest_plugins = ["nbplugin"]
