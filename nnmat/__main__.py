"""``python -m nnmat``: the same as the ``nnmat`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
