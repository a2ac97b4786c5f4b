"""The regrouping model: a small mixed-integer program solved with HiGHS.

Plain numbers in, plain numbers out; the database is not touched here.

Variables: a binary ``x[p, g]`` for each person ``p`` and each group ``g`` they may be in
(their current group and the groups that passed every check; people who may not move
are constants); per (group, skill) continuous ``hi`` and ``lo``, the highest and lowest
step of the people in it, and ``top``, the largest spread.

Constraints: each person in exactly one group; per group at most its limit of people;
``hi >= r * x`` and ``lo <= r + (R - r) * (1 - x)`` for a person at step ``r`` (big-M,
with ``R`` the highest step present as the tightest M); ``hi >= lo``; ``top >= hi - lo``;
at most ``max_moves`` moves; "closed" groups take no more newcomers than free seats.

Objective: ``W * top + sum(hi - lo) + move_cost * moves``, ``W`` larger than any sum of
spreads and moves: the largest spread first, then the sum, then few moves. Spreads are
whole steps, so with ``move_cost`` below 1 a move is made only when it narrows spreads.

The big-M rows alone give a weak bound on ``top`` (the pilot's locations solve at once;
a location of 376 members did not get below 4 steps in 5 s), so the largest spread is
pushed down first with a cap ``t``: per (group, skill) a binary ``z[k]`` picks a window
of steps ``k .. k + t`` that must hold everyone in the group (``x[p, g] <= sum of z[k]
over the windows holding r``). :func:`search` tries ``t`` one below the largest spread
with a lean model (windows, capacity and moves only; the first solution found), lower
while one is found, and then spends the remaining time on the full objective under the
lowest cap, starting from the lean solution.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from highspy import HighsLp, HighsModelStatus, HighsSolution, HighsVarType, MatrixFormat
from highspy._core import _Highs

INF = float("inf")
STATUS = {
    HighsModelStatus.kOptimal: "optimal",
    HighsModelStatus.kTimeLimit: "time_limit",
    HighsModelStatus.kInfeasible: "infeasible",
    HighsModelStatus.kSolutionLimit: "solution_limit",
    HighsModelStatus.kInterrupt: "interrupted",
}
SEARCH_SHARE = 0.6  # of the time limit, at most this much goes to lowering the cap


@dataclass(frozen=True)
class Problem:
    """Who may go where, with their steps per skill, and what each group may hold.

    ``options[p]`` lists the groups person ``p`` may be in, their current group first;
    a person with one option stays where they are.
    """

    limits: tuple[int, ...]  # per group: the most people it may hold at the end
    free: tuple[int, ...]  # per group: seats free now
    options: tuple[tuple[int, ...], ...]
    ranks: tuple[Mapping[str, int], ...] = field(hash=False)
    move_cost: float = 0.9
    max_moves: int | None = None

    def current(self, person: int) -> int:
        """The group a person is in now."""
        return self.options[person][0]

    @property
    def high(self) -> int:
        """The highest step anyone has (the big-M)."""
        return max((r for ranks in self.ranks for r in ranks.values()), default=0)


@dataclass(frozen=True)
class Solution:
    """Where everyone ends up, and how the solver got there."""

    assignment: tuple[int, ...]  # per person: their group
    status: str  # optimal, time_limit, infeasible, ...
    found: bool  # False: no solution; ``assignment`` is then the current groups
    variables: int
    constraints: int
    seconds: float


def spreads(problem: Problem, assignment: Sequence[int]) -> dict[tuple[int, str], int]:
    """Per (group, skill): the steps between the highest and the lowest person in it."""
    steps: dict[tuple[int, str], list[int]] = defaultdict(list)
    for p, g in enumerate(assignment):
        for skill, rank in problem.ranks[p].items():
            steps[(g, skill)].append(rank)
    return {key: max(values) - min(values) for key, values in steps.items()}


class _Builder:
    """Columns and rows of a HiGHS model, collected as plain lists."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.starts: list[int] = [0]
        self.index: list[int] = []
        self.value: list[float] = []

    def column(self, cost: float, lower: float, upper: float, integer: bool = False) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, lower: float, upper: float, terms: Iterable[tuple[int, float]]) -> None:
        for column, coefficient in terms:
            self.index.append(column)
            self.value.append(coefficient)
        self.starts.append(len(self.index))
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def lp(self) -> HighsLp:
        lp = HighsLp()
        lp.num_col_, lp.num_row_ = len(self.cost), len(self.row_lower)
        lp.col_cost_ = self.cost
        lp.col_lower_ = self.lower
        lp.col_upper_ = self.upper
        lp.row_lower_ = self.row_lower
        lp.row_upper_ = self.row_upper
        matrix = lp.a_matrix_
        matrix.format_ = MatrixFormat.kRowwise
        matrix.num_col_, matrix.num_row_ = lp.num_col_, lp.num_row_
        matrix.start_ = self.starts
        matrix.index_ = self.index
        matrix.value_ = self.value
        kinds = (HighsVarType.kContinuous, HighsVarType.kInteger)
        lp.integrality_ = [kinds[flag] for flag in self.integer]
        return lp


@dataclass
class _Model:
    """The built model and where its columns are."""

    builder: _Builder
    x: dict[tuple[int, int], int]  # (person, group) -> column
    bounds: dict[tuple[int, str], tuple[int, int]]  # (group, skill) -> (hi, lo) columns
    windows: dict[tuple[int, str], dict[int, int]]  # (group, skill) -> first step -> column
    top: int


def _pairs(
    problem: Problem,
) -> tuple[dict[tuple[int, str], list[int]], dict[tuple[int, str], list[tuple[int, int]]]]:
    """Per (group, skill): the steps of the people who stay, and (person, step) of the
    people who may be there."""
    fixed: dict[tuple[int, str], list[int]] = defaultdict(list)
    mobile: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for p, opts in enumerate(problem.options):
        for skill, rank in problem.ranks[p].items():
            if len(opts) == 1:
                fixed[(opts[0], skill)].append(rank)
            else:
                for g in opts:
                    mobile[(g, skill)].append((p, rank))
    return fixed, mobile


def _build(
    problem: Problem, closed: frozenset[int], cap: int | None, lean: bool = False
) -> _Model | None:
    """The model; None when the people who stay already spread wider than ``cap``.

    A ``lean`` model has only the cap's windows, not ``hi``, ``lo`` and ``top``: it asks
    for any solution under the cap, with few moves.
    """
    b = _Builder()
    high = problem.high
    movable = [p for p, opts in enumerate(problem.options) if len(opts) > 1]
    fixed, mobile = _pairs(problem)
    pairs = sorted(set(fixed) | set(mobile))
    weight = len(pairs) * high + problem.move_cost * len(movable) + 1
    x = {
        (p, g): b.column(0.0 if g == problem.current(p) else problem.move_cost, 0, 1, True)
        for p in movable
        for g in problem.options[p]
    }
    top = b.column(0.0 if lean else weight, 0, high if cap is None else min(cap, high))
    bounds, windows = {}, {}
    for key in pairs:
        ranks = fixed.get(key, [])
        if cap is not None and cap < high:
            firsts = [k for k in range(high - cap + 1) if all(k <= r <= k + cap for r in ranks)]
            if not firsts:
                return None
            windows[key] = {k: b.column(0.0, 0, 1, True) for k in firsts}
            b.row(1, 1, ((column, 1.0) for column in windows[key].values()))
            for p, rank in mobile.get(key, []):
                holding = [c for k, c in windows[key].items() if k <= rank <= k + cap]
                b.row(-INF, 0, [(x[(p, key[0])], 1.0), *((c, -1.0) for c in holding)])
        if lean:
            continue
        hi = b.column(1.0, max(ranks, default=0), high)
        lo = b.column(-1.0, 0, min(ranks, default=high))
        bounds[key] = (hi, lo)
        b.row(0, INF, ((hi, 1.0), (lo, -1.0)))
        b.row(0, INF, ((top, 1.0), (hi, -1.0), (lo, 1.0)))
        for p, rank in mobile.get(key, []):
            b.row(0, INF, ((hi, 1.0), (x[(p, key[0])], -float(rank))))
            b.row(-INF, high, ((lo, 1.0), (x[(p, key[0])], float(high - rank))))
    for p in movable:
        b.row(1, 1, ((x[(p, g)], 1.0) for g in problem.options[p]))
    _capacity_rows(b, problem, x, closed)
    if problem.max_moves is not None and movable:
        stays = ((x[(p, problem.current(p))], 1.0) for p in movable)
        b.row(len(movable) - problem.max_moves, INF, stays)
    return _Model(b, x, bounds, windows, top)


def _capacity_rows(
    b: _Builder, problem: Problem, x: dict[tuple[int, int], int], closed: frozenset[int]
) -> None:
    arriving: dict[int, list[int]] = defaultdict(list)
    staying: dict[int, int] = defaultdict(int)
    for p, opts in enumerate(problem.options):
        if len(opts) == 1:
            staying[opts[0]] += 1
        for g in opts:
            arriving[g].append(p)
    for g, people in sorted(arriving.items()):
        columns = [x[(p, g)] for p in people if (p, g) in x]
        if columns:
            b.row(-INF, problem.limits[g] - staying[g], ((c, 1.0) for c in columns))
        newcomers = [x[(p, g)] for p in people if (p, g) in x and problem.current(p) != g]
        if g in closed and newcomers:
            b.row(-INF, problem.free[g], ((c, 1.0) for c in newcomers))


def _start(problem: Problem, model: _Model, assignment: Sequence[int]) -> HighsSolution:
    """``assignment`` as a first solution for the solver to improve."""
    values = [0.0] * len(model.builder.cost)
    for p, g in enumerate(assignment):
        if (p, g) in model.x:
            values[model.x[(p, g)]] = 1.0
    members: dict[tuple[int, str], list[int]] = defaultdict(list)
    for p, g in enumerate(assignment):
        for skill, rank in problem.ranks[p].items():
            members[(g, skill)].append(rank)
    largest = 0
    for key, (hi, lo) in model.bounds.items():
        ranks = members.get(key, [0])
        values[hi], values[lo] = max(ranks), min(ranks)
        largest = max(largest, max(ranks) - min(ranks))
        firsts = model.windows.get(key, {})
        if firsts:
            wanted = min(ranks) if key in members else min(firsts)
            values[firsts[min(firsts, key=lambda k: (abs(k - wanted), k))]] = 1.0
    values[model.top] = largest
    solution = HighsSolution()
    solution.col_value = values
    return solution


def solve(
    problem: Problem,
    time_limit: float,
    *,
    closed: frozenset[int] = frozenset(),
    cap: int | None = None,
    start: Sequence[int] | None = None,
    lean: bool = False,
) -> Solution:
    """The best assignment HiGHS finds within ``time_limit`` seconds.

    ``closed`` groups take no more newcomers than they have free seats; ``cap`` bounds
    every spread; ``start`` is a known solution to improve (it must respect the cap);
    a ``lean`` model (the cap alone) stops at its first solution. Without a solution everyone keeps
    their current group and ``found`` is False.
    """
    current = tuple(problem.current(p) for p in range(len(problem.options)))
    model = _build(problem, closed, cap, lean)
    if model is None:
        return Solution(current, "infeasible", False, 0, 0, 0.0)
    size = (len(model.builder.cost), len(model.builder.row_lower))
    if not model.x:
        return Solution(current, "optimal", True, *size, 0.0)
    # highspy.Highs() writes HiGHS's banner to stdout while it is being made, before
    # output_flag can be turned off (that would spoil `kvds --json`); its core is silent.
    highs = _Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", max(0.05, float(time_limit)))
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", 1e-6)
    highs.setOptionValue("random_seed", 2019)
    if lean:
        highs.setOptionValue("mip_max_improving_sols", 1)
    highs.passModel(model.builder.lp())
    if start is not None:
        highs.setSolution(_start(problem, model, start))
    started = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - started
    status = highs.getModelStatus()
    name = STATUS.get(status) or highs.modelStatusToString(status).lower().replace(" ", "_")
    if highs.getInfo().primal_solution_status != 2:  # no feasible solution
        return Solution(current, name, False, *size, seconds)
    values = highs.getSolution().col_value
    assignment = list(current)
    for (p, g), column in model.x.items():
        if values[column] > 0.5:
            assignment[p] = g
    return Solution(tuple(assignment), name, True, *size, seconds)


def moves_in_order(problem: Problem, assignment: Sequence[int]) -> tuple[list[int], set[int]]:
    """The people who move, in an order that never puts a group over its limit.

    One at a time, the first remaining move whose target has a free seat (counting the
    moves made before it) goes next. Returns that order and the targets of the moves
    left over: groups that stay full until someone leaves them, who in turn waits for
    a seat in another of these groups (a circle of swaps between full groups).
    """
    counts = [0] * len(problem.limits)
    for p in range(len(problem.options)):
        counts[problem.current(p)] += 1
    remaining = [p for p, g in enumerate(assignment) if g != problem.current(p)]
    ordered: list[int] = []
    placed = True
    while remaining and placed:
        placed = False
        for p in remaining:
            target = assignment[p]
            if counts[target] < problem.limits[target]:
                counts[target] += 1
                counts[problem.current(p)] -= 1
                ordered.append(p)
                remaining.remove(p)
                placed = True
                break
    return ordered, {assignment[p] for p in remaining}


@dataclass(frozen=True)
class Result:
    """The outcome of :func:`search`: the moves in an order that can be made."""

    assignment: tuple[int, ...]  # per person: their group after the moves
    order: tuple[int, ...]  # the people who move, in the order to move them
    status: str  # optimal, or time_limit: the best found in the time given
    variables: int
    constraints: int
    seconds: float


def search(problem: Problem, time_limit: float) -> Result:
    """Lower the largest spread step by step, then make the best of the lowest cap found.

    Each cap one below the best so far is tried with a lean model until none is found
    (or it is proved impossible) or :data:`SEARCH_SHARE` of the time is spent; the rest
    of the time goes to the sum of spreads and the number of moves under that cap.
    When moves cannot be ordered within capacity (swaps between full groups), their
    target groups are closed (no more newcomers than free seats) and the step is solved
    again. The status is ``optimal`` only when the lowest cap is proved (the next one
    lower is impossible) and the last solve is optimal too.
    """
    deadline = time.perf_counter() + time_limit
    current = tuple(problem.current(p) for p in range(len(problem.options)))
    best = current
    order: tuple[int, ...] = ()
    cap = max(spreads(problem, current).values(), default=0)
    closed: frozenset[int] = frozenset()
    proved, seconds = cap == 0, 0.0
    while cap > 0:
        left = deadline - time.perf_counter() - (1 - SEARCH_SHARE) * time_limit
        if left <= 0.05:
            break
        trial = solve(problem, left, closed=closed, cap=cap - 1, lean=True)
        seconds += trial.seconds
        if not trial.found:
            proved = trial.status == "infeasible"
            break
        ordered, stuck = moves_in_order(problem, trial.assignment)
        if stuck:
            closed |= stuck  # the same cap again, without these swaps
            continue
        lower = max(spreads(problem, trial.assignment).values(), default=0)
        if lower >= cap:
            break
        best, order, cap, proved = trial.assignment, tuple(ordered), lower, lower == 0
    status, size, tries = "time_limit", (0, 0), 0
    while tries == 0 or deadline - time.perf_counter() > 0.05:
        tries += 1
        left = max(0.05, deadline - time.perf_counter())
        final = solve(problem, left, closed=closed, cap=cap, start=best)
        seconds += final.seconds
        size = (final.variables, final.constraints)
        ordered, stuck = moves_in_order(problem, final.assignment)
        if final.found and not stuck:
            best, order = final.assignment, tuple(ordered)
            status = final.status if proved or final.status != "optimal" else "time_limit"
            break
        if not final.found:
            break
        closed |= stuck
    return Result(best, order, status, *size, round(seconds, 3))
