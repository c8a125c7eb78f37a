"""The Bot API's machine-readable description: which methods exist, their parameters and types.

Used by the fake server to reject unknown methods, report missing required parameters, turn
form-encoded strings back into typed values, and build minimal valid answers for methods it
does not simulate in detail.
"""

from __future__ import annotations

import json
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
SPEC_ENV = "NOTORTURE_BOT_API_SPEC"
_DEFAULT_PATH = Path(__file__).resolve().parents[3] / "shared" / "data" / "bot-api-spec.json"
_SCALARS = {"Integer", "String", "Boolean", "Float", "InputFile"}
# Without the spec, these stay text even when they look like numbers.
_TEXT_KEYS = {"text", "caption", "description", "short_description", "name", "url", "data"}


def default_spec_path() -> Path:
    """The spec file: ``$NOTORTURE_BOT_API_SPEC`` or ``../shared/data/bot-api-spec.json``."""
    return Path(os.environ.get(SPEC_ENV) or _DEFAULT_PATH)


class ApiSpec:
    """Read-only view of the spec (methods and types by name)."""

    def __init__(self, data: dict[str, Any], *, permissive: bool = False) -> None:
        self.permissive = permissive  # no spec file: every method name is taken as it is
        self.version: str = data.get("version", "")
        self.methods: dict[str, dict] = data.get("methods", {})
        self.types: dict[str, dict] = data.get("types", {})
        # Telegram's method names are case-insensitive.
        self._lower = {name.lower(): name for name in self.methods}

    def method_name(self, name: str) -> str | None:
        """The canonical name of a method, or None when it does not exist."""
        if self.permissive:
            return self._lower.get(name.lower(), name)
        return self._lower.get(name.lower())

    def fields(self, method: str) -> list[dict]:
        return self.methods.get(method, {}).get("fields", [])

    def returns(self, method: str) -> list[str]:
        return self.methods.get(method, {}).get("returns", ["Boolean"])

    def coerce(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Turn form strings into typed values according to the parameter types."""
        types = {f["name"]: f["types"] for f in self.fields(method)}
        out: dict[str, Any] = {}
        for key, value in params.items():
            if not isinstance(value, str) or (self.permissive and key in _TEXT_KEYS):
                out[key] = value
            else:
                out[key] = _coerce_value(value, types.get(key))
        return out

    def missing_required(self, method: str, params: dict[str, Any]) -> str | None:
        """Name of the first required parameter that is absent or empty."""
        for f in self.fields(method):
            if f.get("required") and params.get(f["name"]) in (None, ""):
                return f["name"]
        return None

    def minimal(self, type_name: str, depth: int = 0) -> Any:
        """A minimal valid value of a type (required fields only), for generic answers."""
        if type_name.startswith("Array of "):
            return []
        if type_name in ("Integer",):
            return 0
        if type_name == "Float":
            return 0.0
        if type_name in ("String", "InputFile"):
            return ""
        if type_name in ("Boolean", "True"):
            return True
        spec = self.types.get(type_name)
        if spec is None or depth > 6:
            return {}
        if spec.get("subtypes"):
            return self.minimal(spec["subtypes"][0], depth + 1)
        obj: dict[str, Any] = {}
        for f in spec.get("fields", []):
            if f.get("required"):
                obj[f["name"]] = self.minimal(f["types"][0], depth + 1)
        return obj


def _coerce_value(value: str, types: list[str] | None) -> Any:
    if not types:
        return _guess(value)
    if "Integer" in types or "Float" in types:
        try:
            return int(value)
        except ValueError:
            try:
                return float(value) if "Float" in types else value
            except ValueError:
                return value
    if types == ["Boolean"]:
        return value.lower() in ("true", "1")
    if "String" in types or "InputFile" in types:
        return value
    if all(t not in _SCALARS for t in types):
        return _maybe_json(value)
    return value


def _guess(value: str) -> Any:
    """Without the spec: integers, booleans and JSON look like themselves in a form."""
    if value.lstrip("-").isdigit():
        return int(value)
    if value in ("true", "false"):
        return value == "true"
    return _maybe_json(value)


def _maybe_json(value: str) -> Any:
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


@lru_cache(maxsize=4)
def _load(path: str) -> ApiSpec:
    try:
        with open(path, encoding="utf-8") as fh:
            return ApiSpec(json.load(fh))
    except FileNotFoundError:
        # The spec ships beside the project (../shared); without it the demo still works,
        # only without method and parameter validation.
        log.warning("Bot API spec not found at %s: methods are not validated", path)
        return ApiSpec({}, permissive=True)


def load_spec(path: str | os.PathLike | None = None) -> ApiSpec:
    """Load (once per process and path) the Bot API spec."""
    return _load(str(Path(path) if path else default_spec_path()))
