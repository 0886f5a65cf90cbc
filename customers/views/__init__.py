"""Pages of the customers app: sign-in landing pages, customers, the partner profile."""
