"""What an operator watches: health and readiness, metrics, traces and structured logs."""
