"""The Textual app: screens, widgets, styles; the only room that imports textual."""
