"""The Aanwezigheid page: a lesson's register, entered with the keyboard and saved at once."""
