"""`chibo-attendance migrate` applies migrations, `serve` runs the service, `rebuild`
replays the event store into new read models of meetings, marks and guests, then has the
running service fill a new generation of the roster from assignment's stream, while the
old ones serve, `relay quarantine list|purge` shows and deletes messages on the service's
stream that its event store did not write, `privacy seal-legacy` encrypts personal
fields stored before encryption, `privacy retention [--dry-run]` applies the retention
policy now."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from chibo_chassis import configured_or_exit, settings_or_exit
from chibo_kernel.logging import configure_logging

from ..settings import AttendanceSettings


def main(argv: Sequence[str] | None = None) -> int:
    args_given = list(sys.argv[1:] if argv is None else argv)
    if args_given[:1] == ["relay"]:  # `relay quarantine list|purge`: subcommands of its own
        from chibo_chassis.quarantine_cli import relay_command

        return relay_command("attendance", AttendanceSettings, args_given[1:])
    if args_given[:1] == ["privacy"]:  # `privacy seal-legacy`: subcommands of its own
        from chibo_chassis.privacy_cli import privacy_command

        from ..domain.events import REGISTRY

        return privacy_command("attendance", AttendanceSettings, REGISTRY, args_given[1:])
    parser = argparse.ArgumentParser(prog="chibo-attendance")
    parser.add_argument("command", choices=["migrate", "serve", "rebuild", "relay", "privacy"])
    args = parser.parse_args(argv)
    settings = settings_or_exit(AttendanceSettings)
    configure_logging("attendance", settings.log_level)
    if args.command == "migrate":
        from chibo_chassis.keyring_database import migrate_keyring

        from ..migrations import upgrade

        upgrade(settings.database_url)
        migrate_keyring(settings)  # data_keys in the province's keyring database, if apart
        return 0
    if args.command == "rebuild":
        import asyncio

        from chibo_chassis.rebuild_cli import rebuild_consumed_read_model, rebuild_own_read_models

        from ..adapters.own_read_models import OWN_READ_MODELS
        from ..adapters.roster_read_model import roster_read_model

        url = settings.database_url
        return asyncio.run(
            rebuild_own_read_models(url, OWN_READ_MODELS, settings.keyring_url)
        ) or asyncio.run(rebuild_consumed_read_model(url, roster_read_model()))
    from chibo_chassis.http import serve

    from ..bootstrap import build

    app, _ = configured_or_exit(lambda: build(settings))
    serve(app, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
