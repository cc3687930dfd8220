//! `WorkflowId` and `WorkflowResult`: handles on the asynchronous backup create, delete and
//! restore jobs, polled through `workflowStatus`.

use async_graphql::SimpleObject;

use crate::schema::enums::WorkflowStatus;

#[derive(SimpleObject)]
pub struct WorkflowId {
    pub workflow_id: Option<String>,
}

#[derive(SimpleObject)]
pub struct WorkflowResult {
    pub error: Option<String>,
    pub status: WorkflowStatus,
}
