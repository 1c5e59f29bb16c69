"""The obvious alternative to Netra, written as a careful engineer would: Flask under gunicorn stages the
upload in MinIO and stores a row, then a Celery chain archive → route → notify does the rest."""
