"""The Werk & uitstroom page's layout (see the controllers for what it does).

Tabs: Matching (ranked opportunities for a candidate or candidates for an opportunity,
every pair with its reasons, and a proposal for everyone); Placements (the pipeline, and
the placements that clash with lessons); Outflow (with the follow-ups that are due);
Organisations (with their opportunities and the contact log).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.i18n import Translator
from kvds_desktop.ui.forms import DateField
from kvds_desktop.ui.widgets import table


def _row(*widgets: QWidget, stretch_after: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    if stretch_after:
        row.addStretch(1)
    return row


class WorkPage(QWidget):
    """Matching, placements, outflow and organisations."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("workPage")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 8)
        outer.setSpacing(8)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        outer.addWidget(self.title)
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)

        # -- matching --
        matching = QWidget()
        layout = QVBoxLayout(matching)
        layout.setContentsMargins(0, 6, 0, 0)
        self.mode = QComboBox()
        self.mode.setObjectName("matchMode")
        self.target = QComboBox()
        self.target.setObjectName("matchTarget")
        self.target.setMinimumContentsLength(34)
        self.propose = QPushButton()
        self.propose.setObjectName("proposeMatches")
        top = _row(self.mode, self.target)
        top.addWidget(self.propose)
        layout.addLayout(top)
        self.match_hint = QLabel()
        self.match_hint.setWordWrap(True)
        layout.addWidget(self.match_hint)
        self.ranked = table(5, "rankedPairs")
        self.ranked.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        layout.addWidget(self.ranked, 1)
        self.proposal_summary = QLabel()
        self.proposal_summary.setObjectName("pageSummary")
        self.proposal_summary.setWordWrap(True)
        layout.addWidget(self.proposal_summary)
        self.accept = QPushButton()
        self.accept.setObjectName("acceptMatch")
        self.reject = QPushButton()
        self.reject.setObjectName("rejectMatch")
        layout.addLayout(_row(self.accept, self.reject))
        self.tabs.addTab(matching, "")

        # -- placements --
        placements = QWidget()
        layout = QVBoxLayout(placements)
        layout.setContentsMargins(0, 6, 0, 0)
        self.placements = table(7, "placements")
        layout.addWidget(self.placements, 2)
        self.next_stage = QPushButton()
        self.next_stage.setObjectName("nextStage")
        self.end_placement = QPushButton()
        layout.addLayout(_row(self.next_stage, self.end_placement))
        self.clash_title = QLabel()
        self.clash_title.setObjectName("cardTitle")
        layout.addWidget(self.clash_title)
        self.clashes = table(5, "placementClashes")
        layout.addWidget(self.clashes, 1)
        self.tabs.addTab(placements, "")

        # -- outflow --
        outflow = QWidget()
        layout = QVBoxLayout(outflow)
        layout.setContentsMargins(0, 6, 0, 0)
        self.from_label = QLabel()
        self.period_from = DateField()
        self.to_label = QLabel()
        self.period_to = DateField()
        self.show_outflow = QPushButton()
        self.register_outflow = QPushButton()
        self.register_outflow.setObjectName("registerOutflow")
        self.export_outflow = QPushButton()
        layout.addLayout(
            _row(self.from_label, self.period_from, self.to_label, self.period_to,
                 self.show_outflow, self.register_outflow, self.export_outflow)
        )  # fmt: skip
        self.outflow_summary = QLabel()
        self.outflow_summary.setObjectName("pageSummary")
        self.outflow_summary.setWordWrap(True)
        layout.addWidget(self.outflow_summary)
        self.outflow = table(7, "outflow")
        layout.addWidget(self.outflow, 2)
        self.due_title = QLabel()
        self.due_title.setObjectName("cardTitle")
        layout.addWidget(self.due_title)
        self.due = table(5, "followUpsDue")
        layout.addWidget(self.due, 1)
        self.record_follow_up = QPushButton()
        self.record_follow_up.setObjectName("recordFollowUp")
        layout.addLayout(_row(self.record_follow_up))
        self.tabs.addTab(outflow, "")

        # -- organisations --
        organisations = QSplitter()
        organisations.setObjectName("organisationsSplitter")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 6, 0, 0)
        self.organisations = table(4, "organisations")
        self.organisations.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        left_layout.addWidget(self.organisations, 1)
        self.add_organisation = QPushButton()
        self.add_organisation.setObjectName("addOrganisation")
        left_layout.addLayout(_row(self.add_organisation))
        organisations.addWidget(left)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 6, 0, 0)
        self.opportunities_title = QLabel()
        self.opportunities_title.setObjectName("cardTitle")
        right_layout.addWidget(self.opportunities_title)
        self.opportunities = table(6, "opportunities")
        right_layout.addWidget(self.opportunities, 2)
        self.add_opportunity = QPushButton()
        self.add_opportunity.setObjectName("addOpportunity")
        right_layout.addLayout(_row(self.add_opportunity))
        self.contacts_title = QLabel()
        self.contacts_title.setObjectName("cardTitle")
        right_layout.addWidget(self.contacts_title)
        self.contacts = table(4, "contactLog")
        right_layout.addWidget(self.contacts, 1)
        self.log_contact = QPushButton()
        self.log_contact.setObjectName("logContact")
        right_layout.addLayout(_row(self.log_contact))
        organisations.addWidget(right)
        organisations.setSizes([420, 760])
        self.tabs.addTab(organisations, "")

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        self.title.setText(tr._("Work & outflow"))
        for index, text in enumerate(
            (tr._("Matching"), tr._("Placements"), tr._("Outflow"), tr._("Organisations"))
        ):
            self.tabs.setTabText(index, text)
        self.propose.setText(tr._("Propose for everyone"))
        self.match_hint.setText(
            tr._(
                "A match must fall on days without lessons, meet the Dutch level per skill, "
                "the licence and certificates asked, the travel time the candidate can "
                "manage, and a free place. Every pair says which rules it meets and which "
                "it does not; the score orders the ones that fit (weights in Settings)."
            )
        )
        self.ranked.setHorizontalHeaderLabels(
            [tr._("Match"), tr._("Organisation"), tr._("Fits"), tr._("Score"), tr._("Why")]
        )
        self.accept.setText(tr._("Accept the selected match"))
        self.reject.setText(tr._("Not this one…"))
        self.placements.setHorizontalHeaderLabels(
            [tr._("Candidate"), tr._("Organisation"), tr._("Kind"), tr._("Stage"),
             tr._("Days"), tr._("From"), tr._("Until")]
        )  # fmt: skip
        self.next_stage.setText(tr._("Next stage…"))
        self.end_placement.setText(tr._("End the placement…"))
        self.clash_title.setText(tr._("Placements on a day with lessons (coming eight weeks)"))
        self.clashes.setHorizontalHeaderLabels(
            [tr._("Candidate"), tr._("Organisation"), tr._("Lesson"), tr._("Group"),
             tr._("Time")]
        )  # fmt: skip
        self.from_label.setText(tr._("From"))
        self.to_label.setText(tr._("To"))
        self.show_outflow.setText(tr._("Show"))
        self.register_outflow.setText(tr._("Register outflow…"))
        self.export_outflow.setText(tr._("Export…"))
        self.outflow.setHorizontalHeaderLabels(
            [tr._("Candidate"), tr._("Date"), tr._("Kind"), tr._("Employer"),
             tr._("Benefit after"), tr._("6 months"), tr._("12 months")]
        )  # fmt: skip
        self.due_title.setText(tr._("Follow-ups due"))
        self.due.setHorizontalHeaderLabels(
            [tr._("Candidate"), tr._("Outflow"), tr._("Month"), tr._("Due"), tr._("Kind")]
        )
        self.record_follow_up.setText(tr._("Record the follow-up…"))
        self.organisations.setHorizontalHeaderLabels(
            [tr._("Organisation"), tr._("Kind"), tr._("Sector"), tr._("Place")]
        )
        self.add_organisation.setText(tr._("Add organisation…"))
        self.opportunities_title.setText(tr._("Opportunities"))
        self.opportunities.setHorizontalHeaderLabels(
            [tr._("Title"), tr._("Kind"), tr._("Days"), tr._("Hours"), tr._("Level"),
             tr._("Places")]
        )  # fmt: skip
        self.add_opportunity.setText(tr._("Add opportunity…"))
        self.contacts_title.setText(tr._("Contact log"))
        self.contacts.setHorizontalHeaderLabels(
            [tr._("Date"), tr._("By"), tr._("With"), tr._("About")]
        )
        self.log_contact.setText(tr._("Log a contact…"))
