"""The request builders of the operations tagged registry."""
