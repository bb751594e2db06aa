"""``python -m dlcourse <command>``: the instructor's command line (dlcourse.instructor.cli)."""

import sys

from .instructor.cli import main

if __name__ == "__main__":
    sys.exit(main())
