"""One module per operation, each with a public ``build_request`` function."""
