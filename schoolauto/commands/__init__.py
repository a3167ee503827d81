"""Subcommands, one module a domain; each exposes `register(subparsers)`. Kept thin: parse, call, print."""
