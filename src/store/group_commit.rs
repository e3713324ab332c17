//! Group commit for the audit entries of reads: the entries of the page views and API reads
//! that arrive while one transaction is being flushed to disk are written together in the
//! next, so a read still waits for its own entry to be durable but no longer for one flush
//! per read. Writes keep their entry in their own transaction (see `http::audit::Auditor`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};

use super::{AuditEntry, AuditEvent, Store, StoreError};

/// The most entries one transaction takes; more wait for the next.
const MOST_AT_ONCE: usize = 256;
/// Entries waiting beyond the one being written before `record` itself waits.
const QUEUE: usize = 4096;

type Reply = oneshot::Sender<Result<AuditEntry, String>>;

/// Writes audit entries in batches through one writer task, started on first use.
pub struct AuditQueue {
    store: Arc<dyn Store>,
    sender: OnceLock<mpsc::Sender<(AuditEvent, Reply)>>,
    transactions: Arc<AtomicU64>,
}

impl std::fmt::Debug for AuditQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditQueue")
            .field("transactions", &self.transactions())
            .finish_non_exhaustive()
    }
}

impl AuditQueue {
    /// A queue writing to `store`; its writer starts with the first entry, on the runtime
    /// that records it.
    pub fn new(store: Arc<dyn Store>) -> Self {
        AuditQueue {
            store,
            sender: OnceLock::new(),
            transactions: Arc::default(),
        }
    }

    /// How many transactions the queue has committed or tried so far.
    pub fn transactions(&self) -> u64 {
        self.transactions.load(Ordering::Relaxed)
    }

    /// Appends `event` to the audit log and returns once it is committed, together with the
    /// entries recorded at the same time.
    pub async fn record(&self, event: AuditEvent) -> Result<AuditEntry, StoreError> {
        let sender = self.sender.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(QUEUE);
            tokio::spawn(write_batches(
                self.store.clone(),
                receiver,
                self.transactions.clone(),
            ));
            sender
        });
        let stopped = || StoreError::AuditNotWritten("the audit writer has stopped".into());
        let (reply, answer) = oneshot::channel();
        sender.send((event, reply)).await.map_err(|_| stopped())?;
        answer
            .await
            .map_err(|_| stopped())?
            .map_err(StoreError::AuditNotWritten)
    }
}

/// Takes whatever has queued up (at least one entry, at most [`MOST_AT_ONCE`]) and writes it
/// in one transaction, until every sender is gone.
async fn write_batches(
    store: Arc<dyn Store>,
    mut receiver: mpsc::Receiver<(AuditEvent, Reply)>,
    transactions: Arc<AtomicU64>,
) {
    let mut batch = Vec::with_capacity(MOST_AT_ONCE);
    while receiver.recv_many(&mut batch, MOST_AT_ONCE).await > 0 {
        let (events, replies): (Vec<AuditEvent>, Vec<Reply>) = batch.drain(..).unzip();
        let written = store.audit_all(&events).await;
        transactions.fetch_add(1, Ordering::Relaxed);
        match written {
            Ok(entries) => {
                for (reply, entry) in replies.into_iter().zip(entries) {
                    // A reader that has gone away has nothing left to answer.
                    let _ = reply.send(Ok(entry));
                }
            }
            Err(error) => {
                let words = error.to_string();
                for reply in replies {
                    let _ = reply.send(Err(words.clone()));
                }
            }
        }
    }
}
