"""Know your rights: the FAQ guide (content loading and checks, search, screens)."""
