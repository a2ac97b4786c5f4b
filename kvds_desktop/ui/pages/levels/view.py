"""The Niveaus & examens page's layout (see controller.py for what it does).

Tab Group: the chosen group's members with their latest level per skill (coloured by
level), target, term end and outlook, and why; beside it the chosen candidate's chart,
assessments, exams and modules. Tab Regroup: a proposal of moves that makes the groups
of a location less mixed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.i18n import Translator
from kvds_desktop.ui.pages.levels.chart import LevelChart
from kvds_desktop.ui.widgets import table

GROUP_COLUMNS = 9  # name, outlook, target, term end, four skills, why


class LevelsPage(QWidget):
    """Levels per group and candidate, exams, modules, and the regrouping proposal."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("levelsPage")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 8)
        outer.setSpacing(8)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        top.addWidget(self.title)
        top.addStretch(1)
        self.group_label = QLabel()
        self.group = QComboBox()
        self.group.setObjectName("levelsGroup")
        self.group.setMinimumContentsLength(22)
        self.at_risk = QCheckBox()
        self.at_risk.setObjectName("atRisk")
        for widget in (self.group_label, self.group, self.at_risk):
            top.addWidget(widget)
        outer.addLayout(top)

        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)
        self.splitter = QSplitter()
        self.splitter.setObjectName("levelsSplitter")
        self.tabs.addTab(self.splitter, "")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 6, 0, 0)
        self.members = table(GROUP_COLUMNS, "levelMembers")
        self.members.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        left_layout.addWidget(self.members, 1)
        self.spread = QLabel()
        self.spread.setObjectName("banner")
        self.spread.setWordWrap(True)
        left_layout.addWidget(self.spread)
        self.method = QLabel()
        self.method.setWordWrap(True)
        self.method.setObjectName("pageSummary")
        left_layout.addWidget(self.method)
        row = QHBoxLayout()
        self.enter_levels = QPushButton()
        self.enter_levels.setObjectName("enterLevels")
        self.export = QPushButton()
        row.addWidget(self.enter_levels)
        row.addWidget(self.export)
        row.addStretch(1)
        left_layout.addLayout(row)
        self.splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 6, 0, 0)
        self.person = QLabel()
        self.person.setObjectName("cardTitle")
        self.person.setWordWrap(True)
        right_layout.addWidget(self.person)
        self.outlook = QLabel()
        self.outlook.setWordWrap(True)
        right_layout.addWidget(self.outlook)
        self.chart = LevelChart()
        right_layout.addWidget(self.chart, 2)
        self.details = QTabWidget()
        self.assessments = table(5, "assessments")
        self.exams = table(5, "examParts")
        self.modules = QLabel()
        self.modules.setWordWrap(True)
        self.modules.setObjectName("moduleText")
        self.modules.setAlignment(self.modules.alignment())
        self.details.addTab(self.assessments, "")
        self.details.addTab(self.exams, "")
        self.details.addTab(self.modules, "")
        right_layout.addWidget(self.details, 2)
        buttons = QGridLayout()
        self.add_assessment = QPushButton()
        self.add_assessment.setObjectName("addAssessment")
        self.exam_attempt = QPushButton()
        self.exemption = QPushButton()
        self.module_entry = QPushButton()
        self.print_report = QPushButton()
        self.print_report.setObjectName("printProgress")
        for index, button in enumerate(
            (self.add_assessment, self.exam_attempt, self.exemption, self.module_entry,
             self.print_report)
        ):  # fmt: skip
            buttons.addWidget(button, index // 2, index % 2)
        right_layout.addLayout(buttons)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([860, 420])

        regroup = QWidget()
        regroup_layout = QVBoxLayout(regroup)
        regroup_layout.setContentsMargins(0, 6, 0, 0)
        row = QHBoxLayout()
        self.location_label = QLabel()
        self.location = QComboBox()
        self.location.setObjectName("regroupLocation")
        self.propose = QPushButton()
        self.propose.setObjectName("proposeRegroup")
        row.addWidget(self.location_label)
        row.addWidget(self.location)
        row.addWidget(self.propose)
        row.addStretch(1)
        regroup_layout.addLayout(row)
        self.regroup_hint = QLabel()
        self.regroup_hint.setWordWrap(True)
        regroup_layout.addWidget(self.regroup_hint)
        self.regroup_summary = QLabel()
        self.regroup_summary.setObjectName("pageSummary")
        self.regroup_summary.setWordWrap(True)
        regroup_layout.addWidget(self.regroup_summary)
        self.moves = table(5, "regroupMoves")
        regroup_layout.addWidget(self.moves, 2)
        self.spreads = table(3, "regroupSpreads")
        regroup_layout.addWidget(self.spreads, 1)
        row = QHBoxLayout()
        self.apply_move = QPushButton()
        self.apply_move.setObjectName("applyMove")
        row.addWidget(self.apply_move)
        row.addStretch(1)
        regroup_layout.addLayout(row)
        self.tabs.addTab(regroup, "")

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        self.title.setText(tr._("Levels & exams"))
        self.group_label.setText(tr._("Group"))
        self.at_risk.setText(tr._("Only who will not reach the target in time"))
        self.tabs.setTabText(0, tr._("Group and candidate"))
        self.tabs.setTabText(1, tr._("Regroup"))
        self.enter_levels.setText(tr._("Enter levels for the group…"))
        self.export.setText(tr._("Export progress…"))
        self.method.setText(
            tr._(
                "How the forecast works: a straight line through a skill's levels of the "
                "last two years, extended to the target. Fewer than two measurements, or no "
                "rise, give no date. 'Late' means the line reaches the target after the "
                "term ends."
            )
        )
        self.details.setTabText(0, tr._("Assessments"))
        self.details.setTabText(1, tr._("Exams"))
        self.details.setTabText(2, tr._("MAP, ONA, PVT"))
        self.assessments.setHorizontalHeaderLabels(
            [tr._("Date"), tr._("Skill"), tr._("Level"), tr._("How"), tr._("By")]
        )
        self.exams.setHorizontalHeaderLabels(
            [tr._("Part"), tr._("Target"), tr._("Attempts"), tr._("Result"), tr._("Exemption")]
        )
        self.add_assessment.setText(tr._("Add assessment…"))
        self.exam_attempt.setText(tr._("Exam attempt…"))
        self.exemption.setText(tr._("Exemption…"))
        self.module_entry.setText(tr._("MAP / ONA / PVT…"))
        self.print_report.setText(tr._("Progress report…"))
        self.location_label.setText(tr._("Location"))
        self.propose.setText(tr._("Propose moves"))
        self.regroup_hint.setText(
            tr._(
                "The proposal moves candidates between the groups of the location so that "
                "the levels within a group lie closer together, without going over a "
                "group's capacity and only where the new group's lessons fit the "
                "candidate's other commitments. Apply the moves you agree with one by one."
            )
        )
        self.moves.setHorizontalHeaderLabels(
            [tr._("Candidate"), tr._("From"), tr._("To"), tr._("Levels"), tr._("Why")]
        )
        self.spreads.setHorizontalHeaderLabels([tr._("Group"), tr._("Now"), tr._("After")])
        self.apply_move.setText(tr._("Apply the selected move…"))
