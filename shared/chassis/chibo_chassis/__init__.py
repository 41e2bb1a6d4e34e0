"""The service chassis every chibo service runs on: settings, the runtime (pool, NATS
broker, own stream, relay, consumers, lifespan), health, sign-in and the permissions
boundary (`auth`), and the HTTP app (`http`). The event-sourcing library underneath is
`chibo_kernel`."""

from .settings import KernelSettings, configured_or_exit, load_settings, settings_or_exit

__all__ = ["KernelSettings", "configured_or_exit", "load_settings", "settings_or_exit"]
