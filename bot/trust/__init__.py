"""A bot people can trust and share: the inline answers of the guide (`inline.py`)."""
