"""The audit log's answer (``/api/v1/audit``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.models.common import Model

__all__ = ["AuditAnswer", "AuditEntry"]


class AuditEntry(Model):
    id: str = Field(description="Postens id.")
    kind: Literal["write", "read"] = Field(
        description="write: en ændring er skrevet; read: personoplysninger er vist."
    )
    principal: str = Field(description="Navnet på tokenet, der skrev eller læste.")
    at: str = Field(description="Tidspunktet (ISO 8601, UTC).")
    change: str | None = Field(description="Ændringens id (ved write).")
    route: str | None = Field(description="Adressen, der viste personoplysningerne (ved read).")
    resource: str | None = Field(
        description="De kontaktpersonordninger (id'er), hvis oplysninger blev vist (ved read)."
    )


class AuditAnswer(Model):
    entries: list[AuditEntry] = Field(description="Posterne, ældste først.")
