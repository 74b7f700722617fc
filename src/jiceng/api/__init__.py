"""The REST API at /api/v1: token authentication, error handling, and the router mounting each app's api module."""
