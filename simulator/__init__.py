"""A stand-in for the distributor's Cloud Marketplace API (CloudBlue SimpleAPI 1.15)."""
