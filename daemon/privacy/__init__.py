"""What Moodline does so that chat text kept on disk holds less personal data."""
