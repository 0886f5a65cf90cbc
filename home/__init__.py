"""The page each role starts from after signing in, gathered from orders, customers, reminders."""
