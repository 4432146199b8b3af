"""One module per check; each is registered in `veracity.verify.registry`."""
