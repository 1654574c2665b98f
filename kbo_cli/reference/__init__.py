"""The reviewed data files (data/): standards catalogue, categories, agencies; nothing here touches the database."""
