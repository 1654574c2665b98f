"""The database: tables, engines and transactions, migrations, history of changes."""
