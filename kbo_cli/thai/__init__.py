"""Thai text as officials write it: dates, certificate numbers, names, provinces and districts."""
