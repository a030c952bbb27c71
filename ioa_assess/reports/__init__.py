"""File builders: CSV, Excel, JSON and PDF. They take plain data and return bytes."""
