-- Each service owns its database; no service reads another's tables.
CREATE DATABASE ingest;
CREATE DATABASE timeline;
CREATE DATABASE notify;
