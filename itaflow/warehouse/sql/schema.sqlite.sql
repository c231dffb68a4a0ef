-- Generated from itaflow/warehouse/schema.py for sqlite; do not edit.
-- Regenerate: uv run python -c 'from itaflow.warehouse.schema import write_ddl; write_ddl()'

CREATE TABLE agencies (
	lao_code VARCHAR(16) NOT NULL,
	name_th TEXT NOT NULL,
	full_name_th TEXT NOT NULL,
	lao_type VARCHAR(40) NOT NULL,
	type_th VARCHAR(40) NOT NULL,
	province_code VARCHAR(4) NOT NULL,
	province_th TEXT NOT NULL,
	province_en TEXT,
	district_th TEXT NOT NULL,
	active BOOLEAN NOT NULL,
	CONSTRAINT pk_agencies PRIMARY KEY (lao_code)
);

CREATE INDEX ix_agencies_province_th_district_th ON agencies (province_th, district_th);

CREATE TABLE inbox_sightings (
	inbox_path TEXT NOT NULL,
	size BIGINT NOT NULL,
	mtime_ns BIGINT NOT NULL,
	seen_at DATETIME NOT NULL,
	ctime_ns BIGINT,
	sha256 VARCHAR(64),
	CONSTRAINT pk_inbox_sightings PRIMARY KEY (inbox_path)
);

CREATE TABLE mail_claims (
	fiscal_year INTEGER NOT NULL,
	round VARCHAR(2) NOT NULL,
	province TEXT NOT NULL,
	recipient TEXT NOT NULL,
	status VARCHAR(12) NOT NULL,
	claimed_by TEXT NOT NULL,
	claimed_at DATETIME NOT NULL,
	sent_at DATETIME,
	message_id TEXT,
	error TEXT,
	CONSTRAINT pk_mail_claims PRIMARY KEY (fiscal_year, round, province, recipient),
	CONSTRAINT ck_mail_claims_status CHECK (status IN ('claimed', 'sent', 'failed'))
);

CREATE TABLE report_runs (
	id INTEGER NOT NULL,
	fiscal_year INTEGER NOT NULL,
	round VARCHAR(2) NOT NULL,
	province TEXT,
	run_id TEXT,
	compiled_at DATETIME NOT NULL,
	recipients JSON NOT NULL,
	files JSON NOT NULL,
	submission_ids JSON NOT NULL,
	mail_status VARCHAR(24) NOT NULL,
	mail_message_id TEXT,
	mailed_at DATETIME,
	error TEXT,
	CONSTRAINT pk_report_runs PRIMARY KEY (id),
	CONSTRAINT ck_report_runs_mail_status CHECK (mail_status IN ('pending', 'sent', 'failed', 'written_to_outbox', 'skipped_already_sent'))
);

CREATE INDEX ix_report_runs_fiscal_year_round_province ON report_runs (fiscal_year, round, province);

CREATE TABLE rounds (
	fiscal_year INTEGER NOT NULL,
	round VARCHAR(2) NOT NULL,
	period_start DATE NOT NULL,
	period_end DATE NOT NULL,
	due_date DATE NOT NULL,
	due_date_office DATE,
	CONSTRAINT pk_rounds PRIMARY KEY (fiscal_year, round),
	CONSTRAINT ck_rounds_round CHECK (round IN ('H1', 'FY'))
);

CREATE TABLE reminders (
	id INTEGER NOT NULL,
	lao_code VARCHAR(16) NOT NULL,
	fiscal_year INTEGER NOT NULL,
	round VARCHAR(2) NOT NULL,
	day DATE NOT NULL,
	state VARCHAR(24) NOT NULL,
	recipient TEXT NOT NULL,
	message_id TEXT NOT NULL,
	status VARCHAR(24) NOT NULL,
	run_id TEXT,
	sent_at DATETIME,
	error TEXT,
	CONSTRAINT pk_reminders PRIMARY KEY (id),
	CONSTRAINT ck_reminders_status CHECK (status IN ('pending', 'sent', 'written_to_outbox', 'failed')),
	CONSTRAINT uq_reminders_lao_code_fiscal_year_round_day UNIQUE (lao_code, fiscal_year, round, day),
	CONSTRAINT fk_reminders_lao_code_agencies FOREIGN KEY(lao_code) REFERENCES agencies (lao_code)
);

CREATE TABLE submissions (
	id INTEGER NOT NULL,
	sha256 VARCHAR(64) NOT NULL,
	size BIGINT NOT NULL,
	format TEXT,
	original_name TEXT NOT NULL,
	inbox_path TEXT NOT NULL,
	stored_path TEXT NOT NULL,
	received_at DATETIME NOT NULL,
	run_id TEXT NOT NULL,
	status VARCHAR(24) NOT NULL,
	verdict VARCHAR(24),
	reason TEXT,
	lao_code VARCHAR(16),
	agency_name TEXT,
	stated_district TEXT,
	stated_province TEXT,
	match_score FLOAT,
	fiscal_year INTEGER,
	round VARCHAR(2),
	reporter_name TEXT,
	reporter_position TEXT,
	title TEXT,
	version INTEGER,
	is_current BOOLEAN NOT NULL,
	superseded_by INTEGER,
	loaded_run_id TEXT,
	claimed_at DATETIME,
	arrival_source VARCHAR(16),
	CONSTRAINT pk_submissions PRIMARY KEY (id),
	CONSTRAINT ck_submissions_status CHECK (status IN ('received', 'accepted', 'accepted_with_warnings', 'rejected', 'quarantined')),
	CONSTRAINT uq_submissions_sha256 UNIQUE (sha256),
	CONSTRAINT fk_submissions_lao_code_agencies FOREIGN KEY(lao_code) REFERENCES agencies (lao_code),
	CONSTRAINT fk_submissions_superseded_by_submissions FOREIGN KEY(superseded_by) REFERENCES submissions (id)
);

CREATE INDEX ix_submissions_lao_code_fiscal_year_round ON submissions (lao_code, fiscal_year, round);

CREATE INDEX ix_submissions_status ON submissions (status);

CREATE TABLE measures (
	submission_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	category TEXT,
	indicator TEXT,
	measure TEXT NOT NULL,
	steps TEXT NOT NULL,
	responsible JSON NOT NULL,
	period_text TEXT NOT NULL,
	period_start DATE,
	period_end DATE,
	result TEXT NOT NULL,
	outcome TEXT NOT NULL,
	status VARCHAR(16) NOT NULL,
	raw JSON NOT NULL,
	CONSTRAINT pk_measures PRIMARY KEY (submission_id, position),
	CONSTRAINT fk_measures_submission_id_submissions FOREIGN KEY(submission_id) REFERENCES submissions (id)
);

CREATE TABLE receipts (
	id INTEGER NOT NULL,
	run_id TEXT NOT NULL,
	inbox_path TEXT NOT NULL,
	original_name TEXT NOT NULL,
	sha256 VARCHAR(64) NOT NULL,
	size BIGINT NOT NULL,
	received_at DATETIME NOT NULL,
	submission_id INTEGER NOT NULL,
	is_duplicate BOOLEAN NOT NULL,
	claimed_at DATETIME,
	arrival_source VARCHAR(16),
	CONSTRAINT pk_receipts PRIMARY KEY (id),
	CONSTRAINT uq_receipts_run_id_inbox_path_sha256 UNIQUE (run_id, inbox_path, sha256),
	CONSTRAINT fk_receipts_submission_id_submissions FOREIGN KEY(submission_id) REFERENCES submissions (id)
);

CREATE INDEX ix_receipts_sha256_inbox_path ON receipts (sha256, inbox_path);

CREATE INDEX ix_receipts_submission_id ON receipts (submission_id);

CREATE TABLE findings (
	id INTEGER NOT NULL,
	submission_id INTEGER NOT NULL,
	receipt_id INTEGER,
	measure_seq INTEGER,
	check_id TEXT NOT NULL,
	severity VARCHAR(8) NOT NULL,
	field TEXT,
	message TEXT NOT NULL,
	CONSTRAINT pk_findings PRIMARY KEY (id),
	CONSTRAINT ck_findings_severity CHECK (severity IN ('error', 'warning')),
	CONSTRAINT fk_findings_submission_id_submissions FOREIGN KEY(submission_id) REFERENCES submissions (id),
	CONSTRAINT fk_findings_receipt_id_receipts FOREIGN KEY(receipt_id) REFERENCES receipts (id)
);

CREATE INDEX ix_findings_receipt_id ON findings (receipt_id);

CREATE INDEX ix_findings_submission_id ON findings (submission_id);
