"""HTTP building blocks shared by the services."""

from .app import create_app, openapi_document
from .problems import MEDIA_TYPE, problem

__all__ = ["MEDIA_TYPE", "create_app", "openapi_document", "problem"]
