"""The team view's agent side: the daemon publishes each conversation's level (never its text) to
the team's MQTT broker (docs/protocol.md, "Team view over MQTT (v1)")."""
