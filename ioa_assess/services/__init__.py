"""Use cases that pages and the CLI call. Each takes the acting user and checks what it may do."""
