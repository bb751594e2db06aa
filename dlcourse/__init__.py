"""dlcourse: the companion package of the dlcourse deep-learning course.

One module per concept (``activations``, ``losses``, ``layers``, ``optimizers``,
``conv``, ``recurrent``, ``gradcheck``, ``data``, ``plotting``, ``models``, ...);
import the one a chapter needs, e.g. ``from dlcourse import activations``.
Importing ``dlcourse`` itself is cheap and changes no global state: call
:func:`dlcourse.setup` at the top of a notebook to seed and quiet everything.
"""

from .reproducibility import setup

__version__ = "0.1.0"
__all__ = ["setup", "__version__"]
