# English readers here are international (the Global Secretariat, India): a day before its
# month in figures would be misread either way, so the short forms name the month.
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
