"""English formats that differ from Django's: dates read "4 December 2026" for everyone.

Django's English "N j, Y" ("Dec. 4, 2026") is American; the product is used across many
countries in English, and a day before the month with the month in words is never misread.
The other languages keep Django's own formats ("4. Dezember 2026", "4 décembre 2026").
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
