"""`chibo-rating migrate` applies migrations, `serve` runs the service, `rebuild` rebuilds
every read model while the old ones serve: it asks the running service to fill a new
generation of the consumed facts and waits for the switch, then replays the event store
into new tables of the service's own (people's inputs and decisions). `relay quarantine
list|purge` shows and deletes messages on the service's stream that its event store did
not write. `privacy seal-legacy` encrypts personal fields stored before encryption;
`privacy retention [--dry-run]` applies the retention policy now.

The facts' rebuild calls the running service's API, so it signs in: with $CHIBO_TOKEN (a
province administrator's token from the identity provider) or, on the embedded stack, with
a province administrator's token it mints from CHIBO_AUTH_SHARED_SECRET."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from chibo_chassis import configured_or_exit, settings_or_exit
from chibo_chassis.auth import operator_token
from chibo_kernel.logging import configure_logging

from ..settings import RatingSettings

OPERATOR = "chibo-rating-operator"


def main(argv: Sequence[str] | None = None) -> int:
    args_given = list(sys.argv[1:] if argv is None else argv)
    if args_given[:1] == ["relay"]:  # `relay quarantine list|purge`: subcommands of its own
        from chibo_chassis.quarantine_cli import relay_command

        return relay_command("rating", RatingSettings, args_given[1:])
    if args_given[:1] == ["privacy"]:  # `privacy seal-legacy`: subcommands of its own
        from chibo_chassis.privacy_cli import privacy_command

        from ..domain.events import REGISTRY

        return privacy_command("rating", RatingSettings, REGISTRY, args_given[1:])
    parser = argparse.ArgumentParser(prog="chibo-rating")
    parser.add_argument("command", choices=["migrate", "serve", "rebuild", "relay", "privacy"])
    args = parser.parse_args(argv)
    settings = settings_or_exit(RatingSettings)
    configure_logging("rating", settings.log_level)
    url = f"http://{settings.http_host}:{settings.http_port}"
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
        from .operator import OperatorRefused, rebuild

        try:
            print(asyncio.run(rebuild(url, token=operator_token(settings, OPERATOR))))
        except OperatorRefused as refused:
            print(f"chibo-rating {args.command}: {refused}", file=sys.stderr)
            return 1
        return asyncio.run(
            rebuild_own_read_models(settings.database_url, OWN_READ_MODELS, settings.keyring_url)
        )
    from chibo_chassis.http import serve

    from ..bootstrap import build

    app, _, _ = configured_or_exit(lambda: build(settings))
    serve(app, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
