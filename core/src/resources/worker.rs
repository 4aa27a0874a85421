//! Cloud work runs in a task of its own, not in the request's future: a client that hangs up
//! cancels nothing. The task renews the row's lease while it works, so no other replica takes
//! the row over; if this replica dies, the lease runs out and the reconciler finishes the job.

use std::future::Future;

use tokio::task::JoinHandle;

use crate::Core;
use crate::error::{Error, Result};
use crate::history::carry_context;

impl Core {
    /// Runs `work` for the row `id` under its lease, in a task of its own; the request
    /// waits for the answer but does not own the work.
    pub(super) async fn in_worker<T: Send + 'static>(
        &self,
        id: i64,
        work: impl Future<Output = Result<T>> + Send + 'static,
    ) -> Result<T> {
        self.spawn_leased(id, work)
            .await
            .map_err(|err| Error::internal("a cloud operation's task failed", err))?
    }

    /// Spawns `work` for the row `id`, renewing the row's lease until the work is done.
    pub(super) fn spawn_leased<T: Send + 'static>(
        &self,
        id: i64,
        work: impl Future<Output = T> + Send + 'static,
    ) -> JoinHandle<T> {
        let store = self.store().clone();
        self.inner.workers.spawn(carry_context(async move {
            let mut work = std::pin::pin!(work);
            let mut renew = tokio::time::interval(store.lease() / 3);
            renew.tick().await;
            loop {
                tokio::select! {
                    done = &mut work => return done,
                    _ = renew.tick() => match store.renew(id).await {
                        Ok(true) => {}
                        Ok(false) => tracing::warn!(row = id, "another replica took over a row this one still works"),
                        Err(err) => tracing::warn!(error = %err, row = id, "could not renew a lease"),
                    },
                }
            }
        }))
    }
}
