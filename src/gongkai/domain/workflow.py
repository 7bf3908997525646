"""The workflow engine: a transition table as data, one check, one set of Chinese refusals.

Every procedure of gongkai that moves a piece of work through states — an application for
disclosure, a document on its way to the public column, the year's annual report — is a
:class:`Workflow` built from a table of :class:`Transition` rows. A row says from which states an
action may be taken, by which roles, into which state, which fields its form asks for, whether it
can be taken back (the page asks for confirmation), which clock event it adds to a case's history
and what it records in the decision log. The action's Chinese label is the button word.

The engine holds what the workflows share, so that each workflow module keeps only its enums, its
table and the rules of its own (the clocks of an application, the confidentiality pass of a
document, the readiness of a report):

- :meth:`Workflow.allowed` — the row for (state, action) and the actor's role, or
  :class:`~gongkai.domain.errors.TransitionNotAllowed` with the reason ("…处于“X”状态，不能“Y”
  （仅在…状态下可以）", "“Y”应由…操作");
- :meth:`Workflow.validate` — the row's fields (:mod:`gongkai.domain.fields`), raising
  :class:`~gongkai.domain.fields.FieldError` naming the field; :meth:`Workflow.check` does both and
  resolves a target given by a field;
- :meth:`Workflow.available_actions`, :meth:`Workflow.transition_for`, :meth:`Workflow.acting_role`;
- the table's self-check, run when the workflow is built (an import fails on a broken table):
  one row per (state, action), no move out of a terminal state, every field has a spec, every
  target is a state, every state reachable from the initial ones, every non-terminal state has a
  way out, every action used, every button word unique within the workflow (also before any
  bracket or slash: two buttons both reading “撤回…” would be ambiguous), a return says why;
- the history contract, :class:`Move`: what a service records for a move.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from gongkai.domain.clocks import ClockEvent, EventKind
from gongkai.domain.errors import TransitionNotAllowed, member
from gongkai.domain.fields import FieldSpec, validate_fields
from gongkai.domain.roles import Role, known_roles

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)

# The words a reason for a move is given in, in the order a log takes its comment from.
COMMENT_FIELDS = ("comment", "reason")


@dataclass(frozen=True)
class Transition(Generic[S, A]):
    """One row of a table. Most attributes matter to one workflow only and default to "not used".

    ``to`` None: the target is the state named by the field ``to_field`` (resolved by the check).
    ``labels`` renames a field for this row's form (e.g. ``comment`` → 退回意见).
    ``result``: what a review decision concluded, for the decision log.
    ``returns``: the move sends the work back; it must say why (a required comment or reason).
    ``outcome``: the fixed outcome a concluding move gives a case (or ``outcome_field``: the field
    that names it, e.g. a reply's ``outcome_code``); ``public``: True only while a
    version is public, False only before any publication; ``freezes``: the version is frozen.
    """

    action: A
    sources: frozenset[S]
    to: S | None
    actors: frozenset[Role]
    required: tuple[str, ...] = ()
    one_of: tuple[tuple[str, ...], ...] = ()  # exactly one field of each group
    optional: tuple[str, ...] = ()
    irreversible: bool = False  # the case ends or a once-only step is used up: the page asks to confirm
    event: EventKind | None = None
    event_fields: tuple[tuple[str, str], ...] = ()  # (ClockEvent attribute, field name)
    to_field: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    result: StrEnum | None = None
    returns: bool = False
    outcome: str | None = None
    outcome_field: str = ""
    public: bool | None = None
    freezes: bool = False
    basis: str = ""

    @property
    def button(self) -> str:
        """The button word: the action's Chinese label."""
        return self.action.label  # type: ignore[attr-defined]

    @property
    def field_names(self) -> tuple[str, ...]:
        """Every field the action's form shows, in order."""
        return self.required + tuple(n for g in self.one_of for n in g) + self.optional

    def outcome_code(self, fields: Mapping[str, Any]) -> str | None:
        """The outcome the move ends the work with, or None if it does not end it."""
        if self.outcome is not None:
            return self.outcome
        if self.outcome_field:
            return str(fields[self.outcome_field])
        return None

    def clock_events(self, fields: Mapping[str, Any]) -> tuple[ClockEvent, ...]:
        """The clock events this move adds to a case's history (fields already checked)."""
        if self.event is None:
            return ()
        values = {attr: fields.get(name) for attr, name in self.event_fields}
        values["party"] = values.get("party") or ""
        return (ClockEvent(self.event, **values),)


def row(action: A, sources: Iterable[S], to: S | None, actors: Iterable[Role], **kw: Any) -> Transition[S, A]:
    """A table row, with sources and actors given as any iterable."""
    return Transition(action, frozenset(sources), to, frozenset(actors), **kw)


@dataclass(frozen=True)
class Move:
    """The history contract: what a service records for a move, whatever its log looks like.

    ``action``, ``from_state``, ``to_state``, ``role`` (the role the actor acted in) and ``result``
    are the enum values as stored; ``comment`` is the reason given (the ``comment`` or ``reason``
    field, stripped); ``details`` the move's other fields that were filled in. The service adds
    the actor (the user and the label shown in the log) and the time, and writes
    :meth:`change_reason` into the record's history.
    """

    action: str
    button: str
    from_state: str
    to_state: str
    role: str
    result: str
    comment: str
    details: Mapping[str, Any]

    def change_reason(self, actor_label: str) -> str:
        return f"{actor_label}：{self.button}"


def _core(word: str) -> str:
    # the part of a button word before a bracket or a slash: what a reader takes the button to say
    return re.split(r"[（(/／]", word, maxsplit=1)[0].strip()


class Workflow(Generic[S, A]):
    """A transition table with its check. Built once per workflow, at import; the table is checked then.

    ``subject`` names the thing in refusals (申请, 文件, 年度报告); ``state_word`` names its state in
    the refusal of an unknown value (办理状态); ``terminal_note`` is said when a move is asked of a
    finished piece of work (e.g. "办理已结束，").
    """

    def __init__(
        self,
        *,
        subject: str,
        state_word: str,
        states: type[S],
        actions: type[A],
        transitions: tuple[Transition[S, A], ...],
        field_specs: Mapping[str, FieldSpec],
        initial: Iterable[S],
        terminal: Iterable[S] = (),
        terminal_note: str = "",
    ):
        self.subject = subject
        self.state_word = state_word
        self.states = states
        self.actions = actions
        self.transitions = transitions
        self.field_specs = field_specs
        self.initial = frozenset(initial)
        self.terminal = frozenset(terminal)
        self.terminal_note = terminal_note
        self._rows: Mapping[tuple[S, A], Transition[S, A]] = MappingProxyType(
            {(s, t.action): t for t in transitions for s in t.sources}
        )
        problems = self.problems()
        if problems:
            raise RuntimeError(f"{subject} transition table: " + "; ".join(problems))

    # -- the table's self-check ----------------------------------------------------------------------

    def problems(self) -> list[str]:
        """Everything wrong with the table (empty for a sound one)."""
        out: list[str] = []
        seen: set[tuple[S, A]] = set()
        for t in self.transitions:
            name = t.action.value
            out += [f"{name}: {s.value} twice" for s in t.sources if (s, t.action) in seen]
            seen.update((s, t.action) for s in t.sources)
            out += [f"{name}: from terminal {s.value}" for s in t.sources if s in self.terminal]
            out += [f"{name}: {s!r} is not a state" for s in t.sources if not isinstance(s, self.states)]
            out += [f"{name}: unknown field {n}" for n in t.field_names if n not in self.field_specs]
            out += [f"{name}: label for unused field {n}" for n in t.labels if n not in t.field_names]
            if t.outcome_field and t.outcome_field not in t.required:
                out.append(f"{name}: outcome field {t.outcome_field} not required")
            if t.to is None:
                if t.to_field not in t.required or not set(self.field_specs[t.to_field].choices) <= {
                    s.value for s in self.states
                }:
                    out.append(f"{name}: no target, and no required field naming states")
            elif not isinstance(t.to, self.states):
                out.append(f"{name}: target {t.to!r} is not a state")
            if t.returns and not set(t.required) & set(COMMENT_FIELDS):
                out.append(f"{name}: a return must say why")
            if not t.actors:
                out.append(f"{name}: nobody may take it")
        used = {t.action for t in self.transitions}
        out += [f"{a.value}: not in the table" for a in self.actions if a not in used]
        words: dict[str, A] = {}
        for a in self.actions:
            word = _core(a.label)  # type: ignore[attr-defined]
            if word in words:
                out.append(f"button word “{word}” of {a.value} also begins {words[word].value}")
            words[word] = a
        reached = set(self.initial)
        frontier = list(self.initial)
        while frontier:
            state = frontier.pop()
            for t in self.transitions:
                if state in t.sources:
                    for target in self._targets(t):
                        if target not in reached:
                            reached.add(target)
                            frontier.append(target)
        out += [f"{s.value}: unreachable" for s in self.states if s not in reached]
        exits = {s for t in self.transitions for s in t.sources}
        out += [f"{s.value}: no way out" for s in self.states if s not in self.terminal and s not in exits]
        return out

    def _targets(self, t: Transition[S, A]) -> list[S]:
        if t.to is not None:
            return [t.to]
        return [self.states(v) for v in self.field_specs[t.to_field].choices]

    # -- reading the table -------------------------------------------------------------------------

    def state(self, value: S | str) -> S:
        return member(self.states, value, self.state_word)

    def action(self, value: A | str) -> A:
        return member(self.actions, value, "操作")

    def transition_for(self, state: S | str, action: A | str) -> Transition[S, A] | None:
        """The table row for (state, action), unchecked (for showing a form's fields)."""
        return self._rows.get((self.state(state), self.action(action)))

    def sources_of(self, action: A) -> list[S]:
        """The states from which ``action`` may be taken, in state order."""
        return [s for s in self.states if (s, action) in self._rows]

    def who(self, t: Transition[S, A]) -> str:
        """The roles that may take a row, in Chinese (经办人或办公室主任)."""
        return "或".join(r.label for r in Role if r in t.actors)

    def field_label(self, t: Transition[S, A], name: str) -> str:
        """A field's label on this row's form."""
        return t.labels.get(name) or self.field_specs[name].label

    def acting_role(self, t: Transition[S, A], actor_roles: Iterable[str]) -> Role:
        """The role in which someone holding ``actor_roles`` takes ``t`` (first in Role order)."""
        roles = known_roles(actor_roles) & t.actors
        for r in Role:
            if r in roles:
                return r
        raise TransitionNotAllowed(f"“{t.button}”应由{self.who(t)}操作")

    def available_actions(
        self,
        state: S | str,
        actor_roles: Iterable[str],
        keep: Callable[[Transition[S, A]], bool] | None = None,
    ) -> list[A]:
        """The buttons to show: actions allowed in ``state`` for these roles, in table order,
        leaving out the rows ``keep`` says no to (a workflow's own rules)."""
        state, roles = self.state(state), known_roles(actor_roles)
        out: list[A] = []
        for t in self.transitions:
            if state not in t.sources or not roles & t.actors or t.action in out:
                continue
            if keep is not None and not keep(t):
                continue
            out.append(t.action)
        return out

    # -- the check ------------------------------------------------------------------------------------

    def allowed(self, state: S | str, action: A | str, actor_roles: Iterable[str]) -> Transition[S, A]:
        """The row for the move if the state and the actor's roles allow it; TransitionNotAllowed otherwise."""
        state, action = self.state(state), self.action(action)
        t = self._rows.get((state, action))
        button = action.label  # type: ignore[attr-defined]
        label = state.label  # type: ignore[attr-defined]
        if t is None:
            if state in self.terminal:
                raise TransitionNotAllowed(f"{self.subject}已“{label}”，{self.terminal_note}不能再“{button}”")
            where = "、".join(f"“{s.label}”" for s in self.sources_of(action))  # type: ignore[attr-defined]
            raise TransitionNotAllowed(f"{self.subject}处于“{label}”状态，不能“{button}”（仅在{where}状态下可以）")
        if not known_roles(actor_roles) & t.actors:
            raise TransitionNotAllowed(f"“{button}”应由{self.who(t)}操作")
        return t

    def validate(self, t: Transition[S, A], fields: Mapping[str, Any]) -> Transition[S, A]:
        """Check the row's fields (FieldError naming the field); returns the row with its target resolved."""
        specs = self.field_specs
        if t.labels:
            specs = {**specs, **{n: dataclasses.replace(specs[n], label=lab) for n, lab in t.labels.items()}}
        validate_fields(specs, fields, required=t.required, one_of=t.one_of, optional=t.optional)
        if t.to is None:
            return dataclasses.replace(t, to=self.states(fields[t.to_field]))
        return t

    def check(
        self, state: S | str, action: A | str, *, actor_roles: Iterable[str], fields: Mapping[str, Any]
    ) -> Transition[S, A]:
        """:meth:`allowed` then :meth:`validate`: the row that allows this move, with its target."""
        return self.validate(self.allowed(state, action, actor_roles), fields)

    # -- the history contract --------------------------------------------------------------------------

    def move(
        self, t: Transition[S, A], *, from_state: S | str, actor_roles: Iterable[str], fields: Mapping[str, Any]
    ) -> Move:
        """What to record for a checked move (``t`` as :meth:`check` returned it)."""
        comment = next((str(fields[n]).strip() for n in COMMENT_FIELDS if fields.get(n)), "")
        details = {k: v for k, v in fields.items() if k not in COMMENT_FIELDS and v not in (None, "")}
        assert t.to is not None, "a move is recorded once its target is resolved"
        return Move(
            action=t.action.value,
            button=t.button,
            from_state=self.state(from_state).value,
            to_state=t.to.value,
            role=self.acting_role(t, actor_roles).value,
            result=t.result.value if t.result is not None else "",
            comment=comment,
            details=MappingProxyType(details),
        )
