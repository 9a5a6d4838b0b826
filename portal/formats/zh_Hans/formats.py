"""Numbers in Chinese pages as Chinese offices print money in figures: thousands grouped by three
with commas (1,234,567.89). Django's own Chinese formats group nothing (an empty separator), so
`intcomma` and `floatformat:"2g"` printed 1234567; the rest of Django's Chinese formats still apply."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
