"""Retention policies per category of personal data (docs/privacy.md, section 7): the
policy file, the categories every service has, one run under an advisory lock, the daily
schedule in the runtime, and `chibo-<service> privacy retention [--dry-run]`."""

from .category import BATCH, Category, Removed, kernel_categories
from .policy import RetentionPolicy, RetentionPolicyError, load_policy
from .run import RetentionReport, apply_retention, last_success, today_in_vietnam
from .schedule import RetentionSchedule, failure_named, retain_periodically

__all__ = [
    "BATCH",
    "Category",
    "Removed",
    "RetentionPolicy",
    "RetentionPolicyError",
    "RetentionReport",
    "RetentionSchedule",
    "apply_retention",
    "failure_named",
    "kernel_categories",
    "last_success",
    "load_policy",
    "retain_periodically",
    "today_in_vietnam",
]
