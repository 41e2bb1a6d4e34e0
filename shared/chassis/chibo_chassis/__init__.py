"""The service chassis every chibo service runs on: settings, the runtime (pool, NATS
broker, own stream, relay, consumers, lifespan), health, sign-in and the permissions
boundary (`auth`), the HTTP app (`http`), and the export of everything a service holds
about a member (`subject_export`). The event-sourcing library underneath is
`chibo_kernel`."""

from .settings import KernelSettings, configured_or_exit, load_settings, settings_or_exit

__all__ = ["KernelSettings", "configured_or_exit", "load_settings", "settings_or_exit"]
