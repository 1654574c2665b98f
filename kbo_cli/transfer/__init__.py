"""Data in and out: spreadsheet import and export, JSON dumps."""
