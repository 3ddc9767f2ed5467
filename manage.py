#!/usr/bin/env python
"""Same as the ``peyvand`` command, for those used to ``python manage.py``."""

from peyvand.__main__ import main

if __name__ == "__main__":
    main()
