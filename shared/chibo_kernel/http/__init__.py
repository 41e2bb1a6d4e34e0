"""HTTP building blocks shared by the services."""

from .accepted import Accepted, accepted
from .app import create_app
from .problems import MEDIA_TYPE, problem
from .serve import serve

__all__ = ["MEDIA_TYPE", "Accepted", "accepted", "create_app", "problem", "serve"]
