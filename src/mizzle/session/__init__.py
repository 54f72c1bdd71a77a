"""Sessions: run built queries through a driver."""
