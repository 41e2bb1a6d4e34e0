"""`chibo-assignment migrate` applies migrations, `serve` runs the service, `import FILE`
loads a member export with a progress bar, `rebuild` replays the event store into new read
models while the old ones serve, `relay quarantine list|purge` shows and deletes messages
on the service's stream that its event store did not write, `privacy seal-legacy`
encrypts personal fields stored before encryption, `privacy retention [--dry-run]` applies
the retention policy now."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from chibo_chassis import configured_or_exit, settings_or_exit
from chibo_kernel.logging import configure_logging

from ..settings import AssignmentSettings


def main(argv: Sequence[str] | None = None) -> int:
    args_given = list(sys.argv[1:] if argv is None else argv)
    if args_given[:1] == ["relay"]:  # `relay quarantine list|purge`: subcommands of its own
        from chibo_chassis.quarantine_cli import relay_command

        return relay_command("assignment", AssignmentSettings, args_given[1:])
    if args_given[:1] == ["privacy"]:  # `privacy seal-legacy|retention`: subcommands
        from chibo_chassis.privacy_cli import privacy_command

        from ..domain.events import REGISTRY
        from .retention_cli import own_retention

        return privacy_command(
            "assignment", AssignmentSettings, REGISTRY, args_given[1:], own_retention
        )
    parser = argparse.ArgumentParser(prog="chibo-assignment")
    parser.add_argument(
        "command", choices=["migrate", "serve", "import", "rebuild", "relay", "privacy"]
    )
    parser.add_argument("file", nargs="?", type=Path, help="for import: a .csv or .xlsx export")
    args = parser.parse_args(argv)
    settings = settings_or_exit(AssignmentSettings)
    configure_logging("assignment", settings.log_level)
    if args.command == "migrate":
        from chibo_chassis.keyring_database import migrate_keyring

        from ..migrations import upgrade

        upgrade(settings.database_url)
        migrate_keyring(settings)  # data_keys in the province's keyring database, if apart
        return 0
    if args.command == "rebuild":
        import asyncio

        from chibo_chassis.rebuild_cli import rebuild_own_read_models

        from ..adapters.own_read_models import OWN_READ_MODELS

        return asyncio.run(
            rebuild_own_read_models(settings.database_url, OWN_READ_MODELS, settings.keyring_url)
        )
    if args.command == "import":
        if args.file is None:
            parser.error("import needs a file / cần chỉ định tệp")
        import asyncio

        from .import_cli import run_import

        return asyncio.run(run_import(settings.database_url, args.file, settings.keyring_url))
    from chibo_chassis.http import serve

    from ..bootstrap import build

    app, _ = configured_or_exit(lambda: build(settings))
    serve(app, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
