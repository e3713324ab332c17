-- Each submission's digest: only the answers its case's standing reads (the timetable's dates
-- and late reasons, the agency, the case reference and pseudonym, what the timeliness report
-- counts), written when the submission is stored (Annotations::digest). The list of cases reads
-- the digests rather than every form's whole answers. A table of its own, because SQLite reads
-- a column stored after a long body only by walking the body's overflow pages. A submission
-- stored before this migration has no digest, and is read whole.
CREATE TABLE submission_digests (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
    digest TEXT NOT NULL
);
