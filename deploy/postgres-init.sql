-- Each service owns its own database.
CREATE DATABASE netra_routing;
CREATE DATABASE netra_notify;
CREATE DATABASE netra_desk;
