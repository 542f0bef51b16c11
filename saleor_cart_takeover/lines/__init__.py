"""Cart lines: configured line options, the checks on the lines a rep asks for, and attribution."""
