"""Names vulture (the static gate's dead-code check, deploy/gate.sh) cannot see being used: each is read by a
library, by name, from a class body, a config module or an object it was given. One line per reason."""

# marshmallow reads a Schema's fields from its class body; the code reads the loaded dict by key
_.unit_name, _.status_label, _.status_since, _.sanction, _.previous_status, _.decree_number, _.decree_date
_.sanction_kind, _.per_status, _.per_category, _.per_region, _.status_url, _.duplicate, _.declaration
_.agency, _.platform, _.post_urls, _.occurred_on, _.location, _.article, _.day_kind, _.running_for
_.changed_at, _.approved_at
# pydantic-settings fields read with getattr(settings, f"{service}_database_url") / f"due_{step}_seconds"
_.intake_database_url, _.routing_database_url, _.notify_database_url, _.desk_database_url
_.due_evidence_archived_seconds, _.due_routed_seconds, _.due_unit_notified_seconds
# gunicorn reads its settings and hooks from the config module (deploy/gunicorn*.conf.py)
_.worker_class, _.accesslog, _.logger_class, _.on_starting, _.child_exit
# kombu's ConsumerMixin calls these hooks and reads should_stop
_.get_consumers, _.on_consume_ready, _.on_connection_error, _.should_stop
# http.server calls do_GET and log_message on the health port's handler
_.do_GET, _.log_message
# aiosmtpd calls a handler's handle_RCPT and handle_DATA with these parameters
_.handle_RCPT, _.handle_DATA, _.rcpt_options
# limits finds a storage class by its STORAGE_SCHEME; MemoryStorage calls its name-mangled expiry method
_.STORAGE_SCHEME, _._MemoryStorage__schedule_expiry
# werkzeug calls Request._get_file_stream with these parameters (services/intake/complaints/uploads.py)
_._get_file_stream, _.content_length, _.total_content_length
# Flask reads these attributes of the app, the request and the session
_.request_class, _.max_content_length, _.max_form_parts, _.permanent
# openpyxl and email.charset read attributes set on their objects
_.number_format, _.header_encoding
# Selenium reads the browser binary from the options; pikepdf writes PDF dictionary keys set as attributes
_.binary_location, _.OpenAction, _.AcroForm, _.AA, _.Resources, _.Contents
# Jinja templates call the functions the desk puts in their globals (services/desk/casefile/casefile_pages.py)
_.may_print_case_file, _.disclosure_panel  # and services/desk/disclosure/pages.py
_.step_view  # services/desk/templates/_steps.html
_.desk_document_limit  # services/desk/templates/_steps.html
_.ppk_late  # services/desk/templates/cases.html
# the scheduler reads each job's cron expression with getattr(settings, job.setting) (services/ops/jobs.py)
_.schedule_purge, _.schedule_holiday_check
# the case list's template builds its paging links with query.link_args (services/desk/templates/cases.html)
_.link_args
# A Protocol (services/*/ports.py) names its parameters as the real class does (minio's Minio.get_object)
_.bucket_name
# evidence reads these fields of case.step_completed from the loaded payload by name (services/evidence/documents.py)
_.bap, _.completed_at
