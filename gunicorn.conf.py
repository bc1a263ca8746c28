"""gunicorn's settings for Salon CRM, read from the current directory (gunicorn's default `-c`).

The command line still sets the bind address and the workers; this file sets what must always hold:
the access and error logs go through the phone mask, like every other log of the product.
"""

logger_class = "salon_crm.gunicorn_logger.PhoneMaskingLogger"
