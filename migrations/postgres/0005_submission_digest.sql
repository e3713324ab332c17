-- Each submission's digest: only the answers its case's standing reads (the timetable's dates
-- and late reasons, the agency, the case reference and pseudonym, what the timeliness report
-- counts), written when the submission is stored (Annotations::digest). The list of cases reads
-- the digests rather than every form's whole answers (a table of its own, as in SQLite). A
-- submission stored before this migration has no digest, and is read whole.
CREATE TABLE submission_digests (
    submission_id BIGINT PRIMARY KEY REFERENCES submissions (id),
    digest TEXT NOT NULL
);
