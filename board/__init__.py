"""`moodline board`: the supervisor's window over the team's MQTT broker (its reader side)."""
