//! The background writer: takes records off a queue and inserts them in batches, then trims
//! the history to its retention.

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use tokio::sync::{mpsc, oneshot};

use crate::entity::call_log;

const QUEUE: usize = 10_000;
const BATCH: usize = 500;

pub(super) enum Message {
    Record(Box<call_log::Model>),
    /// Answers once everything queued before it is stored.
    Flush(oneshot::Sender<()>),
}

pub(super) struct Writer {
    sender: mpsc::Sender<Message>,
}

impl Writer {
    pub(super) fn spawn(db: DatabaseConnection, retention: u64) -> Self {
        let (sender, receiver) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, retention, receiver));
        Self { sender }
    }

    pub(super) fn sender(&self) -> mpsc::Sender<Message> {
        self.sender.clone()
    }

    pub(super) async fn flush(&self) {
        let (done, stored) = oneshot::channel();
        if self.sender.send(Message::Flush(done)).await.is_ok() {
            let _ = stored.await;
        }
    }
}

async fn run(db: DatabaseConnection, retention: u64, mut receiver: mpsc::Receiver<Message>) {
    let mut messages = Vec::with_capacity(BATCH);
    while receiver.recv_many(&mut messages, BATCH).await > 0 {
        let mut rows = Vec::new();
        let mut flushed = Vec::new();
        for message in messages.drain(..) {
            match message {
                Message::Record(row) => rows.push(*row),
                Message::Flush(done) => flushed.push(done),
            }
        }
        if !rows.is_empty() {
            if let Err(err) = store(&db, rows).await {
                tracing::error!(error = %err, "could not store call history records");
            } else if let Err(err) = trim(&db, retention).await {
                tracing::error!(error = %err, "could not trim the call history");
            }
        }
        for done in flushed {
            let _ = done.send(());
        }
    }
}

async fn store(db: &DatabaseConnection, rows: Vec<call_log::Model>) -> Result<(), sea_orm::DbErr> {
    let active = rows.into_iter().map(|row| call_log::ActiveModel {
        id: NotSet,
        at_micros: Set(row.at_micros),
        connection_name: Set(row.connection_name),
        cloud_os: Set(row.cloud_os),
        region_zone: Set(row.region_zone),
        resource_type: Set(row.resource_type),
        resource_name: Set(row.resource_name),
        api: Set(row.api),
        elapsed_micros: Set(row.elapsed_micros),
        error_msg: Set(row.error_msg),
        request_id: Set(row.request_id),
    });
    call_log::Entity::insert_many(active)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Deletes all but the newest `retention` records. Ids only grow, so the cut is a range on
/// the primary key below the newest id: two index lookups, however long the history.
async fn trim(db: &DatabaseConnection, retention: u64) -> Result<(), sea_orm::DbErr> {
    let newest: Option<Option<i64>> = call_log::Entity::find()
        .select_only()
        .column_as(call_log::Column::Id.max(), "newest")
        .into_tuple()
        .one(db)
        .await?;
    let retention = i64::try_from(retention).unwrap_or(i64::MAX);
    if let Some(Some(newest)) = newest
        && newest > retention
    {
        call_log::Entity::delete_many()
            .filter(call_log::Column::Id.lte(newest - retention))
            .exec(db)
            .await?;
    }
    Ok(())
}
