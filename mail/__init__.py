"""The e-mails the product sends: defaults per language, resellers' overrides, the log."""
