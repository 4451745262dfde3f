"""Page objects: the app as a user sees it, found by role and accessible name."""
