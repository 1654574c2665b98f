"""Thai text as officials write it: dates and years, numbers, certificate numbers, names, and the provinces,
districts and sub-districts of all Thailand."""
