//! Pages render to their end even when the client hangs up.
//!
//! Leptos disposes a page's reactive owner when its response stream is dropped, but the
//! effects of a page's suspended parts may be running on another worker thread at that
//! moment; they then read disposed signals and panic. So each page renders in a task of its
//! own, which forwards the page to the client while it listens and drives the rest of the
//! render to the end once it has gone. Leptos then cleans up as it does after any page.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::{mpsc, oneshot};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;

/// Chunks rendered ahead of a slow reader; a page streams in a few dozen.
const CHUNKS_AHEAD: usize = 16;

pub async fn render_to_end(request: Request, next: Next) -> Response {
    let (head_sender, head) = oneshot::channel();
    let (chunk_sender, chunks) = mpsc::channel::<Result<Bytes, axum::Error>>(CHUNKS_AHEAD);
    let render = async move {
        let (parts, body) = next.run(request).await.into_parts();
        let mut client = head_sender.send(parts).is_ok().then_some(chunk_sender);
        let mut rendered = body.into_data_stream();
        while let Some(chunk) = rendered.next().await {
            if let Some(listening) = &client
                && listening.send(chunk).await.is_err()
            {
                client = None;
            }
        }
    };
    tokio::spawn(spinneret_core::history::carry_context(render));
    match head.await {
        Ok(parts) => Response::from_parts(parts, Body::from_stream(ReceiverStream::new(chunks))),
        // Only a panic in the render drops the head unsent; the panic is logged.
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
