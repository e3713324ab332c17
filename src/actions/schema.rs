//! The action schema, compiled once; its errors in plain English come from
//! [`RecordSchema`], each naming the field by its title and the guidance it rests on.

use std::sync::LazyLock;

use super::ActionError;
use crate::validate::record::RecordSchema;

/// The schema's text, built in.
const TEXT: &str = include_str!("../../schemas/records/action.schema.json");

/// The schema, its validator and its index of titles.
pub(super) type Compiled = RecordSchema;

static COMPILED: LazyLock<Result<Compiled, String>> =
    LazyLock::new(|| RecordSchema::compile(TEXT, "an action"));

/// The compiled schema.
pub(super) fn compiled() -> Result<&'static Compiled, ActionError> {
    COMPILED
        .as_ref()
        .map_err(|reason| ActionError::Schema(reason.clone()))
}
