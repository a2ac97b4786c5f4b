"""Work and outflow: organisations and opportunities, matching with reasons, placements,
outflow with its follow-up, consent. Import the submodules by name."""
