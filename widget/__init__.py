"""The desktop widget (PySide6): sentiment at a glance, tray, alerts; logic in plain modules."""
