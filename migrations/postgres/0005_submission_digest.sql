-- Each submission's digest: only the answers its case's standing reads (the timetable's dates,
-- the agency, the case reference and pseudonym, what the timeliness report counts), written
-- beside the whole answers when the submission is stored (Annotations::digest). The list of
-- cases reads the digests rather than every form's whole answers. A submission stored before
-- this migration has none, and is read whole.
ALTER TABLE submissions ADD COLUMN digest TEXT;
