"""The Uitwisseling page: candidate lists in from the client system, exports out."""
