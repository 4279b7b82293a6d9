"""Moved to ``helpers.validate`` (the one validation layer). Kept only until ``bugs``, ``doctor`` and
``checks`` import ``.validate``; notebooks never used this name. Delete it then."""
from .validate import *  # noqa: F401,F403
from .validate import __all__  # noqa: F401
