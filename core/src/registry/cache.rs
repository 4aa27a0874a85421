//! What a replica keeps of the registry between reads: records by name, each stamped with
//! the registry's generation when it was read. The generation moves with every write on this
//! replica and, on PostgreSQL, with every write another replica commits ([`super::watch`]),
//! so a changed record is read again by the next request. The time to live bounds what a
//! replica can miss otherwise: another process on one SQLite file, a lost notification.

use std::borrow::Borrow;
use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::entity::{cloud_driver, connection_config, credential, region};

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

/// Values derived from the records, each served only at the generation it was read at. A
/// reader takes the generation before it queries, so a write racing the query leaves an
/// entry that is stale already.
pub(crate) struct Stamped<K, V> {
    entries: moka::sync::Cache<K, (u64, V)>,
}

impl<K, V> Stamped<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub(crate) fn new() -> Self {
        Self {
            entries: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(TIME_TO_LIVE)
                .build(),
        }
    }

    /// The value under `key`, if it was read at `generation`.
    pub(crate) fn get<Q>(&self, generation: u64, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let (read_at, value) = self.entries.get(key)?;
        (read_at == generation).then_some(value)
    }

    pub(crate) fn insert(&self, generation: u64, key: K, value: V) {
        self.entries.insert(key, (generation, value));
    }
}

/// The registry's records by name, one cache per table.
pub(super) struct Records {
    drivers: Stamped<String, cloud_driver::Model>,
    credentials: Stamped<String, credential::Model>,
    regions: Stamped<String, region::Model>,
    connections: Stamped<String, connection_config::Model>,
}

impl Records {
    pub(super) fn new() -> Self {
        Self {
            drivers: Stamped::new(),
            credentials: Stamped::new(),
            regions: Stamped::new(),
            connections: Stamped::new(),
        }
    }
}

/// A record kept in [`Records`]: which of its caches holds it.
pub(super) trait Cached: Clone + Send + Sync + 'static {
    fn cache(records: &Records) -> &Stamped<String, Self>;
}

macro_rules! cached_in {
    ($($model:ty => $field:ident),* $(,)?) => {$(
        impl Cached for $model {
            fn cache(records: &Records) -> &Stamped<String, Self> {
                &records.$field
            }
        }
    )*};
}

cached_in! {
    cloud_driver::Model => drivers,
    credential::Model => credentials,
    region::Model => regions,
    connection_config::Model => connections,
}

#[cfg(test)]
mod tests {
    use super::{Generation, Stamped};

    #[test]
    fn a_value_is_served_only_at_the_generation_it_was_read_at() {
        let generation = Generation::default();
        let values = Stamped::<String, String>::new();
        values.insert(generation.current(), "aws".to_owned(), "stored".to_owned());
        assert_eq!(
            values.get(generation.current(), "aws").as_deref(),
            Some("stored")
        );
        assert_eq!(values.get(generation.current(), "azure"), None);
        generation.advance();
        assert_eq!(values.get(generation.current(), "aws"), None);
    }
}
