"""Budget proposals (bids): who leads them, what they cost, and what they change.

A proposal moves one or more indicators of a framework (its **impacts**), each with a timing
and an evidence strength; it costs money by year and may save or raise some. Proposals are
read from YAML or from tables (:func:`wellbeing_budget.load_proposals`) and checked against a
framework when they are scored.

The rule for ``people``: an impact that gives ``people`` states its change **per person
reached**. Its effect on the indicator, which describes the whole population, is
``change x people / population`` (the framework's population). Use it for indicators that are
population averages or shares (life satisfaction, the share of adults in distress); for
totals (emissions, hectares, capital) give the total change and no ``people``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Literal, Protocol, overload

from pydantic import Field, field_validator, model_validator

from ..errors import PathElement, Problem, UnitError, UnknownIdError, did_you_mean
from ..units import Quantity, conversion_factor, currency_of
from .base import ID_PATTERN, NotEmpty, Source, _Model

__all__ = [
    "Evidence",
    "FiscalEffect",
    "Impact",
    "ImpactColumns",
    "MoneyColumns",
    "MoneyLine",
    "Origin",
    "Proposal",
    "ProposalField",
    "ProposalSet",
    "ProposalSource",
    "Timing",
]

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=100)]
Text = Annotated[str, Field(min_length=1)]
Evidence = Literal["high", "medium", "low"]
Year = Annotated[int, Field(ge=1800, le=2300)]


def _duration_years(value: Quantity, what: str) -> float:
    if value.unit == "":
        raise ValueError(f"{what} needs a unit of time (e.g. '3 years'), got {str(value)!r}")
    try:
        years = value.to("year")
    except UnitError as exc:
        raise ValueError(str(exc)) from None
    if years < 0:
        raise ValueError(f"{what} cannot be negative, got {str(value)!r}")
    return years


class Timing(_Model):
    """When an impact happens: it starts in calendar year ``start``, rises linearly over
    ``ramp_up``, lasts ``duration`` in all (ramp-up included), and afterwards a share
    ``persistence`` of it remains each year (geometric decay)."""

    start: Year
    ramp_up: Quantity = Quantity(0.0, "year")
    duration: Quantity
    persistence: float = Field(default=0.0, ge=0, lt=1)

    @field_validator("ramp_up")
    @classmethod
    def _ramp(cls, value: Quantity) -> Quantity:
        _duration_years(value, "ramp_up")
        return value

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: Quantity) -> Quantity:
        if _duration_years(value, "duration") == 0:
            raise ValueError(f"duration must be longer than zero, got {str(value)!r}")
        return value

    @property
    def ramp_up_years(self) -> float:
        """The ramp-up in years."""
        return _duration_years(self.ramp_up, "ramp_up")

    @property
    def duration_years(self) -> float:
        """The duration in years."""
        return _duration_years(self.duration, "duration")


class Impact(_Model):
    """One change to one indicator, for one population group."""

    indicator: Id
    change: Quantity | None = None
    relative_change: Quantity | None = None
    people: Quantity | None = None
    group: Id = "all"
    timing: Timing
    evidence: Evidence
    source: Source | str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_change(self) -> Impact:
        if (self.change is None) == (self.relative_change is None):
            raise ValueError("give either change (absolute) or relative_change, not both")
        return self

    @field_validator("relative_change")
    @classmethod
    def _relative(cls, value: Quantity | None) -> Quantity | None:
        if value is not None and value.unit != "":
            try:
                conversion_factor(value.unit, "dimensionless")
            except UnitError:
                raise ValueError(
                    f"relative_change is a share such as '-5 percent', got {str(value)!r}"
                ) from None
        return value

    @field_validator("people")
    @classmethod
    def _people(cls, value: Quantity | None) -> Quantity | None:
        if value is None:
            return value
        count = value.magnitude if value.unit == "" else _count(value)
        if not count > 0:
            raise ValueError(f"people must be a positive number, got {str(value)!r}")
        return value

    @property
    def people_count(self) -> float | None:
        """The number of people reached, if the change is per person."""
        if self.people is None:
            return None
        return self.people.magnitude if self.people.unit == "" else _count(self.people)


def _count(value: Quantity) -> float:
    try:
        return value.to("person")
    except UnitError:
        raise ValueError(f"people is a number of people, got {str(value)!r}") from None


class MoneyLine(_Model):
    """An amount of money in one calendar year (``455 million NZD``)."""

    year: Year
    amount: Quantity
    note: str | None = None
    budget: Literal["operating", "capital"] = "operating"
    """Which allowance a cost counts against when a package is chosen within limits."""

    @field_validator("amount")
    @classmethod
    def _money(cls, value: Quantity) -> Quantity:
        if currency_of(value.unit) is None:
            raise ValueError(
                f"amount must be money with its currency (e.g. '12 million NZD'), got "
                f"{str(value)!r}"
            )
        return value

    @property
    def currency(self) -> str:
        """The currency code of the amount."""
        code = currency_of(self.amount.unit)
        assert code is not None
        return code


class FiscalEffect(MoneyLine):
    """Money a proposal gives back to the public finances: a saving or new revenue."""

    kind: Literal["saving", "revenue"] = "saving"


class Proposal(_Model):
    """A budget bid: its lead agency and partners (the silos it spans), its costs and fiscal
    effects by year, and its impacts on the framework's indicators."""

    id: Id
    title: Text
    lead_agency: Text
    partner_agencies: tuple[Text, ...] = ()
    groups: tuple[Id, ...] = ()
    priorities: tuple[Id, ...] = ()
    description: str | None = None
    costs: tuple[MoneyLine, ...] = ()
    fiscal_effects: tuple[FiscalEffect, ...] = ()
    impacts: Annotated[tuple[Impact, ...], NotEmpty]
    source: Source | str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _distinct_agencies(self) -> Proposal:
        agencies = [self.lead_agency, *self.partner_agencies]
        if len(set(agencies)) != len(agencies):
            raise ValueError("an agency is listed twice among lead_agency and partner_agencies")
        return self

    @property
    def agencies(self) -> tuple[str, ...]:
        """Lead agency first, then partners."""
        return (self.lead_agency, *self.partner_agencies)


@dataclass(frozen=True)
class Origin:
    """Where a proposal was written, so problems found when scoring point into the file or
    table: ``where(path)`` gives a located template :class:`Problem` for a path inside the
    proposal (``("impacts", 2, "change")``)."""

    where: Callable[[tuple[PathElement, ...]], Problem] = field(repr=False, compare=False)

    def problem(self, path: Sequence[PathElement], message: str) -> Problem:
        """A problem at ``path`` inside the proposal."""
        template = self.where(tuple(path))
        return Problem(message, template.path, template.file, template.line, template.column)


@dataclass(frozen=True)
class ImpactColumns:
    """Every impact of a set as columns: proposal by proposal, each proposal's impacts in
    the order written (``proposal`` is the proposal's position in the set), each value as
    the :class:`Impact` holds it (:meth:`ProposalSet.impact_columns`).

    >>> import pandas as pd, wellbeing_budget as wb
    >>> bids = wb.load_proposals(pd.DataFrame({"proposal": ["a", "a"], "title": ["A", None],
    ...     "lead_agency": ["Health", None], "indicator": ["x", "y"],
    ...     "change": ["1 year", "2 point"], "people": ["1 thousand person", "500"],
    ...     "start": [2021, 2021], "duration": ["3 years", "3 years"],
    ...     "evidence": ["low", "high"]}))
    >>> columns = bids.impact_columns()
    >>> [str(q) for q in columns.change], columns.people_counts, columns.evidence
    (['1 year', '2 point'], (1000.0, 500.0), ('low', 'high'))
    """

    proposal: tuple[int, ...]
    change: tuple[Quantity | None, ...]
    relative_change: tuple[Quantity | None, ...]
    people: tuple[Quantity | None, ...]
    evidence: tuple[Evidence, ...]

    @property
    def people_counts(self) -> tuple[float | None, ...]:
        """The number of people each impact reaches, if per person (as
        :attr:`Impact.people_count`)."""
        return tuple(
            None if q is None else (q.magnitude if q.unit == "" else _count(q)) for q in self.people
        )


@dataclass(frozen=True)
class MoneyColumns:
    """Every money line of a set as columns: proposal by proposal, its costs then its fiscal
    effects, each in the order written (``kind`` is ``cost`` for a cost, else the fiscal
    effect's kind; :meth:`ProposalSet.money_columns`)."""

    proposal: tuple[int, ...]
    kind: tuple[Literal["cost", "saving", "revenue"], ...]
    year: tuple[int, ...]
    amount: tuple[Quantity, ...]
    budget: tuple[Literal["operating", "capital"], ...]


ProposalField = Literal["title", "lead_agency", "partner_agencies", "groups", "priorities"]
"""The proposal-level fields a :class:`ProposalSet` serves a column at a time."""


class ProposalSource(Protocol):
    """Proposals kept as columns (read from a table): a :class:`ProposalSet` over one builds
    each :class:`Proposal` only when it is asked for."""

    def __len__(self) -> int: ...

    def proposal(self, index: int) -> Proposal:
        """Proposal ``index``, validated as the model validates it."""
        ...

    def origin(self, index: int) -> Origin:
        """Where proposal ``index`` was written."""
        ...

    def proposal_ids(self) -> tuple[str, ...]:
        """The proposals' ids, in order, without building them."""
        ...

    def proposal_column(self, name: ProposalField) -> tuple[object, ...]:
        """Field ``name`` of every proposal, in order, equal to what the built proposals
        hold, without building them."""
        ...

    def impact_columns(self) -> ImpactColumns:
        """Every impact, as columns, without building the proposals."""
        ...

    def money_columns(self) -> MoneyColumns:
        """Every money line, as columns, without building the proposals."""
        ...


class ProposalSet(Sequence[Proposal]):
    """Proposals read from one source, in order, each remembering where it was written.

    A set read from a table keeps its proposals as columns (``source``): each
    :class:`Proposal` is built the first time it is asked for (by index, iteration or
    :attr:`proposals`), identical to the one built row by row, and the engine compiles the
    columns directly.

    >>> from wellbeing_budget import Proposal
    >>> bid = Proposal.model_validate({"id": "a", "title": "A", "lead_agency": "Health",
    ...     "impacts": [{"indicator": "x", "change": "1 year", "evidence": "low",
    ...                  "timing": {"start": 2020, "duration": "1 year"}}]})
    >>> bids = ProposalSet((bid,))
    >>> len(bids), bids[0].id, bids.ids
    (1, 'a', ('a',))
    """

    __slots__ = ("_items", "_origins", "name", "note", "source", "title")

    def __init__(
        self,
        proposals: Sequence[Proposal] = (),
        origins: Sequence[Origin] = (),
        name: str | None = None,
        title: str | None = None,
        note: str | None = None,
        *,
        source: ProposalSource | None = None,
    ) -> None:
        if source is not None and proposals:
            raise ValueError("give proposals or a source of them, not both")
        self.source = source
        self._items: list[Proposal | None] = (
            [None] * len(source) if source is not None else list(proposals)
        )
        self._origins = tuple(origins)
        self.name = name
        self.title = title
        self.note = note
        if self._origins and len(self._origins) != len(self._items):
            raise ValueError("one origin per proposal")

    def _at(self, index: int) -> Proposal:
        found = self._items[index]
        if found is None:
            assert self.source is not None
            found = self._items[index] = self.source.proposal(range(len(self._items))[index])
        return found

    @property
    def proposals(self) -> tuple[Proposal, ...]:
        """Every proposal, in order (built from the columns on first use)."""
        if self.source is not None and None in self._items:
            # Building thousands of small models at once: the cyclic collector would walk
            # every one of them again and again, and none of them forms a cycle.
            collecting = gc.isenabled()
            gc.disable()
            try:
                return tuple(self._at(i) for i in range(len(self._items)))
            finally:
                if collecting:
                    gc.enable()
        return tuple(self._at(i) for i in range(len(self._items)))

    @property
    def origins(self) -> tuple[Origin, ...]:
        """Where each proposal was written (empty when unknown; for a set read from a table,
        each is worked out when it locates a problem)."""
        if self.source is not None:
            return tuple(self.source.origin(i) for i in range(len(self._items)))
        return self._origins

    @property
    def ids(self) -> tuple[str, ...]:
        """The proposals' ids, in order (read from the columns without building proposals)."""
        if self.source is not None:
            return self.source.proposal_ids()
        return tuple(p.id for p in self._items if p is not None)

    def _column(self, name: ProposalField) -> tuple[object, ...]:
        if self.source is not None:
            return self.source.proposal_column(name)
        return tuple(getattr(p, name) for p in self._items)

    @property
    def titles(self) -> tuple[str, ...]:
        """The proposals' titles, in order (from the columns of a table-loaded set)."""
        return self._column("title")  # type: ignore[return-value]

    @property
    def lead_agencies(self) -> tuple[str, ...]:
        """The proposals' lead agencies, in order."""
        return self._column("lead_agency")  # type: ignore[return-value]

    @property
    def partner_agencies(self) -> tuple[tuple[str, ...], ...]:
        """The proposals' partner agencies, in order."""
        return self._column("partner_agencies")  # type: ignore[return-value]

    @property
    def agencies(self) -> tuple[tuple[str, ...], ...]:
        """Each proposal's agencies, lead first (as :attr:`Proposal.agencies`).

        >>> from wellbeing_budget import Proposal
        >>> bid = Proposal.model_validate({"id": "a", "title": "A", "lead_agency": "Health",
        ...     "partner_agencies": ["Police"], "impacts": [{"indicator": "x",
        ...     "change": "1 year", "evidence": "low",
        ...     "timing": {"start": 2020, "duration": "1 year"}}]})
        >>> ProposalSet((bid,)).agencies
        (('Health', 'Police'),)
        """
        return tuple(
            (lead, *partners)
            for lead, partners in zip(self.lead_agencies, self.partner_agencies, strict=True)
        )

    @property
    def groups(self) -> tuple[tuple[str, ...], ...]:
        """The population groups each proposal targets, in order."""
        return self._column("groups")  # type: ignore[return-value]

    @property
    def priorities(self) -> tuple[tuple[str, ...], ...]:
        """The framework priorities each proposal serves, in order."""
        return self._column("priorities")  # type: ignore[return-value]

    def impact_columns(self) -> ImpactColumns:
        """Every impact as columns, proposal by proposal (from the table's columns for a set
        read from one: no proposal is built)."""
        if self.source is not None:
            return self.source.impact_columns()
        impacts = [(n, i) for n, p in enumerate(self._items) if p for i in p.impacts]
        return ImpactColumns(
            proposal=tuple(n for n, _ in impacts),
            change=tuple(i.change for _, i in impacts),
            relative_change=tuple(i.relative_change for _, i in impacts),
            people=tuple(i.people for _, i in impacts),
            evidence=tuple(i.evidence for _, i in impacts),
        )

    def money_columns(self) -> MoneyColumns:
        """Every money line as columns, proposal by proposal, costs before fiscal effects
        (from the table's columns for a set read from one)."""
        if self.source is not None:
            return self.source.money_columns()
        lines: list[tuple[int, Literal["cost", "saving", "revenue"], MoneyLine]] = []
        for n, p in enumerate(self._items):
            if p is not None:
                lines.extend((n, "cost", line) for line in p.costs)
                lines.extend((n, line.kind, line) for line in p.fiscal_effects)
        return MoneyColumns(
            proposal=tuple(n for n, _, _ in lines),
            kind=tuple(kind for _, kind, _ in lines),
            year=tuple(line.year for _, _, line in lines),
            amount=tuple(line.amount for _, _, line in lines),
            budget=tuple(line.budget for _, _, line in lines),
        )

    @overload
    def __getitem__(self, index: int) -> Proposal: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Proposal]: ...
    def __getitem__(self, index: int | slice) -> Proposal | Sequence[Proposal]:
        if isinstance(index, slice):
            return tuple(self._at(i) for i in range(len(self._items))[index])
        return self._at(index)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Proposal]:
        return iter(self.proposals)

    def _key(self) -> tuple[object, ...]:
        # Origins compare equal whatever they point at (where they were written is not what
        # a bid is): only whether they are known, one per proposal, tells two sets apart.
        known = self.source is not None or bool(self._origins)
        return (self.proposals, known, self.name, self.title, self.note)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProposalSet):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"ProposalSet({len(self)} proposals, name={self.name!r}"
            + (", columnar" if self.source is not None else "")
            + ")"
        )

    def origin(self, index: int) -> Origin:
        """Where proposal ``index`` was written (its position when unknown)."""
        if self.source is not None:
            return self.source.origin(index)
        if self._origins:
            return self._origins[index]
        name = self.name
        return Origin(lambda path: Problem("", ("proposals", index, *path), name))

    def get(self, proposal_id: str) -> Proposal:
        """The proposal with this id; :class:`UnknownIdError` with a suggestion otherwise."""
        ids = self.ids
        for n, ident in enumerate(ids):
            if ident == proposal_id:
                return self._at(n)
        raise UnknownIdError(f"no proposal {proposal_id!r}{did_you_mean(proposal_id, ids)}")
