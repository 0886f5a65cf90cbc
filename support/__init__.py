"""Support's desk: one search across every reseller, a read-only order page with its history."""
