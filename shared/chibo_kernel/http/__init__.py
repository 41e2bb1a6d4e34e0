"""HTTP building blocks shared by the services."""

from .app import create_app
from .problems import MEDIA_TYPE, problem

__all__ = ["MEDIA_TYPE", "create_app", "problem"]
