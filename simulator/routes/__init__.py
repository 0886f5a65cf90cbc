"""HTTP routes: the Marketplace API under /marketplace/<region>/, and the /_simulator/ controls."""
