"""Showing results: tables for people, JSON and CSV for programs, the printable HTML report."""
