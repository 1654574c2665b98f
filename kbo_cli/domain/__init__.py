"""kbo's rules: pure, keyword-only functions over a database session; they never print, exit or commit."""
