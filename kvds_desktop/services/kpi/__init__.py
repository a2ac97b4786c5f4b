"""Management indicators (KPIs) for the dashboard, each with the candidates behind it."""

from kvds_desktop.services.kpi.compute import compute_kpis, figure_candidates
from kvds_desktop.services.kpi.figures import Figure, KpiGroup, KpiScope, KpiSet
from kvds_desktop.services.kpi.targets import MUNICIPAL_TARGETS, TARGET_END, TARGET_START

__all__ = [
    "MUNICIPAL_TARGETS",
    "TARGET_END",
    "TARGET_START",
    "Figure",
    "KpiGroup",
    "KpiScope",
    "KpiSet",
    "compute_kpis",
    "figure_candidates",
]
