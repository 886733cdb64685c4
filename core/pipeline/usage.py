"""What a project used of each paid service, and what it probably cost.

Only cloud providers carry ``pricing``; the offline ones are free and record
nothing. Usage is added when a provider is really called (a cache hit costs
nothing), so a retried or redelivered stage does not count twice. Each call
appends a row, so stages running at once never overwrite each other.
"""

from __future__ import annotations

from sqlalchemy import func, select

from core.db import Database
from core.models import UsageRecord


def record_usage(
    db: Database, project_id: int, provider: object, amount: float
) -> None:
    """Add ``amount`` units (tokens, characters, images) for ``provider``."""
    pricing = getattr(provider, "pricing", None)
    if pricing is None or amount <= 0:
        return
    with db.session() as session:
        session.add(
            UsageRecord(
                project_id=project_id,
                provider=getattr(provider, "name", type(provider).__name__),
                unit=pricing.unit,
                amount=amount,
                cost_usd=amount * pricing.usd_per_unit,
            )
        )


def project_usage(db: Database, project_id: int) -> dict[str, dict[str, object]]:
    """Per provider: unit, total amount and estimated cost in US dollars."""
    query = (
        select(
            UsageRecord.provider,
            UsageRecord.unit,
            func.sum(UsageRecord.amount),
            func.sum(UsageRecord.cost_usd),
        )
        .where(UsageRecord.project_id == project_id)
        .group_by(UsageRecord.provider, UsageRecord.unit)
    )
    with db.session() as session:
        return {
            provider: {"unit": unit, "amount": amount, "cost_usd": round(cost, 4)}
            for provider, unit, amount, cost in session.execute(query)
        }
