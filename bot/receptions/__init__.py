"""Mobile legal receptions: the data (content/receptions.yaml), upcoming ones per region, the
.ics file, reminders (the chat id kept only until sent) and announcements to a region."""
