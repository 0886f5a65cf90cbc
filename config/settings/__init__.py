"""Settings modules: `base` (embedded defaults, development), `production`, `test`."""
