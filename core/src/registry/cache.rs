//! What a replica keeps of the registry between reads: records by name, each stamped with
//! the registry's generation when it was read. The generation moves with every write on this
//! replica and, on PostgreSQL, with every write another replica commits ([`super::watch`]),
//! so a changed record is read again by the next request. The time to live bounds what a
//! replica can miss otherwise: another process on one SQLite file, a lost notification.

use std::any::{Any, TypeId};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How long a record, or anything derived from the records, is kept without a write.
pub(crate) const TIME_TO_LIVE: Duration = Duration::from_secs(5);

/// Which version of the records this replica knows of; shared with the watcher.
#[derive(Clone, Default)]
pub(crate) struct Generation(Arc<AtomicU64>);

impl Generation {
    pub(crate) fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Everything read before now may be stale.
    pub(crate) fn advance(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

/// Records by table and name. A read takes the generation before it queries, so a write
/// racing the query leaves an entry that is stale already.
pub(super) struct Records {
    by_name: moka::sync::Cache<(TypeId, String), (u64, Arc<dyn Any + Send + Sync>)>,
}

impl Records {
    pub(super) fn new() -> Self {
        Self {
            by_name: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(TIME_TO_LIVE)
                .build(),
        }
    }

    /// The record of type `M` named `name`, if it was read at `generation`.
    pub(super) fn get<M: Clone + Send + Sync + 'static>(
        &self,
        generation: u64,
        name: &str,
    ) -> Option<M> {
        let (read_at, record) = self.by_name.get(&(TypeId::of::<M>(), name.to_owned()))?;
        (read_at == generation)
            .then(|| record.downcast_ref::<M>().cloned())
            .flatten()
    }

    pub(super) fn insert<M: Send + Sync + 'static>(&self, generation: u64, name: &str, record: M) {
        self.by_name.insert(
            (TypeId::of::<M>(), name.to_owned()),
            (generation, Arc::new(record)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{Generation, Records};

    #[test]
    fn a_record_is_served_only_at_the_generation_it_was_read_at() {
        let generation = Generation::default();
        let records = Records::new();
        records.insert(generation.current(), "aws", String::from("stored"));
        assert_eq!(
            records
                .get::<String>(generation.current(), "aws")
                .as_deref(),
            Some("stored")
        );
        // Another type of record under the same name is another entry.
        assert_eq!(records.get::<u32>(generation.current(), "aws"), None);
        generation.advance();
        assert_eq!(records.get::<String>(generation.current(), "aws"), None);
    }
}
