-- Actions: the partnership's plan on the learning of its reviews. One row per action, its body
-- the action's JSON (schemas/records/action.schema.json); the case and the owning agency are
-- kept as columns so that an agency's actions and a case's are found without reading bodies.
-- `version` counts the action's changes from 1, so an update made from a stale copy is refused.
CREATE TABLE actions (
    id TEXT PRIMARY KEY,
    case_id TEXT,
    agency_id TEXT NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE INDEX actions_agency ON actions (agency_id);
